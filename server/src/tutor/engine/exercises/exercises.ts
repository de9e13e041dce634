/**
 * Exercise generators, one per area, built on the music engine: scales and modes from its theory tables, melodies from
 * its composer (a plan in the wanted mode and tempo, a window of its melody that respects the level's leaps and span,
 * moved into the learner's range), audio as notes its SoundFont synthesizer renders. Deterministic for (item, seed).
 */
import { compose, planFromEmotion, type ModeName } from '../../../music/engine';
import { writeSmf } from '../../../music/engine/audio/smf-writer';
import { EMOTION_TABLE } from '../../../music/engine/emotion-table';
import { createRng, type Rng } from '../../../music/engine/rng';
import { keySignatureAccidentals, MODE_STEPS, mod12, tonicName } from '../../../music/engine/theory';
import { CHORD_QUALITIES, INTERVAL_NAMES, RHYTHM_CELLS, SKILLS, skillById, type Skill } from '../skills/skill-graph';
import type { ChoiceExercise, Exercise, ExerciseAudio, MelodyExercise, NoteReadingExercise, RhythmExercise, Staff, StaffNote } from './exercise-types';

/** A calibrated item: the unit whose difficulty the planner estimates and whose review FSRS schedules. */
export interface ExerciseItem {
  /** e.g. "intervals.3:6" (a tritone in "all ascending intervals"). */
  itemId: string;
  skillId: string;
  /** Short words for the item ("tritone", "dotted rhythms"), shown once it is answered. */
  label: string;
  /**
   * How the item is named before it is answered (exercises, plans, reasons): the item itself where naming it gives
   * nothing away, else only what kind of item it is (an identification item's name is its answer: "perfect 5th").
   */
  promptLabel: string;
  /** Prior difficulty on the ability scale (logits), before any attempt is seen. */
  priorDifficulty: number;
}

/** Options for melody exercises: the learner's comfortable range (MIDI, inclusive). */
export interface GenerateOptions {
  range?: [number, number];
}

export const MODE_LABELS: Record<ModeName, string> = {
  major: 'major',
  minor: 'natural minor',
  harmonicMinor: 'harmonic minor',
  dorian: 'dorian',
  phrygian: 'phrygian',
  lydian: 'lydian',
  mixolydian: 'mixolydian',
};

/** Within-level difficulty offsets (logits) from common confusions in ear-training studies: tritone, 6ths/7ths, augmented and half-diminished chords, the modes next to major/minor. */
const INTERVAL_OFFSET: Record<number, number> = { 1: 0.1, 2: -0.1, 4: -0.1, 6: 0.4, 8: 0.25, 9: 0.15, 10: 0.3, 11: 0.3, 12: -0.3, 7: -0.2 };
const CHORD_OFFSET: Record<string, number> = { augmented: 0.3, diminished: 0.1, 'half-diminished 7th': 0.3, 'diminished 7th': 0.2, 'minor 7th': 0.1 };
const MODE_OFFSET: Partial<Record<ModeName, number>> = { major: -0.3, minor: -0.2, lydian: 0.2, phrygian: 0.1, mixolydian: 0.2, dorian: 0.2 };

const levelDifficulty = (skill: Skill) => -1.5 + 0.75 * (skill.level - 1);

/** The calibrated items of a skill (each generated instance belongs to one). */
export function itemsForSkill(skillId: string): ExerciseItem[] {
  const skill = skillById(skillId);
  const base = levelDifficulty(skill);
  const c = skill.content;
  if (c.intervals) {
    return c.intervals.semitones.map((s) => ({
      itemId: `${skill.id}:${s}`,
      skillId,
      label: `${INTERVAL_NAMES[s]} (${c.intervals!.direction})`,
      promptLabel: `an interval (${c.intervals!.direction})`,
      priorDifficulty: base + (INTERVAL_OFFSET[s] ?? 0),
    }));
  }
  if (c.chords)
    return c.chords.qualities.map((q) => ({
      itemId: `${skill.id}:${q}`,
      skillId,
      label: `${q} chords`,
      promptLabel: 'a chord quality',
      priorDifficulty: base + (CHORD_OFFSET[q] ?? 0),
    }));
  if (c.modes)
    return c.modes.map((m) => ({
      itemId: `${skill.id}:${m}`,
      skillId,
      label: `the ${MODE_LABELS[m]} scale`,
      promptLabel: 'a scale or mode',
      priorDifficulty: base + (MODE_OFFSET[m] ?? 0),
    }));
  if (c.rhythm) {
    // The newest cell of the level is the hard one; the others are review.
    const fresh = c.rhythm.cells.filter((cell) => !(skill.level > 1 && skillById(`rhythm.${skill.level - 1}`).content.rhythm!.cells.includes(cell)));
    return c.rhythm.cells.map((cell) => ({
      itemId: `${skill.id}:${cell}`,
      skillId,
      label: `${cell} rhythms`,
      promptLabel: `${cell} rhythms`,
      priorDifficulty: base + (fresh.includes(cell) ? 0.3 : -0.3),
    }));
  }
  if (c.reading) {
    return ['staff', 'ledger'].map((where) => ({
      itemId: `${skill.id}:${where}`,
      skillId,
      label: `${skill.name.toLowerCase()} (${where === 'ledger' ? 'the outer notes' : 'notes on the staff'})`,
      promptLabel: `${skill.name.toLowerCase()} (${where === 'ledger' ? 'the outer notes' : 'notes on the staff'})`,
      priorDifficulty: base + (where === 'ledger' ? 0.3 : -0.2),
    }));
  }
  return ['short', 'long'].map((length) => ({
    itemId: `${skill.id}:${length}`,
    skillId,
    label: `${skill.name.toLowerCase()} (${length === 'short' ? 'shorter' : 'full-length'} melodies)`,
    promptLabel: `${skill.name.toLowerCase()} (${length === 'short' ? 'shorter' : 'full-length'} melodies)`,
    priorDifficulty: base + (length === 'long' ? 0.3 : -0.2),
  }));
}

/** Every item of every skill. */
export function allItems(): ExerciseItem[] {
  return SKILLS.flatMap((s) => itemsForSkill(s.id));
}

const SHARPS = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
const FLATS = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B'];

/** Spelled name with octave for a key signature (sharps for sharp keys and C, flats for flat keys). */
export function spell(pitch: number, keySignature: number, preferFlats = false): string {
  const names = keySignature < 0 || (keySignature === 0 && preferFlats) ? FLATS : SHARPS;
  return `${names[mod12(pitch)]}${Math.floor(pitch / 12) - 1}`;
}

/** Generates an exercise for an item; the same (itemId, seed) always gives the same exercise. */
export function generateExercise(itemId: string, seed: number, options: GenerateOptions = {}): Exercise {
  const [skillId, variant] = splitItem(itemId);
  const skill = skillById(skillId);
  const rng = createRng(seed).fork(itemId);
  const c = skill.content;
  const base = { id: `${itemId}#${seed}`, itemId, skillId, area: skill.area, seed };
  if (c.intervals) return intervalExercise(base, skill, Number(variant), rng);
  if (c.chords) return chordExercise(base, skill, variant, rng);
  if (c.modes) return scaleExercise(base, skill, variant as ModeName, rng);
  if (c.rhythm) return rhythmExercise(base, skill, variant, rng);
  if (c.reading) return readingExercise(base, skill, variant === 'ledger', rng);
  return melodyExercise(base, skill, variant === 'long', rng, options.range ?? [55, 74]);
}

function splitItem(itemId: string): [string, string] {
  const at = itemId.indexOf(':');
  if (at < 0) throw new RangeError(`not an item id: ${itemId}`);
  const skillId = itemId.slice(0, at);
  const variant = itemId.slice(at + 1);
  if (!itemsForSkill(skillId).some((i) => i.itemId === itemId)) throw new RangeError(`unknown item: ${itemId}`);
  return [skillId, variant];
}

type Base = Pick<ChoiceExercise, 'id' | 'itemId' | 'skillId' | 'area' | 'seed'>;

function intervalExercise(base: Base, skill: Skill, semitones: number, rng: Rng): ChoiceExercise {
  const { direction, semitones: asked } = skill.content.intervals!;
  const low = rng.int(50, 70);
  const [first, second] = direction === 'descending' ? [low + semitones, low] : [low, low + semitones];
  const notes =
    direction === 'harmonic'
      ? [
          { pitch: first, startBeat: 0, beats: 2, velocity: 90 },
          { pitch: second, startBeat: 0, beats: 2, velocity: 90 },
        ]
      : [
          { pitch: first, startBeat: 0, beats: 1, velocity: 90 },
          { pitch: second, startBeat: 1, beats: 1.5, velocity: 90 },
        ];
  return {
    ...base,
    kind: 'interval',
    prompt: `Listen to the two notes${direction === 'harmonic' ? ' played together' : ''}. Which interval is it?`,
    audio: { bpm: 72, program: 0, notes },
    choices: asked.map((s) => INTERVAL_NAMES[s]),
    answer: INTERVAL_NAMES[semitones],
  };
}

function chordExercise(base: Base, skill: Skill, quality: string, rng: Rng): ChoiceExercise {
  const { qualities, inversions } = skill.content.chords!;
  const root = rng.int(48, 60);
  let pitches = CHORD_QUALITIES[quality].map((s) => root + s);
  const inversion = inversions ? rng.int(1, 2) : 0;
  for (let k = 0; k < inversion; k++) pitches = [...pitches.slice(1), pitches[0] + 12];
  const notes = [
    ...pitches.map((pitch, i) => ({ pitch, startBeat: i * 0.5, beats: 0.5, velocity: 80 })),
    ...pitches.map((pitch) => ({ pitch, startBeat: pitches.length * 0.5 + 0.5, beats: 2, velocity: 85 })),
  ];
  return {
    ...base,
    kind: 'chord',
    prompt: `Listen to the chord, broken and then together${inversions ? ' (it may be inverted)' : ''}. What quality is it?`,
    audio: { bpm: 80, program: 0, notes },
    choices: [...qualities],
    answer: quality,
  };
}

function scaleExercise(base: Base, skill: Skill, mode: ModeName, rng: Rng): ChoiceExercise {
  const tonic = rng.int(55, 66);
  const pitches = [...MODE_STEPS[mode].map((s) => tonic + s), tonic + 12];
  const descending = rng.chance(0.3);
  const ordered = descending ? [...pitches].reverse() : pitches;
  return {
    ...base,
    kind: 'scale',
    prompt: `Listen to the scale (${descending ? 'descending' : 'ascending'}). Which scale or mode is it?`,
    audio: { bpm: 110, program: 0, notes: ordered.map((pitch, i) => ({ pitch, startBeat: i, beats: i === ordered.length - 1 ? 2 : 1, velocity: 85 })) },
    choices: skill.content.modes!.map((m) => MODE_LABELS[m]),
    answer: MODE_LABELS[mode],
  };
}

/** Diatonic (white-key) pitches in a range. */
const naturals = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i).filter((p) => [0, 2, 4, 5, 7, 9, 11].includes(mod12(p)));

function readingExercise(base: Base, skill: Skill, outer: boolean, rng: Rng): NoteReadingExercise {
  const { clef, range, accidentals, maxKeyAccidentals } = skill.content.reading!;
  const keySignature = maxKeyAccidentals > 0 ? rng.int(-maxKeyAccidentals, maxKeyAccidentals) : 0;
  const majorTonic = mod12(7 * keySignature);
  const scale = MODE_STEPS.major.map((s) => mod12(majorTonic + s));
  const [lo, hi] = range;
  const middle = clef === 'treble' ? [64, 77] : [43, 57];
  const allowed = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i).filter((p) =>
    keySignature !== 0 ? scale.includes(mod12(p)) : accidentals || naturals(p, p).length === 1,
  );
  const inside = allowed.filter((p) => p >= middle[0] && p <= middle[1]);
  const outside = allowed.filter((p) => p < middle[0] || p > middle[1]);
  const pool = outer ? (outside.length ? outside : allowed) : inside.length ? inside : allowed;
  const chosen = Array.from({ length: 4 }, () => rng.pick(pool));
  const preferFlats = rng.chance(0.5);
  const notes: StaffNote[] = chosen.map((pitch) => ({ pitch, name: spell(pitch, keySignature, preferFlats), beats: 1 }));
  const staff: Staff = { clef, keySignature, timeSignature: [4, 4], notes };
  return {
    ...base,
    kind: 'note-reading',
    prompt: `Name the four notes on the ${clef} staff${keySignature ? ` (key signature: ${Math.abs(keySignature)} ${keySignature > 0 ? 'sharp' : 'flat'}${Math.abs(keySignature) > 1 ? 's' : ''})` : ''}.`,
    staff,
    answer: notes.map((n) => n.name.replace(/-?\d+$/, '')),
  };
}

function rhythmExercise(base: Base, skill: Skill, focus: string, rng: Rng): RhythmExercise {
  const { cells, bpm, bars } = skill.content.rhythm!;
  const beatsPerBar = 4;
  const pattern: number[] = [];
  for (let bar = 0; bar < bars; bar++) {
    let left = beatsPerBar;
    // The focus cell appears in every bar; other cells fill the rest.
    const barCells: number[][] = [];
    const focusCell = RHYTHM_CELLS[focus];
    const focusLength = focusCell.reduce((s, d) => s + Math.abs(d), 0);
    if (focusLength <= left) {
      barCells.push(focusCell);
      left -= focusLength;
    }
    while (left > 1e-9) {
      const fitting = cells.map((c) => RHYTHM_CELLS[c]).filter((c) => c.reduce((s, d) => s + Math.abs(d), 0) <= left + 1e-9);
      const cell = fitting.length ? rng.pick(fitting) : [left];
      barCells.push(cell);
      left -= cell.reduce((s, d) => s + Math.abs(d), 0);
    }
    // Shuffle the cells of the bar, keeping a note (not a rest) on the downbeat of the first bar.
    for (let i = barCells.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [barCells[i], barCells[j]] = [barCells[j], barCells[i]];
    }
    if (bar === 0 && barCells[0][0] < 0) barCells.push(barCells.shift()!);
    pattern.push(...barCells.flat());
  }
  const beatSec = 60 / bpm;
  const countInBeats = beatsPerBar;
  const expectedTaps: number[] = [];
  const notes: ExerciseAudio['notes'] = Array.from({ length: countInBeats }, (_, i) => ({ pitch: i === 0 ? 84 : 79, startBeat: i, beats: 0.25, velocity: 70 }));
  let beat = 0;
  const staffNotes: StaffNote[] = [];
  for (const d of pattern) {
    if (d > 0) {
      expectedTaps.push((countInBeats + beat) * beatSec);
      notes.push({ pitch: 72, startBeat: countInBeats + beat, beats: Math.min(d, 1) * 0.9, velocity: 90 });
    }
    staffNotes.push({ pitch: d > 0 ? 71 : -1, name: d > 0 ? 'B4' : 'rest', beats: Math.abs(d) });
    beat += Math.abs(d);
  }
  return {
    ...base,
    kind: 'rhythm',
    prompt: `Tap the rhythm at ${bpm} BPM after ${countInBeats} count-in clicks.`,
    bpm,
    beatsPerBar,
    countInBeats,
    pattern,
    staff: { clef: 'treble', keySignature: 0, timeSignature: [beatsPerBar, 4], notes: staffNotes },
    expectedTaps,
    audio: { bpm, program: 115, notes },
  };
}

/** Emotions of the music engine's table whose mode gives each scale (harmonic minor composes as minor, then raises the 7th). */
function emotionFor(mode: ModeName, rng: Rng) {
  const wanted = mode === 'harmonicMinor' ? 'minor' : mode;
  const matching = EMOTION_TABLE.filter((a) => a.mode === wanted);
  return matching.length ? rng.pick(matching) : rng.pick(EMOTION_TABLE.filter((a) => a.mode === (mode === 'mixolydian' ? 'major' : 'minor')));
}

function melodyExercise(base: Base, skill: Skill, long: boolean, rng: Rng, range: [number, number]): MelodyExercise {
  const spec = skill.content.melody!;
  const count = long ? spec.notes : Math.max(3, Math.round(spec.notes * 0.7));
  const mode = rng.pick(spec.modes);
  let best: { pitch: number; startBeat: number; beats: number }[] | undefined;
  let plan = undefined as ReturnType<typeof planFromEmotion> | undefined;
  for (let attempt = 0; attempt < 12 && !best; attempt++) {
    const anchor = emotionFor(mode, rng);
    plan = planFromEmotion({ valence: anchor.valence, arousal: anchor.arousal, label: anchor.emotion }, 30, { tempo: spec.bpm });
    plan = { ...plan, mode: mode === 'harmonicMinor' ? 'minor' : mode };
    const composition = compose(plan, rng.int(0, 2 ** 31));
    const melody = composition.melody.filter((n) => spec.chromatic || !n.chromatic);
    for (let start = 0; start + count <= melody.length && !best; start++) {
      const window = melody.slice(start, start + count);
      const pitches = window.map((n) => n.pitch);
      const leapsOk = pitches.every((p, i) => i === 0 || Math.abs(p - pitches[i - 1]) <= spec.maxLeap);
      const gapsOk = window.every((n, i) => i === 0 || n.startBeat - (window[i - 1].startBeat + window[i - 1].beats) < 1.01);
      if (leapsOk && gapsOk && Math.max(...pitches) - Math.min(...pitches) <= spec.span) best = window;
    }
  }
  if (!best || !plan) throw new Error(`no melody found for ${base.itemId}`);
  const tonic = plan.tonic;
  let notes = best.map((n) => ({ ...n }));
  if (mode === 'harmonicMinor') notes = notes.map((n) => (mod12(n.pitch - tonic) === 10 ? { ...n, pitch: n.pitch + 1 } : n));
  // Beginners sing even quarter notes with a longer last note; later levels keep the composer's rhythm.
  if (skill.level <= 2) notes = notes.map((n, i) => ({ pitch: n.pitch, startBeat: i, beats: i === notes.length - 1 ? 2 : 1 }));
  else {
    const t0 = notes[0].startBeat;
    notes = notes.map((n) => ({ ...n, startBeat: n.startBeat - t0 }));
  }
  const pitches = notes.map((n) => n.pitch);
  const shift = Math.round((range[0] + range[1]) / 2 - (Math.min(...pitches) + Math.max(...pitches)) / 2);
  notes = notes.map((n) => ({ ...n, pitch: n.pitch + shift }));
  const keyTonic = mod12(tonic + shift);
  const keySignature = keySignatureAccidentals(keyTonic, mode === 'harmonicMinor' ? 'minor' : mode);
  const beatSec = 60 / spec.bpm;
  const lowest = Math.min(...notes.map((n) => n.pitch));
  const staff: Staff = {
    clef: lowest < 55 ? 'bass' : 'treble',
    keySignature,
    timeSignature: [plan.meter[0], 4],
    notes: notes.map((n) => ({ pitch: n.pitch, name: spell(n.pitch, keySignature), beats: n.beats })),
  };
  const key = `${tonicName(keyTonic, mode === 'harmonicMinor' ? 'minor' : mode)} ${MODE_LABELS[mode]}`;
  return {
    ...base,
    kind: skill.area === 'sight-singing' ? 'sight-singing' : 'play-back',
    prompt:
      skill.area === 'sight-singing'
        ? `Sing the melody on the staff (${key}, ${spec.bpm} BPM). You hear the first note, then sing.`
        : `Listen to the melody (${key}, ${spec.bpm} BPM), then sing or play it back.`,
    bpm: spec.bpm,
    beatsPerBar: plan.meter[0],
    key,
    mode,
    melody: notes.map((n) => ({ pitch: n.pitch, start: n.startBeat * beatSec, duration: n.beats * beatSec * 0.95 })),
    staff,
    // Sight-singing gives the first note only (the learner reads the rest); play-back plays the whole melody.
    audio: {
      bpm: spec.bpm,
      program: 0,
      notes: (skill.area === 'sight-singing' ? notes.slice(0, 1) : notes).map((n) => ({
        pitch: n.pitch,
        startBeat: n.startBeat,
        beats: n.beats * 0.95,
        velocity: 90,
      })),
    },
  };
}

/** The exercise's audio as a Standard MIDI File for the music engine's renderer (AudioRenderPool.render). */
export function exerciseMidi(exercise: Exercise): Uint8Array {
  const audio = exercise.kind === 'note-reading' ? undefined : exercise.audio;
  if (!audio) throw new RangeError('note-reading exercises have no audio');
  return writeSmf(
    audio.notes.map((n) => ({ ...n, program: audio.program })),
    audio.bpm,
  );
}
