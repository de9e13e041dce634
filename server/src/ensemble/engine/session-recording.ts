/**
 * A room session as a multi-track Standard MIDI File, written by the music engine's own writer (`toMidi`: format 1,
 * 480 PPQ, conductor track with tempo, time and key signature, one track per part with its program, drums on channel
 * 10), so the music pipeline renders it like a composition. One track per member and MIDI channel they played on.
 */
import { keyFromPitchClasses } from './key-listener';
import { Timeline, TimelineState } from './shared-clock';
import { DRUM_CHANNEL, EnsembleNote, isEnsembleNote, isNoteOn, KeyEstimate } from './types';
import { gmProgramName } from '../../music/engine/gm-programs';
import { toMidi } from '../../music/engine/midi-write';
import { MAX_DURATION_SEC, MIN_DURATION_SEC } from '../../music/engine/form';
import { MAX_TEMPO, MIN_TEMPO, planFromEmotion } from '../../music/engine/plan';
import { mod12, tonicName } from '../../music/engine/theory';
import { Composition, CompositionTrack, NoteEvent, TempoChange } from '../../music/engine/types';

export interface SessionMember {
  id: string;
  name: string;
  /** General MIDI program 0–127 the member plays. */
  instrument: number;
  /** Programs per MIDI channel, for members playing several parts (the accompanist's `channelPrograms()`). */
  channelPrograms?: Record<number, number>;
}

export interface SessionRecordingInput {
  members: readonly SessionMember[];
  /** Every note event of the session (any order); `memberId` says whose it is. */
  events: readonly EnsembleNote[];
  /**
   * The room's timeline: the file's tempo, meter and bar lines (default 120 BPM, 4/4, bar 1 at the first note); or its
   * successive timelines, each in force from its anchor time, when the tempo or the bar changed during the session.
   */
  timeline?: Timeline | TimelineState | readonly TimelineState[];
  /** The file's title (default "xiaoyu-ai ensemble session"). */
  title?: string;
  /** End of the session, shared ms (default: the last event); notes still held are released there. */
  endTime?: number;
}

export interface SessionTrack {
  memberId: string;
  name: string;
  /** MIDI channel 0–15 in the file (9 = drums). */
  channel: number;
  program: number;
  notes: number;
}

export interface SessionRecording {
  /** Standard MIDI File bytes. */
  midi: Uint8Array;
  tracks: SessionTrack[];
  /** Seconds from the first bar line to the end. */
  durationSec: number;
  /** The key written in the key signature (estimated from all pitched notes). */
  key?: KeyEstimate;
}

interface OpenNote {
  start: number;
  velocity: number;
}

interface Part {
  memberId: string;
  sourceChannel: number;
  notes: { pitch: number; start: number; end: number; velocity: number }[];
}

/** Writes the session as a Standard MIDI File; throws RangeError when it needs more than 15 pitched channels. */
export function recordSession(input: SessionRecordingInput): SessionRecording {
  const events = input.events.filter(isEnsembleNote).sort((a, b) => a.time - b.time || (a.type === b.type ? 0 : a.type === 'off' ? -1 : 1));
  const endTime = input.endTime ?? events.reduce((m, e) => Math.max(m, e.time), -Infinity);
  const parts = new Map<string, Part>();
  const open = new Map<string, OpenNote[]>();
  for (const e of events) {
    const channel = e.channel ?? 0;
    const partKey = `${e.memberId ?? ''}\u0000${channel}`;
    let part = parts.get(partKey);
    if (!part) {
      part = { memberId: e.memberId ?? '', sourceChannel: channel, notes: [] };
      parts.set(partKey, part);
    }
    const noteKey = `${partKey}\u0000${e.pitch}`;
    const stack = open.get(noteKey) ?? [];
    if (isNoteOn(e)) {
      // A pitch struck again while it sounds: the earlier note ends here.
      const previous = stack.shift();
      if (previous) part.notes.push({ pitch: e.pitch, start: previous.start, end: e.time, velocity: previous.velocity });
      stack.push({ start: e.time, velocity: e.velocity });
      open.set(noteKey, stack);
    } else {
      const started = stack.shift();
      if (started) part.notes.push({ pitch: e.pitch, start: started.start, end: e.time, velocity: started.velocity });
    }
  }
  for (const [noteKey, stack] of open) {
    const part = parts.get(noteKey.slice(0, noteKey.lastIndexOf('\u0000')))!;
    const pitch = Number(noteKey.slice(noteKey.lastIndexOf('\u0000') + 1));
    for (const n of stack) part.notes.push({ pitch, start: n.start, end: Math.max(n.start, endTime), velocity: n.velocity });
  }
  const withNotes = [...parts.values()].filter((p) => p.notes.length > 0);

  const timelines = timelinesOf(input.timeline);
  const firstOn = Math.min(...withNotes.flatMap((p) => p.notes.map((n) => n.start)));
  const opening = inForce(timelines, firstOn);
  const origin = !Number.isFinite(firstOn)
    ? 0
    : opening
      ? opening.timeAtBeat(Math.floor(opening.beatAt(firstOn) / opening.quantum + 1e-9) * opening.quantum)
      : firstOn;
  const first = inForce(timelines, origin);
  const tempo = first?.tempo ?? 120;
  const meterOf = (quantum: number): [number, number] => (Number.isInteger(quantum) && quantum >= 1 && quantum <= 16 ? [quantum, 4] : [4, 4]);
  const meter = meterOf(first?.quantum ?? 4);
  const tempoChanges: TempoChange[] = [{ startSec: 0, tempo, meter }];
  for (let i = 1; i < timelines.length; i++) {
    const [before, after] = [timelines[i - 1], timelines[i]];
    const from = after.toState().time;
    if (from <= origin) continue;
    if (after.tempo !== before.tempo) tempoChanges.push({ startSec: (from - origin) / 1000, tempo: after.tempo });
    if (after.quantum !== before.quantum) {
      // A new bar length counts from the new timeline's first bar line.
      const barLine = after.timeAtBeat(Math.ceil(after.beatAt(from) / after.quantum - 1e-9) * after.quantum);
      tempoChanges.push({ startSec: (barLine - origin) / 1000, tempo: after.tempo, meter: meterOf(after.quantum) });
    }
  }
  tempoChanges.sort((a, b) => a.startSec - b.startSec);

  // Channels: drums on 9; every other part its own channel while there are enough, then parts sharing a program share one.
  const members = new Map(input.members.map((m) => [m.id, m]));
  const programOf = (p: Part) => {
    const m = members.get(p.memberId);
    return m?.channelPrograms?.[p.sourceChannel] ?? m?.instrument ?? 0;
  };
  const pitched = withNotes.filter((p) => p.sourceChannel !== DRUM_CHANNEL);
  const free = Array.from({ length: 16 }, (_, c) => c).filter((c) => c !== DRUM_CHANNEL);
  const byProgram = new Map<number, number>();
  const channelOf = new Map<Part, number>();
  const shareChannels = pitched.length > free.length;
  for (const p of pitched) {
    const program = programOf(p);
    if (shareChannels && byProgram.has(program)) {
      channelOf.set(p, byProgram.get(program)!);
      continue;
    }
    const channel = free.shift();
    if (channel === undefined) throw new RangeError(`a session recording holds at most ${16 - 1} pitched instruments`);
    byProgram.set(program, channel);
    channelOf.set(p, channel);
  }

  const tracks: CompositionTrack[] = [];
  const notes: NoteEvent[] = [];
  const summary: SessionTrack[] = [];
  withNotes.forEach((p, index) => {
    const drums = p.sourceChannel === DRUM_CHANNEL;
    const program = drums ? 0 : programOf(p);
    const channel = drums ? DRUM_CHANNEL : channelOf.get(p)!;
    const memberName = members.get(p.memberId)?.name ?? p.memberId;
    const name = `${memberName}: ${drums ? 'drums' : gmProgramName(program)}`;
    tracks.push({ index, name, role: drums ? 'drums' : 'melody', channel, program });
    summary.push({ memberId: p.memberId, name, channel, program, notes: p.notes.length });
    for (const n of p.notes) {
      notes.push({
        track: index,
        channel,
        program,
        pitch: n.pitch,
        startSec: Math.max(0, (n.start - origin) / 1000),
        durationSec: Math.max(0.001, (n.end - n.start) / 1000),
        velocity: n.velocity,
      });
    }
  });
  notes.sort((a, b) => a.startSec - b.startSec || a.track - b.track || a.pitch - b.pitch);

  const weights = new Array<number>(12).fill(0);
  for (const n of notes) if (n.channel !== DRUM_CHANNEL) weights[mod12(n.pitch)] += n.durationSec;
  const key = keyFromPitchClasses(weights);
  const durationSec = Math.max(0, (Math.max(endTime, origin) - origin) / 1000);
  // The music engine's writer reads tempo, meter and key from a plan: a plan carrying the session's values.
  const plan = planFromEmotion({ valence: 0, arousal: 0 }, Math.min(MAX_DURATION_SEC, Math.max(MIN_DURATION_SEC, durationSec)), {
    tempo: Math.min(MAX_TEMPO, Math.max(MIN_TEMPO, Math.round(tempo))),
  });
  const composition: Composition = {
    plan: { ...plan, tonic: key?.tonic ?? 0, mode: key?.mode ?? 'major', key: tonicName(key?.tonic ?? 0, key?.mode ?? 'major'), meter, tempo },
    seed: 0,
    title: input.title ?? 'xiaoyu-ai ensemble session',
    durationSec,
    tempo,
    meter,
    tracks,
    notes,
    chords: [],
    melody: [],
    tempoChanges: [{ ...tempoChanges[0], key: { tonic: key?.tonic ?? 0, mode: key?.mode ?? 'major' } }, ...tempoChanges.slice(1)],
  };
  return { midi: toMidi(composition), tracks: summary, durationSec, key };
}

function timelinesOf(timeline: SessionRecordingInput['timeline']): Timeline[] {
  if (!timeline) return [];
  if (timeline instanceof Timeline) return [timeline];
  const states = Array.isArray(timeline) ? (timeline as readonly TimelineState[]) : [timeline as TimelineState];
  return states.map((state) => Timeline.fromState(state)).sort((a, b) => a.toState().time - b.toState().time);
}

/** The timeline in force at a time: the last one anchored at or before it (the first before it started). */
function inForce(timelines: readonly Timeline[], time: number): Timeline | undefined {
  return [...timelines].reverse().find((t) => t.toState().time <= time) ?? timelines[0];
}
