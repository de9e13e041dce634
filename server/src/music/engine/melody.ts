import { sectionCaesuras } from './caesura';
import { createMotif, fragment, invert, Motif, varyRhythm } from './motif';
import { phraseLengths } from './harmony';
import { Rng } from './rng';
import { chordAt, isStrongBeat, localScale, melodicScale, nearestIn, stepInScale, strongBeatTones, triadOf } from './melodic-space';
import { mod12 } from './theory';
import { parallelPerfect } from './voicing';
import { ChordSpan, Composition, MusicPlan } from './types';

export type MelodyNote = Composition['melody'][number];

type BarRole = 'motif' | 'sequence' | 'vary' | 'develop' | 'cadence';

function barRoles(len: number): BarRole[] {
  const table: Record<number, BarRole[]> = {
    1: ['cadence'],
    2: ['motif', 'cadence'],
    3: ['motif', 'vary', 'cadence'],
    4: ['motif', 'sequence', 'vary', 'cadence'],
    5: ['motif', 'sequence', 'vary', 'develop', 'cadence'],
  };
  return table[len];
}

interface Ctx {
  plan: MusicPlan;
  chords: readonly ChordSpan[];
  beatsPerBar: number;
  lo: number;
  hi: number;
  out: MelodyNote[];
  last: number;
  /** Melody and bass at the previous strong beat, for the outer-voice parallel check. */
  prevStrong?: { melody: number; bass: number };
  /** Every strong-beat melody note so far, with its bass (index into `out`). */
  strongHistory: { index: number; bass: number }[];
}

/**
 * Repairs the approach to the final tonic when melody and bass would move in octaves or fifths into it (the
 * classic 5–1 over 5–1): the previous strong note moves to another tone of its chord (leading tone first).
 */
function cleanFinalApproach(ctx: Ctx, goal: number, bass: number): void {
  const last = ctx.strongHistory[ctx.strongHistory.length - 1];
  if (!last) return;
  const note = ctx.out[last.index];
  const before = ctx.strongHistory[ctx.strongHistory.length - 2];
  const chord = chordAt(ctx.chords, note.startBeat);
  const options = triadOf(chord)
    .slice(1)
    .flatMap((pc) => [-12, 0, 12].map((o) => note.pitch - mod12(note.pitch - pc) + o))
    .filter((p) => p >= ctx.lo && p <= ctx.hi)
    .sort((a, b) => Math.abs(a - note.pitch) - Math.abs(b - note.pitch));
  for (const p of options) {
    const intoGoal = !parallelPerfect([last.bass, p], [bass, goal], 0, 1);
    const fromBefore = !before || !parallelPerfect([before.bass, ctx.out[before.index].pitch], [last.bass, p], 0, 1);
    if (intoGoal && fromBefore) {
      note.pitch = p;
      ctx.prevStrong = { melody: p, bass: last.bass };
      return;
    }
  }
}

/** Whether melody `pitch` over `bass` avoids parallel fifths/octaves with the previous strong-beat pair. */
function outerVoicesClean(ctx: Ctx, pitch: number, bass: number): boolean {
  const prev = ctx.prevStrong;
  return !prev || !parallelPerfect([prev.bass, prev.melody], [bass, pitch], 0, 1);
}

/** Nearest pitch from `pcs` that keeps the outer voices clean; the plain nearest if none does. */
function nearestClean(ctx: Ctx, target: number, pcs: readonly number[], bass: number): number {
  let best: number | undefined;
  for (let p = ctx.lo; p <= ctx.hi; p++) {
    if (!pcs.includes(mod12(p)) || !outerVoicesClean(ctx, p, bass)) continue;
    if (best === undefined || Math.abs(p - target) < Math.abs(best - target)) best = p;
  }
  return best ?? nearestIn(target, pcs, ctx.lo, ctx.hi);
}

/** Chance that a weak note moving by a whole step is split to pass through the chromatic note between. */
const CHROMATIC_PASSING: Record<MusicPlan['harmonicVocabulary'], number> = { diatonic: 0.08, modal: 0.04, chromatic: 0.3 };

/**
 * Designed chromatic passing notes: a weak-beat note of at least an eighth, followed in the same bar by a note a
 * whole step away, is split in two and its second half fills the semitone between (flagged `chromatic`).
 */
function addPassingNotes(ctx: Ctx, notes: MelodyNote[], rng: Rng): MelodyNote[] {
  const out: MelodyNote[] = [];
  notes.forEach((n, i) => {
    const next = notes[i + 1];
    const half = n.beats / 2;
    const splitAt = n.startBeat + half;
    const inBar = splitAt % ctx.beatsPerBar;
    if (
      !next ||
      n.strong ||
      n.beats < 0.5 ||
      Math.abs(next.pitch - n.pitch) !== 2 ||
      isStrongBeat(inBar, ctx.beatsPerBar) ||
      !Number.isInteger(inBar * 4) ||
      !rng.chance(CHROMATIC_PASSING[ctx.plan.harmonicVocabulary])
    ) {
      out.push(n);
      return;
    }
    const pass = (n.pitch + next.pitch) / 2;
    const chromatic = !localScale(chordAt(ctx.chords, splitAt)).includes(mod12(pass));
    out.push({ ...n, beats: half }, { startBeat: splitAt, beats: half, pitch: pass, strong: false, chromatic });
  });
  return out;
}

/** Largest melodic leap (semitones) into a bar's first note inside a phrase: a perfect fifth. */
const MAX_BAR_LEAP = 7;

/** Chord tone for a bar's first note: the one nearest the contour target among those within a fifth of the last note. */
function openingPitch(ctx: Ctx, chord: ChordSpan, target: number, opening: 'section' | 'phrase' | 'bar'): number {
  // A section opens where its theme lies (a reprise after a general pause replays it exactly); a new phrase may leap
  // up to a sixth, a bar up to a fifth; all avoid parallel fifths/octaves with the bass.
  const tones = triadOf(chord);
  if (opening === 'section') return nearestClean(ctx, target, tones, chord.voicing[0]);
  const maxLeap = opening === 'phrase' ? 9 : MAX_BAR_LEAP;
  const pick = (clean: boolean) => {
    let best: number | undefined;
    for (let p = Math.max(ctx.lo, ctx.last - maxLeap); p <= Math.min(ctx.hi, ctx.last + maxLeap); p++) {
      if (!tones.includes(mod12(p)) || (clean && !outerVoicesClean(ctx, p, chord.voicing[0]))) continue;
      if (best === undefined || Math.abs(p - target) < Math.abs(best - target)) best = p;
    }
    return best;
  };
  return pick(true) ?? pick(false) ?? nearestIn(ctx.last, tones, ctx.lo, ctx.hi);
}

function realiseBar(ctx: Ctx, motif: Motif, barStart: number, target: number, rng: Rng, opening: 'section' | 'phrase' | 'bar'): void {
  const { beatsPerBar, lo, hi } = ctx;
  const barNotes: MelodyNote[] = [];
  let t = 0;
  let pitch = ctx.last;
  let lastMove = 0;
  motif.rhythm.forEach((dur, i) => {
    const beat = barStart + t;
    const chord = chordAt(ctx.chords, beat);
    const strong = isStrongBeat(t, beatsPerBar);
    if (i === 0) {
      pitch = openingPitch(ctx, chord, target, opening);
    } else {
      let step = motif.steps[i - 1] ?? 0;
      // Gap fill: after a leap, turn back by step.
      if (Math.abs(lastMove) > 4 && Math.sign(step) === Math.sign(lastMove)) step = -Math.sign(step || 1);
      const scale = melodicScale(ctx.plan, chord);
      let next = step === 0 ? pitch : stepInScale(pitch, step, scale);
      if (next > hi || next < lo) next = step === 0 ? pitch : stepInScale(pitch, -step, scale);
      if (strong) next = nearestClean(ctx, next, strongBeatTones(ctx.plan, chord), chord.voicing[0]);
      else if (!scale.includes(mod12(next))) next = nearestIn(next, scale, lo, hi);
      lastMove = next - pitch;
      pitch = Math.max(lo, Math.min(hi, next));
      if (!scale.includes(mod12(pitch)) && !(strong && chord.pitchClasses.includes(mod12(pitch)))) pitch = nearestIn(pitch, scale, lo, hi);
    }
    barNotes.push({ startBeat: beat, beats: dur, pitch, strong, chromatic: false });
    if (strong) ctx.prevStrong = { melody: pitch, bass: chord.voicing[0] };
    t += dur;
  });
  for (const n of addPassingNotes(ctx, barNotes, rng)) {
    if (n.strong) ctx.strongHistory.push({ index: ctx.out.length, bass: chordAt(ctx.chords, n.startBeat).voicing[0] });
    ctx.out.push(n);
  }
  ctx.last = pitch;
}

function realiseCadence(ctx: Ctx, barStart: number, target: number, final: boolean, pieceEnd: boolean, pickup: boolean): void {
  const chord = chordAt(ctx.chords, barStart);
  const aim = (target + ctx.last) / 2;
  const bass = chord.voicing[0];
  let goal: number;
  if (chord.cadence === 'authentic' || final) {
    goal = nearestIn(aim, [chord.tonic], ctx.lo, ctx.hi);
    // Tonic against the previous strong beat would move in octaves with the bass: close on the third instead
    // (an imperfect authentic cadence), except at the very end of the piece.
    if (!pieceEnd && !outerVoicesClean(ctx, goal, bass)) goal = nearestClean(ctx, aim, [chord.tonic, chord.pitchClasses[1]], bass);
    if (pieceEnd && !outerVoicesClean(ctx, goal, bass)) cleanFinalApproach(ctx, goal, bass);
  } else {
    goal = nearestClean(ctx, aim, triadOf(chord), bass);
  }
  ctx.prevStrong = { melody: goal, bass };
  ctx.strongHistory.push({ index: ctx.out.length, bass });
  const B = ctx.beatsPerBar;
  if (!pickup || final) {
    ctx.out.push({ startBeat: barStart, beats: B, pitch: goal, strong: true, chromatic: false });
    ctx.last = goal;
    return;
  }
  ctx.out.push({ startBeat: barStart, beats: B - 1, pitch: goal, strong: true, chromatic: false });
  const scale = localScale(chordAt(ctx.chords, barStart + B - 1));
  const up = stepInScale(goal, 1, scale);
  const pick = up <= ctx.hi ? up : stepInScale(goal, -1, scale);
  ctx.out.push({ startBeat: barStart + B - 1, beats: 1, pitch: pick, strong: false, chromatic: false });
  ctx.last = pick;
}

/** Arch contour: height in [0, 1] at position t ∈ [0, 1] of a phrase, peaking around 60%. */
export function archHeight(t: number): number {
  return 0.1 + 0.9 * Math.sin(Math.PI * Math.pow(Math.min(1, Math.max(0, t)), 1.35));
}

/**
 * Builds the melody: each section letter gets a motif (B derives its own from A's by inversion and new rhythm);
 * phrases state, sequence, vary and develop it and close on cadence notes; returning sections restate their theme.
 */
export function composeMelody(plan: MusicPlan, chords: readonly ChordSpan[], rng: Rng): MelodyNote[] {
  const beatsPerBar = plan.meter[0] * (4 / plan.meter[1]);
  const [lo, hi] = plan.melodyRange;
  const ctx: Ctx = { plan, chords, beatsPerBar, lo, hi, out: [], last: Math.round((lo + hi) / 2), strongHistory: [] };
  const motifs = new Map<string, Motif>();
  const motifA = createMotif(rng.fork('motif-A'), beatsPerBar, plan.rhythmicDensity);
  motifs.set('A', motifA);
  const contrast = varyRhythm(rng.fork('motif-B-rhythm'), invert(createMotif(rng.fork('motif-B'), beatsPerBar, plan.rhythmicDensity * 0.85)));
  motifs.set('B', contrast);
  motifs.set('C', fragment(invert(motifA), beatsPerBar));
  let bar = 0;
  const breaths = new Set(sectionCaesuras(plan).map((c) => c.endBeat));
  plan.sections.forEach((section, si) => {
    const sectionStart = bar;
    // After a general pause the voices start afresh: no parallel motion is heard across the silence.
    if (breaths.has(sectionStart * beatsPerBar)) ctx.prevStrong = undefined;
    if (section.name === 'intro') {
      bar += section.bars;
      return;
    }
    const letter = section.name === 'outro' ? 'A' : section.name.replace(/'/g, '');
    const motif = motifs.get(letter) ?? motifA;
    const returning = section.name.includes("'");
    const lift = letter === 'B' ? 2 : letter === 'C' ? 1 : 0;
    const phrases = section.name === 'outro' ? [section.bars] : phraseLengths(section.bars);
    let pBar = sectionStart;
    phrases.forEach((len, pi) => {
      const roles = section.name === 'outro' ? Array.from({ length: len }, (_, i): BarRole => (i === len - 1 ? 'cadence' : 'motif')) : barRoles(len);
      // The same seed label makes a restatement reproduce its theme; in multi-phrase sections the last phrase is varied.
      const lastPhrase = pi === phrases.length - 1;
      // A second reprise (A'') also varies its consequent phrases.
      const variant = returning && ((lastPhrase && phrases.length > 1) || (section.name === "A''" && pi % 2 === 1)) ? '-var' : '';
      const prng = rng.fork(`phrase-${letter}-${pi % 2}-${len}${variant}${section.name === "A''" && variant ? '2' : ''}`);
      const varied = prng.chance(0.5) ? invert(motif) : varyRhythm(prng, motif);
      // Later periods of a long section open with a variant of the motif, so the section develops instead of looping.
      const period = Math.floor(pi / 2);
      const prngPeriod = rng.fork(`period-${letter}-${period}`);
      const opening = period === 0 ? motif : prngPeriod.chance(0.5) ? varyRhythm(prngPeriod, motif) : invert(varyRhythm(prngPeriod, motif));
      roles.forEach((role, bi) => {
        const start = (pBar + bi) * beatsPerBar;
        // Cadence bars aim at the end of the arch: phrases settle low (Huron 2006, "Sweet Anticipation", ch. 5).
        const height = archHeight(role === 'cadence' ? 1 : (bi + 0.5) / len);
        const target = lo + lift + (hi - lo - lift) * height;
        const finalBar = si === plan.sections.length - 1 && bi === len - 1;
        if (role === 'cadence') {
          realiseCadence(ctx, start, target, finalBar || (lastPhrase && section.name !== 'B'), finalBar, plan.rhythmicDensity >= 1.2);
        } else {
          const m = role === 'vary' ? varied : role === 'develop' ? fragment(motif, beatsPerBar) : opening;
          realiseBar(ctx, m, start, target, prng, bi > 0 ? 'bar' : pi === 0 && section.name !== 'outro' ? 'section' : 'phrase');
        }
      });
      pBar += len;
    });
    bar += section.bars;
  });
  return ctx.out;
}
