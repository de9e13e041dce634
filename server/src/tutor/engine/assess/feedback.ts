/**
 * Built-in feedback: specific sentences from the verdicts (which notes, how far, which way, where), then the next step.
 * Complete without a language model; a model may rephrase these sentences but needs nothing else.
 */
import type { Alignment, AssessOptions, ExtraNote, NoteVerdict, ReferenceNote } from './types';

const NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth'];
const INTERVALS = [
  'a unison',
  'a semitone',
  'a whole tone',
  'a minor third',
  'a major third',
  'a perfect fourth',
  'a tritone',
  'a perfect fifth',
  'a minor sixth',
  'a major sixth',
  'a minor seventh',
  'a major seventh',
  'an octave',
];

/** Scientific pitch name of a MIDI note ("C4" = 60), sharps for black keys. */
export function noteName(midi: number): string {
  const m = Math.round(midi);
  return `${NAMES[((m % 12) + 12) % 12]}${Math.floor(m / 12) - 1}`;
}

/** "a minor third", "an octave", "a major ninth"… for a distance in semitones. */
export function intervalName(semitones: number): string {
  const s = Math.abs(Math.round(semitones));
  if (s <= 12) return INTERVALS[s];
  if (s === 24) return 'two octaves';
  return `${s} semitones`;
}

const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
const roundTo = (x: number, step: number) => Math.max(step, Math.round(Math.abs(x) / step) * step);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const isTiming = (v: NoteVerdict) => v.verdict === 'early' || v.verdict === 'late';

/** Feedback sentences; the last one is always the next step. */
export function composeFeedback(reference: ReferenceNote[], notes: NoteVerdict[], extra: ExtraNote[], alignment: Alignment, options: AssessOptions): string[] {
  const lines: string[] = [];
  const n = notes.length;
  const count = (kind: NoteVerdict['verdict']) => notes.filter((v) => v.verdict === kind).length;
  const correct = count('correct');
  const wrong = notes.filter((v) => v.verdict === 'wrong-pitch');
  const missed = notes.filter((v) => v.verdict === 'missed');
  const timing = notes.filter(isTiming);
  if (correct === n && extra.length === 0) lines.push(n === 1 ? 'The note was right: in tune and on time.' : `All ${n} notes were right: in tune and on time.`);
  else lines.push(`${correct} of ${n === 1 ? '1 note was' : `${n} notes were`} right.`);

  // Wrong notes, the first three by name.
  for (const v of wrong.slice(0, 3)) {
    const r = reference[v.index];
    const diff = (v.detectedPitch ?? r.pitch) - r.pitch;
    const steps = Math.round(diff);
    const how = steps === 0 ? `${roundTo(diff * 100, 5)} cents too ${diff > 0 ? 'high' : 'low'}` : `${intervalName(steps)} too ${diff > 0 ? 'high' : 'low'}`;
    const heard = Math.abs(steps) % 12 === 0 ? '' : `: you hit ${noteName(v.detectedPitch ?? r.pitch)}`;
    lines.push(`Note ${v.index + 1} (${noteName(r.pitch)}) was ${how}${heard}.`);
  }
  if (wrong.length > 3) lines.push(`${plural(wrong.length - 3, 'more note was', 'more notes were')} off pitch.`);

  lines.push(...intonation(reference, notes));
  lines.push(...timingSentences(reference, notes, options));

  const drift = alignment.tempoRatio - 1;
  if (Math.abs(drift) >= 0.03) {
    lines.push(
      `You played about ${Math.round(Math.abs(drift) * 100)}% ${drift > 0 ? 'slower' : 'faster'} than the reference overall (the timing verdicts allow for that).`,
    );
  }
  if (missed.length) {
    const names = missed.map((v) => noteName(reference[v.index].pitch));
    const numbers = missed.map((v) => String(v.index + 1));
    lines.push(`You left out ${missed.length === 1 ? 'note' : 'notes'} ${list(numbers)} (${names.slice(0, 6).join(', ')}${missed.length > 6 ? ', …' : ''}).`);
  }
  if (extra.length) {
    const times = extra.slice(0, 3).map((e) => `${Math.max(0, e.start).toFixed(1)} s`);
    lines.push(
      `You added ${plural(extra.length, 'note')} that ${extra.length === 1 ? 'is' : 'are'} not in the melody (around ${list(times)}${extra.length > 3 ? ', …' : ''}).`,
    );
  }
  lines.push(nextStep(reference, notes, extra, wrong, timing, missed));
  return lines;
}

/** Sharp/flat tendencies of the notes that were near the right pitch: overall, or for the high and the low notes. */
function intonation(reference: ReferenceNote[], notes: NoteVerdict[]): string[] {
  const near = notes.filter((v) => v.pitchErrorCents !== undefined && Math.abs(v.pitchErrorCents) <= 100);
  if (near.length < 3) return [];
  const mean = (vs: NoteVerdict[]) => vs.reduce((s, v) => s + (v.pitchErrorCents ?? 0), 0) / vs.length;
  const describe = (c: number) => `about ${roundTo(c, 5)} cents ${c > 0 ? 'sharp' : 'flat'}`;
  const pitches = near.map((v) => reference[v.index].pitch);
  const lo = Math.min(...pitches);
  const hi = Math.max(...pitches);
  const overall = mean(near);
  if (hi - lo >= 5) {
    const high = near.filter((v) => reference[v.index].pitch >= hi - (hi - lo) / 3);
    const low = near.filter((v) => reference[v.index].pitch <= lo + (hi - lo) / 3);
    const mh = high.length >= 2 ? mean(high) : 0;
    const ml = low.length >= 2 ? mean(low) : 0;
    const out: string[] = [];
    const sameWay = Math.abs(overall) >= 15 && Math.sign(mh) === Math.sign(ml) && Math.abs(mh - ml) < 15;
    if (sameWay) return [`Your notes were ${describe(overall)} overall.`];
    if (Math.abs(mh) >= 15) out.push(`The high notes were ${describe(mh)}.`);
    if (Math.abs(ml) >= 15) out.push(`The low notes were ${describe(ml)}.`);
    if (out.length) return out;
  }
  return Math.abs(overall) >= 15 ? [`Your notes were ${describe(overall)} overall.`] : [];
}

/** Rushed or dragged bars (with a meter) or runs of notes (without), and single early/late notes. */
function timingSentences(reference: ReferenceNote[], notes: NoteVerdict[], options: AssessOptions): string[] {
  const timed = notes
    .filter((v) => v.verdict !== 'missed' && v.verdict !== 'wrong-pitch')
    .sort((a, b) => reference[a.index].start - reference[b.index].start || a.index - b.index);
  const out: string[] = [];
  const verb = (ms: number) => (ms < 0 ? 'rushed' : 'dragged');
  const meter = options.meter;
  if (meter && meter.bpm > 0 && meter.beatsPerBar > 0) {
    const barSec = (60 / meter.bpm) * meter.beatsPerBar;
    const bars = new Map<number, NoteVerdict[]>();
    for (const v of timed) {
      const bar = Math.floor((reference[v.index].start - (meter.downbeatSec ?? 0)) / barSec + 1e-6);
      bars.set(bar, [...(bars.get(bar) ?? []), v]);
    }
    for (const [bar, vs] of [...bars.entries()].sort((a, b) => a[0] - b[0])) {
      const flagged = vs.filter(isTiming);
      if (flagged.length === 0) continue;
      const mean = vs.reduce((s, v) => s + (v.onsetErrorMs ?? 0), 0) / vs.length;
      const name = bar >= 0 && bar < ORDINALS.length ? `the ${ORDINALS[bar]} bar` : `bar ${bar + 1}`;
      if (flagged.length >= 2 && Math.abs(mean) >= 100) out.push(`You ${verb(mean)} ${name} by about ${roundTo(mean, 10)} ms.`);
      else for (const v of flagged) out.push(single(v, name));
    }
    return out;
  }
  // Without a meter: runs of consecutive early (or late) notes.
  let i = 0;
  while (i < timed.length) {
    if (!isTiming(timed[i])) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < timed.length && timed[j].verdict === timed[i].verdict) j++;
    const run = timed.slice(i, j);
    if (run.length >= 2) {
      const mean = run.reduce((s, v) => s + (v.onsetErrorMs ?? 0), 0) / run.length;
      out.push(`You ${verb(mean)} notes ${run[0].index + 1}–${run.at(-1)!.index + 1} by about ${roundTo(mean, 10)} ms.`);
    } else out.push(single(run[0]));
    i = j;
  }
  return out;
}

function single(v: NoteVerdict, where?: string): string {
  const ms = v.onsetErrorMs ?? 0;
  return `Note ${v.index + 1}${where ? ` (in ${where})` : ''} came in about ${roundTo(ms, 10)} ms ${ms < 0 ? 'early' : 'late'}.`;
}

function nextStep(
  reference: ReferenceNote[],
  notes: NoteVerdict[],
  extra: ExtraNote[],
  wrong: NoteVerdict[],
  timing: NoteVerdict[],
  missed: NoteVerdict[],
): string {
  const problems = wrong.length + timing.length + missed.length + extra.length;
  if (problems === 0) return 'Next step: well done, move on to a harder melody (a faster tempo or wider leaps).';
  if (missed.length > notes.length / 2) return 'Next step: listen to the reference again and sing or play along with it once before trying on your own.';
  if (wrong.length >= Math.max(timing.length, missed.length, 1)) {
    const first = wrong[0];
    const ordered = reference.map((r, i) => ({ r, i })).sort((a, b) => a.r.start - b.r.start || a.i - b.i);
    const position = ordered.findIndex((o) => o.i === first.index);
    if (position > 0) {
      const from = ordered[position - 1].r.pitch;
      const to = reference[first.index].pitch;
      return `Next step: practise the step from ${noteName(from)} to ${noteName(to)} (${intervalName(to - from)} ${to >= from ? 'up' : 'down'}) slowly against the reference tone, then try the melody again.`;
    }
    return `Next step: find the starting note ${noteName(reference[first.index].pitch)} against the reference tone before you begin, then try again.`;
  }
  if (timing.length >= Math.max(missed.length, 1)) return 'Next step: clap the rhythm with a metronome about 10% slower, then play it again at that tempo.';
  if (missed.length) return 'Next step: go through the melody slowly, one note at a time, so none is skipped.';
  return 'Next step: play it again more slowly, one clear note for each note of the melody.';
}
