import { EMOTION_NAMES } from './emotion-labels';
import { EMOTION_TABLE, EmotionAnchor } from './emotion-table';
import { barsForDuration, fitDuration, MAX_DURATION_SEC, MIN_DURATION_SEC, planForm } from './form';
import { gmProgramName } from './gm-programs';
import { STYLE_TABLE } from './style-table';
import { isMinorFamily, keySignatureAccidentals, tonicName } from './theory';
import { EmotionTarget, MusicPlan, PlanInstrument, PlanOverrides } from './types';

/** Slowest and fastest tempo a request may ask for (quarter-note BPM). */
export const MIN_TEMPO = 40;
export const MAX_TEMPO = 220;

function checkUnit(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < -1 || value > 1) {
    throw new RangeError(`${name} must be a finite number in [-1, 1], got ${String(value)}`);
  }
  return value;
}

/** Validates the shared inputs of every planner; throws RangeError naming the bad field. */
export function validatePlanInputs(target: EmotionTarget, durationSec: number, overrides?: PlanOverrides): void {
  checkUnit('valence', target?.valence);
  checkUnit('arousal', target?.arousal);
  if (target.label !== undefined && !EMOTION_NAMES.includes(target.label)) {
    throw new RangeError(`label must be one of ${EMOTION_NAMES.join(', ')}, got ${String(target.label)}`);
  }
  if (typeof durationSec !== 'number' || !Number.isFinite(durationSec) || durationSec < MIN_DURATION_SEC || durationSec > MAX_DURATION_SEC) {
    throw new RangeError(`durationSec must be between ${MIN_DURATION_SEC} and ${MAX_DURATION_SEC} seconds, got ${String(durationSec)}`);
  }
  if (overrides?.tempo !== undefined) {
    const t = overrides.tempo;
    if (typeof t !== 'number' || !Number.isFinite(t) || t < MIN_TEMPO || t > MAX_TEMPO) {
      throw new RangeError(`tempo must be between ${MIN_TEMPO} and ${MAX_TEMPO} BPM, got ${String(t)}`);
    }
  }
  for (const p of overrides?.instruments ?? []) gmProgramName(p);
  if (overrides?.style !== undefined && !STYLE_TABLE[overrides.style]) {
    throw new RangeError(`style must be one of ${Object.keys(STYLE_TABLE).join(', ')}, got ${overrides.style}`);
  }
}

/** Inverse-distance weights of the anchors for a valence/arousal point (exact anchor → weight 1). */
function anchorWeights(valence: number, arousal: number): number[] {
  const raw = EMOTION_TABLE.map((a) => 1 / ((a.valence - valence) ** 2 + (a.arousal - arousal) ** 2 + 1e-4) ** 1.5);
  const total = raw.reduce((s, w) => s + w, 0);
  return raw.map((w) => w / total);
}

function blend(weights: number[], pick: (a: EmotionAnchor) => number): number {
  return EMOTION_TABLE.reduce((s, a, i) => s + weights[i] * pick(a), 0);
}

/**
 * Tempo as a function of arousal alone (its strongest cue): piecewise-linear through the anchors' (arousal, tempo)
 * points, extended to 56 BPM at arousal -1 and 160 BPM at +1. Monotone by construction and exact at every anchor.
 */
function arousalTempo(arousal: number): number {
  const points = [[-1, 56], ...EMOTION_TABLE.map((a) => [a.arousal, a.tempo]).sort((x, y) => x[0] - y[0]), [1, 160]];
  for (let i = 1; i < points.length; i++) {
    const [a0, t0] = points[i - 1];
    const [a1, t1] = points[i];
    if (arousal <= a1) return Math.round(a1 === a0 ? t1 : t0 + ((arousal - a0) / (a1 - a0)) * (t1 - t0));
  }
  return points[points.length - 1][1];
}

/**
 * The anchor that supplies categorical features (mode, meter, style, instruments): the labelled one if given,
 * else the nearest anchor on the same side of the valence axis, so negative valence always yields a minor-family mode.
 */
function categoricalAnchor(target: EmotionTarget): EmotionAnchor {
  if (target.label) return EMOTION_TABLE.find((a) => a.emotion === target.label)!;
  const sameSide = EMOTION_TABLE.filter((a) => a.valence < 0 === target.valence < 0);
  let best = sameSide[0];
  let bestD = Infinity;
  for (const a of sameSide) {
    const d = (a.valence - target.valence) ** 2 + (a.arousal - target.arousal) ** 2;
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return best;
}

const fmt = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(2);

function describeTempo(t: number): string {
  return t < 70 ? 'slow' : t < 100 ? 'moderate' : t < 130 ? 'lively' : 'fast';
}
function describeLoudness(v: number): string {
  return v < 60 ? 'soft (p)' : v < 80 ? 'medium (mp–mf)' : v < 100 ? 'fairly loud (mf–f)' : 'loud (f–ff)';
}
/** Scientific pitch name spelled for the key (flats in flat keys). */
function noteName(midi: number, tonic: number, mode: MusicPlan['mode']): string {
  const sharps = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
  const flats = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B'];
  const names = keySignatureAccidentals(tonic, mode) < 0 ? flats : sharps;
  return `${names[midi % 12]}${Math.floor(midi / 12) - 1}`;
}

/** Builds a complete plan for a valence/arousal target and a duration in seconds (10–300). Pure and deterministic. */
export function planFromEmotion(target: EmotionTarget, durationSec: number, overrides?: PlanOverrides): MusicPlan {
  validatePlanInputs(target, durationSec, overrides);
  const { valence, arousal } = target;
  const w = anchorWeights(valence, arousal);
  const cat = categoricalAnchor(target);
  const nearest = EMOTION_TABLE[w.indexOf(Math.max(...w))];
  const emotion = target.label ?? nearest.emotion;

  const tableTempo = arousalTempo(arousal);
  const askedTempo = Math.round(overrides?.tempo ?? tableTempo);
  const loudness = Math.round(blend(w, (a) => a.loudness));
  const center = Math.round(blend(w, (a) => a.melodyCenter));
  const registerShift = Math.round(blend(w, (a) => a.registerShift));
  const rhythmicDensity = Math.round(blend(w, (a) => a.rhythmicDensity) * 4) / 4;
  const harmonicRhythm = blend(w, (a) => a.harmonicRhythm) >= 0.75 ? 1 : 0.5;
  const meter = cat.meter;
  const style = overrides?.style ?? cat.style;
  const styleEntry = STYLE_TABLE[style];

  // A requested tempo is kept and the piece gets the nearest whole bars. The emotion's own tempo may move (≤ 12 %) so
  // that a short piece at a slow tempo lands within 10 % of the request.
  const beatsPerBar = meter[0] * (4 / meter[1]);
  const { bars, tempo } =
    overrides?.tempo !== undefined
      ? { bars: barsForDuration(durationSec, askedTempo, beatsPerBar), tempo: askedTempo }
      : fitDuration(durationSec, askedTempo, beatsPerBar, MIN_TEMPO, MAX_TEMPO);
  const sections = planForm(bars);
  const programs = overrides?.instruments ?? [];
  const roles: [PlanInstrument['role'], number][] = [
    ['melody', programs[0] ?? cat.instruments.melody],
    ['harmony', programs[1] ?? cat.instruments.harmony],
    ['bass', programs[2] ?? cat.instruments.bass],
  ];
  const instruments: PlanInstrument[] = roles.map(([role, program]) => ({ role, program, name: gmProgramName(program) }));
  if (styleEntry.drums !== 'none') instruments.push({ role: 'drums', program: 0, name: 'Standard Drum Kit (channel 10)' });

  const key = tonicName(cat.tonic, cat.mode);
  const modeLabel = cat.mode === 'harmonicMinor' ? 'harmonic minor' : cat.mode;
  const barSec = (60 / tempo) * meter[0] * (4 / meter[1]);
  const explanation = [
    `Target valence ${fmt(valence)}, arousal ${fmt(arousal)}: closest to "${emotion}".`,
    overrides?.tempo !== undefined
      ? `Tempo ${askedTempo} BPM as requested (the emotion table suggested ${tableTempo} BPM).`
      : `${describeTempo(askedTempo)[0].toUpperCase()}${describeTempo(askedTempo).slice(1)} tempo (${askedTempo} BPM) because arousal is ${arousal >= 0 ? 'high' : 'low'} (${fmt(arousal)}); tempo is the strongest arousal cue (Gabrielsson & Lindström 2010).`,
    `${key} ${modeLabel} because valence is ${valence >= 0 ? 'positive' : 'negative'} (${fmt(valence)}): ${isMinorFamily(cat.mode) ? 'minor-family modes read as darker/negative' : 'major-family modes read as brighter/positive'} (Juslin & Laukka 2004).`,
    `Melody around ${noteName(center, cat.tonic, cat.mode)} (${center >= 70 ? 'high, brighter' : center >= 65 ? 'middle' : 'low, darker'} register); ${cat.articulation} articulation, about ${rhythmicDensity} note${rhythmicDensity === 1 ? '' : 's'} per beat.`,
    `Loudness ${describeLoudness(loudness)} (velocity ${loudness}) with ${cat.dynamicShape} dynamics.`,
    `Harmony: ${cat.harmonicVocabulary} vocabulary, ${harmonicRhythm === 1 ? 'one chord per bar' : 'one chord every two bars'}, half cadences mid-period and authentic cadences at period ends${cat.harmonicVocabulary === 'modal' ? ' (modal cadences, no leading tone)' : ', some with a dominant seventh'}${cat.modulation !== 'none' ? `; the B section moves to the ${cat.modulation} key` : ''}.`,
    `Style ${styleEntry.description}; instruments: ${instruments.map((i) => `${i.name} (${i.role})`).join(', ')}.`,
    `Form ${sections.map((s) => `${s.name} ${s.bars}`).join(' + ')} = ${bars} bars of ${meter[0]}/${meter[1]} ≈ ${(bars * barSec).toFixed(1)} s (requested ${durationSec} s)${
      tempo !== askedTempo ? `; played at ${tempo} instead of ${askedTempo} BPM so that whole bars fit the requested length` : ''
    }.`,
  ];

  return {
    key,
    tonic: cat.tonic,
    mode: cat.mode,
    tempo,
    meter: [meter[0], meter[1]],
    melodyRange: [center - 9, center + 9],
    registerShift,
    loudness,
    dynamicShape: cat.dynamicShape,
    articulation: cat.articulation,
    rhythmicDensity,
    harmonicVocabulary: cat.harmonicVocabulary,
    harmonicRhythm,
    accompaniment: styleEntry.accompaniment,
    drums: styleEntry.drums,
    modulation: cat.modulation,
    style,
    sections,
    bars,
    durationSec,
    instruments,
    valence,
    arousal,
    emotion,
    explanation,
  };
}
