/**
 * Sections → one continuous piece. Each section is planned and composed by the music engine at its own emotion;
 * the pieces are laid end to end with transitions between unlike neighbours:
 *   tempo ramp   the last bar of a section accelerates or slows linearly into the next section's tempo (in the
 *                MIDI file a tempo change every sixteenth, so the bar lines stay where the music puts them);
 *   dynamics     velocities follow a line from one section's loudness to the next across the bar before and after;
 *   modulation   when the key changes, the last bar before the change is the new key's dominant seventh (harmony
 *                and bass; the melody breathes), the classic preparation of a new tonic;
 *   instruments  each (role, instrument) pair has its own MIDI track, so a change of instrument is a hand-over.
 * Only the first section keeps its intro and only the last its outro, so the piece does not stop between scenes.
 */
import { compose, type Composition, type CompositionTrack, type MusicPlan, type NoteEvent, planFromEmotion, type TempoChange } from '../../../music/engine';

export interface SectionRequest {
  valence: number;
  arousal: number;
  durationSec: number;
}

export interface SectionTransition {
  fromTempo: number;
  toTempo: number;
  dynamics: 'crescendo' | 'decrescendo' | 'steady';
  /** Set when the key changes: the new key is prepared by its dominant. */
  modulation?: { from: string; to: string };
  /** Roles whose instrument changes at the boundary. */
  instrumentChanges: { role: CompositionTrack['role']; from: string; to: string }[];
}

export interface ScoredSection {
  plan: MusicPlan;
  startSec: number;
  endSec: number;
  /** Into the next section (absent for the last). */
  transition?: SectionTransition;
}

export interface StoryScore {
  composition: Composition;
  sections: ScoredSection[];
}

const CHANNELS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15];

function sectionBounds(plan: MusicPlan, which: 'intro' | 'outro'): number {
  const barSec = (60 / plan.tempo) * plan.meter[0] * (4 / plan.meter[1]);
  const section = which === 'intro' ? plan.sections[0] : plan.sections[plan.sections.length - 1];
  return section?.name === which ? section.bars * barSec : 0;
}

/** Seconds elapsed after `beats` beats of a tempo ramp from `from` to `to` BPM spread over `span` beats. */
function rampSeconds(beats: number, span: number, from: number, to: number): number {
  if (Math.abs(to - from) < 1e-6) return (beats * 60) / from;
  const tempo = from + ((to - from) * beats) / span;
  return ((60 * span) / (to - from)) * Math.log(tempo / from);
}

/** The ramp as steps of a sixteenth, each at the mean tempo of its span, so every step ends where the ramp does. */
function rampTempoChanges(startSec: number, beatsPerBar: number, from: number, to: number): TempoChange[] {
  const steps = Math.round(beatsPerBar * 4);
  const step = beatsPerBar / steps;
  return Array.from({ length: steps }, (_, k) => {
    const [begin, end] = [rampSeconds(k * step, beatsPerBar, from, to), rampSeconds((k + 1) * step, beatsPerBar, from, to)];
    return { startSec: startSec + begin, tempo: (60 * step) / (end - begin) };
  });
}

const keyName = (plan: MusicPlan) => `${plan.key} ${plan.mode === 'harmonicMinor' ? 'minor' : plan.mode}`;

export function scoreSections(requests: readonly SectionRequest[], seed: number): StoryScore {
  if (!requests.length) throw new RangeError('a story needs at least one section');
  const last = requests.length - 1;
  // Plan each section, asking for the frame bars it will lose so its body keeps the requested length.
  const pieces = requests.map((request, i) => {
    const target = { valence: request.valence, arousal: request.arousal };
    const first = planFromEmotion(target, request.durationSec);
    const lost = (i > 0 ? sectionBounds(first, 'intro') : 0) + (i < last ? sectionBounds(first, 'outro') : 0);
    const plan = lost > 0 ? planFromEmotion(target, Math.min(300, request.durationSec + lost)) : first;
    const composition = compose(plan, (seed + i * 7919) >>> 0);
    const cutStart = i > 0 ? sectionBounds(plan, 'intro') : 0;
    const cutEnd = composition.durationSec - (i < last ? sectionBounds(plan, 'outro') : 0);
    return { plan, composition, cutStart, cutEnd };
  });

  const tracks: CompositionTrack[] = [];
  const trackFor = (source: CompositionTrack): number => {
    let track = tracks.find((t) => t.role === source.role && (source.role === 'drums' || t.program === source.program));
    if (!track) {
      const used = tracks.filter((t) => t.role !== 'drums').length;
      if (source.role !== 'drums' && used >= CHANNELS.length) {
        // Out of MIDI channels: the part stays on its role's last instrument.
        track = [...tracks].reverse().find((t) => t.role === source.role)!;
        return track.index;
      }
      track = {
        index: tracks.length,
        name: source.name,
        role: source.role,
        channel: source.role === 'drums' ? 9 : CHANNELS[used],
        program: source.program,
      };
      tracks.push(track);
    }
    return track.index;
  };

  const notes: NoteEvent[] = [];
  const sections: ScoredSection[] = [];
  const chords: Composition['chords'] = [];
  const melody: Composition['melody'] = [];
  const tempoChanges: TempoChange[] = [];
  const globalTempo = pieces[0].plan.tempo;
  let offset = 0;
  pieces.forEach(({ plan, composition, cutStart, cutEnd }, i) => {
    const next = pieces[i + 1];
    const barSec = (60 / plan.tempo) * plan.meter[0] * (4 / plan.meter[1]);
    const beatsPerBar = plan.meter[0] * (4 / plan.meter[1]);
    const rampStart = cutEnd - barSec;
    const ramp = next && Math.abs(next.plan.tempo - plan.tempo) >= 3;
    // Section-local time (after the cut) → story time, with the tempo ramp in the last bar.
    const warp = (t: number): number => {
      const local = Math.min(t, cutEnd) - cutStart;
      if (!ramp || t <= rampStart) return offset + local;
      const beats = ((Math.min(t, cutEnd) - rampStart) * plan.tempo) / 60;
      return offset + (rampStart - cutStart) + rampSeconds(beats, beatsPerBar, plan.tempo, next.plan.tempo);
    };
    const endSec = warp(cutEnd);
    const previous = pieces[i - 1]?.plan;
    tempoChanges.push({
      startSec: offset,
      tempo: plan.tempo,
      ...(previous?.meter.join('/') !== plan.meter.join('/') ? { meter: plan.meter } : {}),
      ...(previous?.tonic !== plan.tonic || previous.mode !== plan.mode ? { key: { tonic: plan.tonic, mode: plan.mode } } : {}),
    });
    if (ramp) tempoChanges.push(...rampTempoChanges(warp(rampStart), beatsPerBar, plan.tempo, next.plan.tempo));
    const modulates = next && (next.plan.tonic !== plan.tonic || next.plan.mode !== plan.mode);
    for (const note of composition.notes) {
      if (note.startSec < cutStart - 1e-6 || note.startSec >= cutEnd - 1e-6) continue;
      const role = composition.tracks[note.track].role;
      // The bar before a key change belongs to the new key's dominant (added below); the melody rests there.
      if (modulates && note.startSec >= rampStart - 1e-6 && role !== 'drums') continue;
      const start = warp(note.startSec);
      const end = Math.min(endSec, warp(Math.min(cutEnd, note.startSec + note.durationSec)));
      const track = trackFor(composition.tracks[note.track]);
      notes.push({ ...note, track, channel: tracks[track].channel, program: tracks[track].program, startSec: start, durationSec: Math.max(0.02, end - start) });
    }
    if (modulates) {
      const dominant = (next.plan.tonic + 7) % 12;
      const harmony = composition.tracks.find((t) => t.role === 'harmony');
      const bass = composition.tracks.find((t) => t.role === 'bass');
      const start = warp(rampStart);
      const velocity = Math.round((plan.loudness + next.plan.loudness) / 2) - 16;
      const root = 55 + ((dominant - 55 + 1200) % 12);
      if (harmony) {
        const track = trackFor(harmony);
        for (const interval of [0, 4, 7, 10]) {
          notes.push({
            track,
            channel: tracks[track].channel,
            program: tracks[track].program,
            pitch: root + interval,
            startSec: start,
            durationSec: endSec - start,
            velocity,
          });
        }
      }
      if (bass) {
        const track = trackFor(bass);
        notes.push({
          track,
          channel: tracks[track].channel,
          program: tracks[track].program,
          pitch: 36 + dominant,
          startSec: start,
          durationSec: endSec - start,
          velocity: velocity + 6,
        });
      }
    }
    const beatToStory = (beat: number) => (warp((beat * 60) / plan.tempo) * globalTempo) / 60;
    for (const chord of composition.chords) {
      const sec = (chord.startBeat * 60) / plan.tempo;
      if (sec < cutStart - 1e-6 || sec >= cutEnd - 1e-6) continue;
      const startBeat = beatToStory(chord.startBeat);
      chords.push({ ...chord, startBeat, beats: beatToStory(chord.startBeat + chord.beats) - startBeat });
    }
    for (const m of composition.melody) {
      const sec = (m.startBeat * 60) / plan.tempo;
      if (sec < cutStart - 1e-6 || sec >= cutEnd - 1e-6) continue;
      const startBeat = beatToStory(m.startBeat);
      melody.push({ ...m, startBeat, beats: beatToStory(m.startBeat + m.beats) - startBeat });
    }
    const section: ScoredSection = { plan, startSec: offset, endSec };
    if (next) {
      const byRole = (p: MusicPlan) => new Map(p.instruments.map((x) => [x.role, x.name]));
      const [mine, theirs] = [byRole(plan), byRole(next.plan)];
      section.transition = {
        fromTempo: plan.tempo,
        toTempo: next.plan.tempo,
        dynamics: next.plan.loudness > plan.loudness + 4 ? 'crescendo' : next.plan.loudness < plan.loudness - 4 ? 'decrescendo' : 'steady',
        ...(modulates ? { modulation: { from: keyName(plan), to: keyName(next.plan) } } : {}),
        instrumentChanges: [...mine]
          .filter(([role, name]) => theirs.has(role) && theirs.get(role) !== name)
          .map(([role, name]) => ({ role, from: name, to: theirs.get(role)! })),
      };
    }
    sections.push(section);
    offset = endSec;
  });

  // Dynamics: across each boundary, velocities move along a line from one section's loudness to the next.
  sections.forEach((section, i) => {
    const next = sections[i + 1];
    if (!next) return;
    const [from, to] = [section.plan.loudness, next.plan.loudness];
    const barBefore = (60 / section.plan.tempo) * section.plan.meter[0] * (4 / section.plan.meter[1]);
    const barAfter = (60 / next.plan.tempo) * next.plan.meter[0] * (4 / next.plan.meter[1]);
    const [a, b] = [section.endSec - barBefore, section.endSec + barAfter];
    for (const note of notes) {
      if (note.startSec < a || note.startSec >= b) continue;
      const own = note.startSec < section.endSec ? from : to;
      const target = from + ((to - from) * (note.startSec - a)) / (b - a);
      note.velocity = Math.max(1, Math.min(127, Math.round(note.velocity * (target / own))));
    }
  });

  notes.sort((x, y) => x.startSec - y.startSec || x.track - y.track || x.pitch - y.pitch);
  const durationSec = offset;
  const first = pieces[0].plan;
  const plan: MusicPlan = {
    ...first,
    durationSec,
    bars: Math.round((durationSec * first.tempo) / 60 / (first.meter[0] * (4 / first.meter[1]))),
    instruments: tracks.map((t) => ({ role: t.role, program: t.program, name: t.name.replace(/^\w+: /, '') })),
    explanation: [...first.explanation],
  };
  return { composition: { plan, seed, durationSec, tempo: globalTempo, meter: first.meter, tracks, notes, chords, melody, tempoChanges }, sections };
}
