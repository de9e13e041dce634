/** Grading of exercise answers: choices and note names, tap times (rhythm), and assessed recordings (melodies). */
import type { Exercise, ExerciseAnswer, ExerciseResult, RhythmExercise } from './exercise-types';

/** Tap timing rules: within ±75 ms is on the beat, up to ±200 ms counts as early/late, beyond that the tap matches nothing. */
export const TAP_RULES = { onTimeMs: 75, matchMs: 200 };

/** Success threshold for recordings (assessment score 0–100) and tap patterns (share of taps on time). */
const RECORDING_PASS = 80;
const RHYTHM_PASS = 0.8;

/**
 * Canonical spelling of a note name ("f♯" → "F#", "bb" → "Bb", "F sharp" → "F#", "𝄪" → "##"); an octave number after it
 * ("F#4", as the staff names its notes) is allowed and not part of the name. Undefined when it is not a note name.
 */
export function canonicalNoteName(name: string): string | undefined {
  const spelled = name
    .replace(/\s*double[\s-]*sharp/i, '##')
    .replace(/\s*double[\s-]*flat/i, 'bb')
    .replace(/\s*sharp/i, '#')
    .replace(/\s*flat/i, 'b');
  const m = /^\s*([A-Ga-g])\s*(#{1,2}|b{1,2}|♯|♭|𝄪|𝄫)?\s*-?\d*\s*$/u.exec(spelled);
  if (!m) return undefined;
  const accidental = (m[2] ?? '').replace('𝄪', '##').replace('𝄫', 'bb').replace('♯', '#').replace('♭', 'b');
  return `${m[1].toUpperCase()}${accidental}`;
}

const ORDINALS: Record<string, string> = { second: '2nd', third: '3rd', fourth: '4th', fifth: '5th', sixth: '6th', seventh: '7th' };
const NUMBERED: Record<string, string> = { '1': '1st', '2': '2nd', '3': '3rd', '4': '4th', '5': '5th', '6': '6th', '7': '7th', '8': '8th' };
const QUALITY_LETTERS: Record<string, string> = { M: 'major', m: 'minor', P: 'perfect', A: 'augmented', d: 'diminished' };
/** Names and shorthands people use for the drills' choices, after lower-casing and spacing (see canonicalChoice). */
const CHOICE_SYNONYMS: Record<string, string> = {
  'perfect 1st': 'unison',
  'perfect unison': 'unison',
  'perfect 8th': 'octave',
  'perfect octave': 'octave',
  '8ve': 'octave',
  'augmented 4th': 'tritone',
  'diminished 5th': 'tritone',
  tt: 'tritone',
  maj: 'major',
  min: 'minor',
  dim: 'diminished',
  aug: 'augmented',
  '+': 'augmented',
  '°': 'diminished',
  dom7: 'dominant 7th',
  'dominant 7': 'dominant 7th',
  '7': 'dominant 7th',
  maj7: 'major 7th',
  'major 7': 'major 7th',
  min7: 'minor 7th',
  'minor 7': 'minor 7th',
  m7: 'minor 7th',
  m7b5: 'half diminished 7th',
  ø7: 'half diminished 7th',
  ø: 'half diminished 7th',
  'half diminished': 'half diminished 7th',
  dim7: 'diminished 7th',
  '°7': 'diminished 7th',
  aeolian: 'natural minor',
  ionian: 'major',
  'major scale': 'major',
};

/**
 * A drill answer as comparable text: letter case, spacing and hyphens ignored, ordinals spelled out or as numbers
 * ("major third", "Major 3rd"), interval shorthand ("M3", "P5", "m7") and the usual chord and mode names (dom7, ø7,
 * aeolian). Both the choice and the answer are read through it.
 */
export function canonicalChoice(text: string): string {
  // Letter case matters only here: M3 is a major third, m3 a minor one, and a lone M or m a major or minor chord.
  const shorthand = /^\s*([MmPAd])\s*([1-8])?\s*$/.exec(text);
  const expanded = !shorthand
    ? text
    : shorthand[2]
      ? `${QUALITY_LETTERS[shorthand[1]]} ${NUMBERED[shorthand[2]]}`
      : shorthand[1] === 'M' || shorthand[1] === 'm'
        ? QUALITY_LETTERS[shorthand[1]]
        : text;
  const words = expanded
    .toLowerCase()
    .replace(/[-_]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\b(second|third|fourth|fifth|sixth|seventh)\b/g, (w) => ORDINALS[w]);
  return CHOICE_SYNONYMS[words] ?? words;
}

/** The exercise's choice an answer names, if any (see canonicalChoice). */
export function matchChoice(choices: readonly string[], answer: string): string | undefined {
  const wanted = canonicalChoice(answer);
  return choices.find((choice) => canonicalChoice(choice) === wanted) ?? (wanted === 'minor' ? choices.find((c) => c === 'natural minor') : undefined);
}

export interface TapVerdict {
  /** Expected tap time (s). */
  expected: number;
  verdict: 'on-time' | 'early' | 'late' | 'missed';
  errorMs?: number;
}

/** Matches taps to expected onsets in order (each tap at most once) and judges each. */
export function assessTaps(exercise: RhythmExercise, taps: number[]): { taps: TapVerdict[]; extraTaps: number; result: ExerciseResult } {
  const expected = exercise.expectedTaps;
  const sorted = [...taps].filter(Number.isFinite).sort((a, b) => a - b);
  // The learner's latency is not their fault: remove the median offset of taps that are near an expected onset.
  const near = sorted
    .map((t) => {
      const e = expected.reduce((best, x) => (Math.abs(x - t) < Math.abs(best - t) ? x : best), expected[0]);
      return t - e;
    })
    .filter((d) => Math.abs(d) * 1000 <= TAP_RULES.matchMs)
    .sort((a, b) => a - b);
  const latency = near.length >= 3 ? Math.max(-0.08, Math.min(0.08, near[near.length >> 1])) : 0;
  const n = expected.length;
  const m = sorted.length;
  // Monotone alignment: match cost = |error| (s), skip costs = the match window.
  const skip = TAP_RULES.matchMs / 1000;
  const cost = Array.from({ length: n + 1 }, (_, i) => new Float64Array(m + 1).fill(i * skip));
  for (let j = 0; j <= m; j++) cost[0][j] = j * skip;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const err = Math.abs(sorted[j - 1] - latency - expected[i - 1]);
      const match = err <= skip ? cost[i - 1][j - 1] + err : Infinity;
      cost[i][j] = Math.min(match, cost[i - 1][j] + skip, cost[i][j - 1] + skip);
    }
  }
  const verdicts: TapVerdict[] = expected.map((e) => ({ expected: e, verdict: 'missed' }));
  let used = 0;
  for (let i = n, j = m; i > 0 && j > 0;) {
    const err = sorted[j - 1] - latency - expected[i - 1];
    if (Math.abs(err) <= skip && Math.abs(cost[i][j] - (cost[i - 1][j - 1] + Math.abs(err))) < 1e-12) {
      const ms = Math.round(err * 1000);
      verdicts[i - 1] = { expected: expected[i - 1], verdict: Math.abs(ms) <= TAP_RULES.onTimeMs ? 'on-time' : ms < 0 ? 'early' : 'late', errorMs: ms };
      used++;
      i--;
      j--;
    } else if (Math.abs(cost[i][j] - (cost[i - 1][j] + skip)) < 1e-12) i--;
    else j--;
  }
  const extraTaps = m - used;
  const onTime = verdicts.filter((v) => v.verdict === 'on-time').length;
  const score = Math.max(0, (onTime + 0.5 * verdicts.filter((v) => v.verdict === 'early' || v.verdict === 'late').length - 0.5 * extraTaps) / n);
  const feedback = [`${onTime} of ${n} taps were on the beat.`];
  const early = verdicts.filter((v) => v.verdict === 'early').length;
  const late = verdicts.filter((v) => v.verdict === 'late').length;
  const missed = verdicts.filter((v) => v.verdict === 'missed').length;
  if (early) feedback.push(`${early} ${early === 1 ? 'tap was' : 'taps were'} early: wait for the beat.`);
  if (late) feedback.push(`${late} ${late === 1 ? 'tap was' : 'taps were'} late.`);
  if (missed) feedback.push(`${missed} ${missed === 1 ? 'note was' : 'notes were'} not tapped.`);
  if (extraTaps) feedback.push(`${extraTaps} extra ${extraTaps === 1 ? 'tap' : 'taps'} where the pattern has none (rests count too).`);
  return { taps: verdicts, extraTaps, result: { correct: score >= RHYTHM_PASS && missed === 0, score, feedback } };
}

/** Grades an answer to an exercise; the answer kind must fit the exercise (RangeError otherwise). */
export function gradeAnswer(exercise: Exercise, answer: ExerciseAnswer): ExerciseResult {
  switch (exercise.kind) {
    case 'interval':
    case 'chord':
    case 'scale': {
      if (answer.kind !== 'choice') throw new RangeError('this exercise takes a choice');
      const correct = canonicalChoice(answer.answer) === canonicalChoice(exercise.answer);
      return {
        correct,
        score: correct ? 1 : 0,
        feedback: [correct ? `Yes: ${exercise.answer}.` : `Not quite: it was ${exercise.answer}, you chose ${answer.answer}.`],
      };
    }
    case 'note-reading': {
      if (answer.kind !== 'names') throw new RangeError('this exercise takes note names');
      // Spelling counts: in a sharp key F# is right and Gb is not.
      const right = exercise.answer.map((name, i) => canonicalNoteName(answer.names[i] ?? '') === canonicalNoteName(name));
      const count = right.filter(Boolean).length;
      const wrong = exercise.answer.map((name, i) => (right[i] ? '' : `note ${i + 1} is ${name}`)).filter(Boolean);
      return {
        correct: count === right.length,
        score: count / right.length,
        feedback: [`${count} of ${right.length} notes named correctly.`, ...(wrong.length ? [`${wrong.join('; ')}.`] : [])],
      };
    }
    case 'rhythm':
      if (answer.kind !== 'taps') throw new RangeError('this exercise takes tap times');
      return assessTaps(exercise, answer.times).result;
    default: {
      if (answer.kind !== 'recording') throw new RangeError('this exercise takes an assessed recording');
      const score = Math.max(0, Math.min(100, answer.score));
      return { correct: score >= RECORDING_PASS, score: score / 100, feedback: [`Score ${Math.round(score)} of 100.`] };
    }
  }
}
