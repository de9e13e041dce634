import { ChordDef, DOMINANT_SEVENTH_CHANCE, harmonySchemeFor, HarmonyScheme, TRIAD_INTERVALS } from './harmony-table';
import { Rng } from './rng';
import { mod12 } from './theory';
import { ChordSpan, ModeName, MusicPlan, PlanSection } from './types';

/** A key in force: tonic pitch class and mode. */
export interface KeyContext {
  tonic: number;
  mode: ModeName;
}

/** The key the B section moves to, per the plan's modulation. */
export function modulatedKey(plan: MusicPlan): KeyContext {
  const minorish = plan.mode === 'minor' || plan.mode === 'harmonicMinor';
  const tonal = plan.mode === 'major' || minorish;
  if (!tonal || plan.modulation === 'none') return { tonic: plan.tonic, mode: plan.mode };
  switch (plan.modulation) {
    case 'relative':
      return minorish ? { tonic: mod12(plan.tonic + 3), mode: 'major' } : { tonic: mod12(plan.tonic + 9), mode: 'minor' };
    case 'dominant':
      return { tonic: mod12(plan.tonic + 7), mode: minorish ? 'minor' : 'major' };
    case 'parallel':
      return { tonic: plan.tonic, mode: minorish ? 'major' : 'minor' };
  }
}

/** Splits a section into phrases: fours, with a final phrase of 2–5 bars. */
export function phraseLengths(bars: number): number[] {
  const out: number[] = [];
  let left = bars;
  while (left > 5) {
    out.push(4);
    left -= 4;
  }
  if (left > 0) out.push(left);
  return out;
}

/** Bars per chord slot in a phrase: one chord per bar, or two bars per chord that speed up into the cadence. */
function slotBars(phraseBars: number, harmonicRhythm: number): number[] {
  if (harmonicRhythm >= 1 || phraseBars <= 2) return Array.from({ length: phraseBars }, () => 1);
  const slots: number[] = [];
  let left = phraseBars - 2;
  while (left >= 2) {
    slots.push(2);
    left -= 2;
  }
  if (left === 1) slots.push(1);
  return [...slots, 1, 1];
}

function nextWeights(scheme: HarmonyScheme, from: string | undefined, towards?: string): [string[], number[]] {
  const names = Object.keys(scheme.chords);
  const row = from ? (scheme.transitions[from] ?? {}) : { [scheme.tonic]: 1 };
  const weights = names.map((n) => {
    let w = n === towards ? 0 : (row[n] ?? 0);
    if (towards) w *= scheme.transitions[n]?.[towards] ?? 0;
    return w;
  });
  return [names, weights];
}

function drawChord(rng: Rng, scheme: HarmonyScheme, from: string | undefined, towards?: string): string {
  let [names, weights] = nextWeights(scheme, from, towards);
  if (weights.every((w) => w <= 0)) {
    [names, weights] = nextWeights(scheme, from);
    if (towards) weights = weights.map((w, i) => (names[i] === towards ? 0 : w));
  }
  return names[rng.weighted(weights)];
}

/** Roman numerals for one phrase ending in the given cadence. */
export function phraseNumerals(
  rng: Rng,
  scheme: HarmonyScheme,
  slots: number,
  cadence: 'authentic' | 'half',
  previous: string | undefined,
  startOnTonic: boolean,
  prefix: readonly string[] = [],
): string[] {
  const goal = cadence === 'authentic' ? scheme.tonic : scheme.halfGoal;
  if (slots === 1) return [goal];
  const out: string[] = [];
  const penultimate = cadence === 'authentic' ? scheme.authenticPenultimate : undefined;
  const fixedTail = penultimate ? [penultimate, goal] : [goal];
  const free = slots - fixedTail.length;
  let prev = previous;
  for (let i = 0; i < free; i++) {
    const towards = i === free - 1 ? fixedTail[0] : undefined;
    const reuse = i < prefix.length && (towards === undefined || (scheme.transitions[prefix[i]]?.[towards] ?? 0) > 0);
    const chord = reuse ? prefix[i] : i === 0 && startOnTonic ? scheme.tonic : drawChord(rng, scheme, prev, towards);
    out.push(chord);
    prev = chord;
  }
  if (!penultimate && out.length > 0 && out[out.length - 1] === goal) {
    // A half cadence needs a distinct approach chord.
    out[out.length - 1] = drawChord(rng, scheme, out[out.length - 2] ?? scheme.tonic, goal);
  }
  return [...out, ...fixedTail].slice(-slots);
}

export function chordPitchClasses(def: ChordDef, tonic: number): number[] {
  return TRIAD_INTERVALS[def.quality].map((i) => mod12(tonic + def.root + i));
}

interface SectionHarmony {
  numerals: string[];
  slotBars: number[];
  cadences: (undefined | 'authentic' | 'half')[];
}

function sectionHarmony(rng: Rng, plan: MusicPlan, section: PlanSection, scheme: HarmonyScheme, previous: string | undefined): SectionHarmony {
  const numerals: string[] = [];
  const bars: number[] = [];
  const cadences: SectionHarmony['cadences'] = [];
  if (section.name === 'intro' || section.name === 'outro') {
    const isIntro = section.name === 'intro';
    const body = isIntro ? [scheme.tonic] : [scheme.authenticPenultimate, scheme.tonic];
    const n = section.bars;
    if (isIntro) {
      for (let i = 0; i < n; i++) numerals.push(i === n - 1 && n > 1 ? scheme.halfGoal : scheme.tonic);
    } else {
      for (let i = 0; i < n; i++) numerals.push(i === n - 1 || n === 1 ? scheme.tonic : body[i % 2]);
    }
    numerals.forEach((_, i) => {
      bars.push(1);
      cadences.push(i === n - 1 ? (isIntro && n > 1 ? 'half' : 'authentic') : undefined);
    });
    return { numerals, slotBars: bars, cadences };
  }
  const phrases = phraseLengths(section.bars);
  let prev = previous;
  let antecedent: string[] = [];
  phrases.forEach((len, k) => {
    const cadence: 'authentic' | 'half' = k === phrases.length - 1 || k % 2 === 1 ? 'authentic' : 'half';
    const slots = slotBars(len, plan.harmonicRhythm);
    // Parallel period: the consequent phrase opens with the antecedent's first half, then cadences differently.
    const prefix = k % 2 === 1 && phrases[k - 1] === len ? antecedent.slice(0, Math.ceil(slots.length / 2)) : [];
    const phrase = phraseNumerals(rng, scheme, slots.length, cadence, prev, k % 2 === 0, prefix);
    antecedent = phrase;
    // Authentic cadences may sharpen their dominant to a dominant seventh (its seventh must then resolve down).
    const pen = phrase.length - 2;
    if (cadence === 'authentic' && pen >= 0 && phrase[pen] === 'V' && scheme.chords.V7 && rng.chance(DOMINANT_SEVENTH_CHANCE[plan.harmonicVocabulary])) {
      phrase[pen] = 'V7';
    }
    phrase.forEach((n, i) => {
      numerals.push(n);
      bars.push(slots[i]);
      cadences.push(i === phrase.length - 1 ? cadence : undefined);
    });
    prev = phrase[phrase.length - 1];
  });
  return { numerals, slotBars: bars, cadences };
}

/** Chord skeleton of the whole piece (voicings are filled in later by voiceProgression). */
export function buildProgression(plan: MusicPlan, rng: Rng): ChordSpan[] {
  const beatsPerBar = plan.meter[0] * (4 / plan.meter[1]);
  const home: KeyContext = { tonic: plan.tonic, mode: plan.mode };
  const away = modulatedKey(plan);
  const spans: ChordSpan[] = [];
  const memo = new Map<string, SectionHarmony>();
  const firstSpan = new Map<string, number>();
  let bar = 0;
  let prev: string | undefined;
  for (const section of plan.sections) {
    // B moves to the plan's secondary key; the development section C works the home key with new harmony.
    const inB = section.name === 'B' || section.name === "B'";
    const key = inB ? away : home;
    const scheme = harmonySchemeFor(key.mode, plan.harmonicVocabulary);
    const letter = section.name.replace(/'/g, '');
    // Returning sections reuse the harmony of their first statement: repetition is what makes form audible.
    const memoKey = `${letter}:${section.bars}`;
    let harmony = memo.get(memoKey);
    const original = firstSpan.get(memoKey);
    if (!harmony) {
      harmony = sectionHarmony(rng, plan, section, scheme, inB ? undefined : prev);
      memo.set(memoKey, harmony);
      firstSpan.set(memoKey, spans.length);
    }
    let beat = bar * beatsPerBar;
    harmony.numerals.forEach((numeral, i) => {
      const def = scheme.chords[numeral];
      const beats = harmony.slotBars[i] * beatsPerBar;
      spans.push({
        startBeat: beat,
        beats,
        numeral,
        pitchClasses: chordPitchClasses(def, key.tonic),
        voicing: [],
        tonic: key.tonic,
        mode: key.mode,
        section: section.name,
        cadence: harmony.cadences[i],
        ...(original !== undefined ? { restates: original + i } : {}),
      });
      beat += beats;
    });
    prev = harmony.numerals[harmony.numerals.length - 1];
    bar += section.bars;
  }
  return spans;
}

/** Leading-tone pitch class of a chord span, if it has dominant function (V, vii°) in its key. */
export function leadingToneOf(span: ChordSpan, vocabulary: MusicPlan['harmonicVocabulary']): number | undefined {
  const def = harmonySchemeFor(span.mode, vocabulary).chords[span.numeral];
  return def?.leadingTone === undefined ? undefined : mod12(span.tonic + def.leadingTone);
}
