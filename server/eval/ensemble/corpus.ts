/**
 * The evaluation corpora as timed notes, with the ground truth that can be derived from them.
 *
 * Nottingham (melody + chord accompaniment, converted from ABC): the key is the MIDI key signature (written from the
 * ABC `K:` field) when the file has one key and its tonic is the root of the tune's last chord — modal tunes whose
 * signature names another tonic (A dorian written as G major) are left out; chords are the accompaniment track's notes.
 * JSB chorales (four voices, no key signatures): the tonic is the bass's last note when the bass also starts on it,
 * the mode is whichever third above that tonic sounds longer (minor or major), and chords exist where the four voices
 * sound exactly a major or minor triad (or its dominant/minor seventh chord).
 */
import { readFileSync } from 'node:fs';
import { compose, EMOTION_NAMES, planFromEmotion } from '../../src/music/engine';
import { EMOTION_TABLE } from '../../src/music/engine/emotion-table';
import { parseMidi, tickToSeconds } from '../../src/music/engine/midi-read';
import { mod12 } from '../../src/music/engine/theory';
import { KeyMode } from '../../src/ensemble/engine/types';
import { midiFiles } from '../lib/files';

export interface TimedNote {
  pitch: number;
  /** ms */
  start: number;
  end: number;
  track: number;
  velocity: number;
}

export interface CorpusPiece {
  name: string;
  notes: TimedNote[];
  /** The file's first tempo (BPM; 120 when it has none). */
  tempo: number;
  /** Time-signature changes: ms, numerator, denominator. */
  meters: { time: number; numerator: number; denominator: number }[];
  /** Track index of the melody (Nottingham) or soprano (JSB). */
  melodyTrack: number;
  /** Track index of the chord accompaniment (Nottingham only). */
  chordTrack?: number;
  /** Ground-truth key, when it can be derived. */
  key?: { tonic: number; mode: KeyMode };
  /** Last note-off, ms. */
  end: number;
}

function loadMidi(path: string): Omit<CorpusPiece, 'melodyTrack' | 'key'> & { keySignatures: { accidentals: number; minor: boolean }[] } {
  const midi = parseMidi(new Uint8Array(readFileSync(path)));
  const ms = (tick: number) => tickToSeconds(midi, tick) * 1000;
  const notes: TimedNote[] = midi.tracks
    .flatMap((t) => t.notes)
    .filter((n) => n.channel !== 9)
    .map((n) => ({ pitch: n.pitch, start: ms(n.startTick), end: ms(Math.max(n.endTick, n.startTick + 1)), track: n.track, velocity: n.velocity }))
    .sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  const tempo = midi.tempos[0] ? 60_000_000 / midi.tempos[0].usPerQuarter : 120;
  const meters = midi.timeSignatures.map((t) => ({ time: ms(t.tick), numerator: t.numerator, denominator: t.denominator }));
  return { name: path, notes, tempo, meters, keySignatures: midi.keySignatures, end: notes.reduce((m, n) => Math.max(m, n.end), 0) };
}

/** Pitch classes sounding at `time` among `notes` (start ≤ time < end). */
export function pitchClassesAt(notes: readonly TimedNote[], time: number): Set<number> {
  const pcs = new Set<number>();
  for (const n of notes) if (n.start <= time && time < n.end) pcs.add(mod12(n.pitch));
  return pcs;
}

/** Major/minor label of a pitch-class set: a triad, or a dominant-seventh / minor-seventh chord; undefined otherwise. */
export function majMinLabel(pcs: Set<number>): { root: number; quality: 'maj' | 'min' } | undefined {
  if (pcs.size < 3 || pcs.size > 4) return undefined;
  for (const root of pcs) {
    const rel = new Set([...pcs].map((pc) => mod12(pc - root)));
    if (!rel.has(7)) continue;
    const seventh = pcs.size === 4 ? rel.has(10) : true;
    if (!seventh) continue;
    if (rel.has(4) && !rel.has(3)) return { root, quality: 'maj' };
    if (rel.has(3) && !rel.has(4)) return { root, quality: 'min' };
  }
  return undefined;
}

function meanPitch(notes: readonly TimedNote[], track: number): number {
  const own = notes.filter((n) => n.track === track);
  return own.reduce((s, n) => s + n.pitch, 0) / Math.max(1, own.length);
}

/** Nottingham tunes: melody and chord tracks told apart by how often a track's notes start together. */
export function loadNottingham(dir: string, limit = 0): { pieces: CorpusPiece[]; withKey: number; skipped: number } {
  let files = midiFiles(dir);
  if (limit > 0) files = files.slice(0, limit);
  const pieces: CorpusPiece[] = [];
  let skipped = 0;
  for (const f of files) {
    const raw = loadMidi(f);
    const tracks = [...new Set(raw.notes.map((n) => n.track))];
    const together = (t: number) => {
      const own = raw.notes.filter((n) => n.track === t);
      const starts = new Map<number, number>();
      for (const n of own) starts.set(n.start, (starts.get(n.start) ?? 0) + 1);
      return own.length ? own.filter((n) => (starts.get(n.start) ?? 0) > 1).length / own.length : 0;
    };
    const byChordiness = [...tracks].sort((a, b) => together(a) - together(b));
    if (byChordiness.length < 2 || together(byChordiness[byChordiness.length - 1]) < 0.5) {
      skipped++;
      continue;
    }
    const melodyTrack = byChordiness[0];
    const chordTrack = byChordiness[byChordiness.length - 1];
    let key: CorpusPiece['key'];
    const sigs = new Set(raw.keySignatures.map((k) => `${k.accidentals}:${k.minor}`));
    if (sigs.size === 1) {
      const { accidentals, minor } = raw.keySignatures[0];
      const tonic = mod12(7 * accidentals + (minor ? 9 : 0));
      const chordNotes = raw.notes.filter((n) => n.track === chordTrack);
      const lastStart = Math.max(...chordNotes.map((n) => n.start));
      const lastChord = chordNotes.filter((n) => n.start === lastStart);
      const bass = Math.min(...lastChord.map((n) => n.pitch));
      if (mod12(bass) === tonic) key = { tonic, mode: minor ? 'minor' : 'major' };
    }
    pieces.push({ ...raw, melodyTrack, chordTrack, key });
  }
  return { pieces, withKey: pieces.filter((p) => p.key).length, skipped };
}

/** JSB chorales: soprano = highest voice, bass = lowest; key derived as described above. */
export function loadChorales(dir: string, limit = 0): { pieces: CorpusPiece[]; withKey: number } {
  let files = midiFiles(dir);
  if (limit > 0) files = files.slice(0, limit);
  const pieces: CorpusPiece[] = [];
  for (const f of files) {
    const raw = loadMidi(f);
    const tracks = [...new Set(raw.notes.map((n) => n.track))].sort((a, b) => meanPitch(raw.notes, b) - meanPitch(raw.notes, a));
    if (tracks.length < 2) continue;
    const soprano = tracks[0];
    const bassNotes = raw.notes.filter((n) => n.track === tracks[tracks.length - 1]);
    const tonic = mod12(bassNotes[bassNotes.length - 1].pitch);
    let key: CorpusPiece['key'];
    if (mod12(bassNotes[0].pitch) === tonic) {
      let minorThird = 0;
      let majorThird = 0;
      for (const n of raw.notes) {
        if (mod12(n.pitch - tonic) === 3) minorThird += n.end - n.start;
        if (mod12(n.pitch - tonic) === 4) majorThird += n.end - n.start;
      }
      key = { tonic, mode: minorThird > majorThird ? 'minor' : 'major' };
    }
    pieces.push({ ...raw, melodyTrack: soprano, key });
  }
  return { pieces, withKey: pieces.filter((p) => p.key).length };
}

/**
 * Pieces composed by the music engine (8 emotions × `seeds` seeds, 60 s): a third corpus whose chords are exact (the
 * composer's own chord spans), used to check the listener on music it did not see in any corpus. The ground truth is
 * carried as a "chord track" of block chords built from the spans (not fed to the listener).
 */
export function loadGenerated(seeds: number): CorpusPiece[] {
  const pieces: CorpusPiece[] = [];
  for (const emotion of EMOTION_NAMES) {
    const anchor = EMOTION_TABLE.find((a) => a.emotion === emotion)!;
    const plan = planFromEmotion({ valence: anchor.valence, arousal: anchor.arousal, label: emotion }, 60);
    for (let seed = 1; seed <= seeds; seed++) {
      const c = compose(plan, seed);
      const beatMs = 60_000 / c.tempo;
      const notes: TimedNote[] = c.notes
        .filter((n) => n.channel !== 9)
        .map((n) => ({ pitch: n.pitch, start: n.startSec * 1000, end: (n.startSec + n.durationSec) * 1000, track: n.track, velocity: n.velocity }));
      const truthTrack = 100;
      for (const span of c.chords) {
        for (const pc of span.pitchClasses) {
          notes.push({ pitch: 48 + pc, start: span.startBeat * beatMs, end: (span.startBeat + span.beats) * beatMs, track: truthTrack, velocity: 0 });
        }
      }
      const melodyTrack = c.tracks.find((t) => t.role === 'melody')!.index;
      pieces.push({
        name: `${emotion}-${seed}`,
        notes,
        tempo: c.tempo,
        meters: [{ time: 0, numerator: c.meter[0], denominator: c.meter[1] }],
        melodyTrack,
        chordTrack: truthTrack,
        key: plan.mode === 'major' ? { tonic: plan.tonic, mode: 'major' } : plan.mode === 'minor' ? { tonic: plan.tonic, mode: 'minor' } : undefined,
        end: c.durationSec * 1000,
      });
    }
  }
  return pieces;
}
