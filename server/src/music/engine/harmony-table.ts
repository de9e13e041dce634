import { HarmonicVocabulary, ModeName } from './types';

/**
 * Chord vocabularies and first-order transition weights (Roman numerals), per tonal scheme.
 * Weights follow the functional tendencies of common-practice and pop harmony (tonic → predominant →
 * dominant → tonic; deceptive V→vi; retrogressions rare), as tabulated in corpus studies of Roman-numeral
 * transitions (e.g. Tymoczko's "A Geometry of Music" ch. 7 Bach/Mozart tables; de Clercq & Temperley 2011 rock corpus).
 */
export interface ChordDef {
  numeral: string;
  /** Root in semitones above the tonic. */
  root: number;
  quality: 'maj' | 'min' | 'dim' | 'dom7';
  /** Pitch class (relative to tonic) of a leading tone that must resolve up, if the chord has dominant function. */
  leadingTone?: number;
}

export interface HarmonyScheme {
  chords: Record<string, ChordDef>;
  transitions: Record<string, Record<string, number>>;
  tonic: string;
  /** Penultimate chord of an authentic (or modal) cadence. */
  authenticPenultimate: string;
  /** Goal of a half cadence. */
  halfGoal: string;
}

const c = (numeral: string, root: number, quality: ChordDef['quality'], leadingTone?: number): ChordDef =>
  ({ numeral, root, quality, leadingTone });

const MAJOR: HarmonyScheme = {
  chords: {
    I: c('I', 0, 'maj'), ii: c('ii', 2, 'min'), iii: c('iii', 4, 'min'), IV: c('IV', 5, 'maj'),
    V: c('V', 7, 'maj', 11), V7: c('V7', 7, 'dom7', 11), vi: c('vi', 9, 'min'), 'vii°': c('vii°', 11, 'dim', 11),
  },
  transitions: {
    I: { ii: 0.15, iii: 0.05, IV: 0.3, V: 0.25, vi: 0.25 },
    ii: { V: 0.65, 'vii°': 0.1, IV: 0.1, vi: 0.05, I: 0.1 },
    iii: { vi: 0.5, IV: 0.4, ii: 0.1 },
    IV: { V: 0.4, I: 0.25, ii: 0.15, 'vii°': 0.05, vi: 0.15 },
    V: { I: 0.65, vi: 0.25, IV: 0.1 },
    vi: { ii: 0.3, IV: 0.4, V: 0.15, iii: 0.1, I: 0.05 },
    'vii°': { I: 0.9, vi: 0.1 },
  },
  tonic: 'I', authenticPenultimate: 'V', halfGoal: 'V',
};

const MINOR: HarmonyScheme = {
  chords: {
    i: c('i', 0, 'min'), 'ii°': c('ii°', 2, 'dim'), III: c('III', 3, 'maj'), iv: c('iv', 5, 'min'),
    V: c('V', 7, 'maj', 11), V7: c('V7', 7, 'dom7', 11), VI: c('VI', 8, 'maj'), VII: c('VII', 10, 'maj'),
    'vii°': c('vii°', 11, 'dim', 11),
  },
  transitions: {
    i: { iv: 0.3, V: 0.2, VI: 0.25, III: 0.1, VII: 0.1, 'ii°': 0.05 },
    'ii°': { V: 0.8, 'vii°': 0.2 },
    III: { VI: 0.45, iv: 0.35, VII: 0.2 },
    iv: { V: 0.45, i: 0.2, 'ii°': 0.1, VII: 0.15, 'vii°': 0.1 },
    V: { i: 0.7, VI: 0.3 },
    VI: { iv: 0.3, 'ii°': 0.2, V: 0.25, III: 0.1, VII: 0.15 },
    VII: { III: 0.5, i: 0.3, VI: 0.2 },
    'vii°': { i: 1 },
  },
  tonic: 'i', authenticPenultimate: 'V', halfGoal: 'V',
};

/** Minor with the Neapolitan (bII) and more diminished colour: the "chromatic" vocabulary. */
const MINOR_CHROMATIC: HarmonyScheme = {
  chords: { ...MINOR.chords, N: c('N', 1, 'maj') },
  transitions: {
    ...MINOR.transitions,
    i: { iv: 0.25, V: 0.15, VI: 0.2, N: 0.15, 'vii°': 0.1, 'ii°': 0.1, VII: 0.05 },
    VI: { N: 0.25, 'ii°': 0.2, V: 0.3, iv: 0.25 },
    N: { V: 0.6, 'vii°': 0.3, i: 0.1 },
  },
  tonic: 'i', authenticPenultimate: 'V', halfGoal: 'V',
};

const DORIAN: HarmonyScheme = {
  chords: { i: c('i', 0, 'min'), ii: c('ii', 2, 'min'), III: c('III', 3, 'maj'), IV: c('IV', 5, 'maj'), v: c('v', 7, 'min'), VII: c('VII', 10, 'maj') },
  transitions: {
    i: { IV: 0.3, VII: 0.25, v: 0.15, III: 0.15, ii: 0.15 },
    ii: { i: 0.4, v: 0.3, IV: 0.3 },
    III: { IV: 0.5, VII: 0.3, ii: 0.2 },
    IV: { i: 0.55, VII: 0.25, v: 0.2 },
    v: { i: 0.45, IV: 0.35, VII: 0.2 },
    VII: { i: 0.5, IV: 0.3, III: 0.2 },
  },
  tonic: 'i', authenticPenultimate: 'IV', halfGoal: 'v',
};

const PHRYGIAN: HarmonyScheme = {
  chords: {
    i: c('i', 0, 'min'), II: c('II', 1, 'maj'), III: c('III', 3, 'maj'), iv: c('iv', 5, 'min'),
    VI: c('VI', 8, 'maj'), VII: c('VII', 10, 'maj'), vii: c('vii', 10, 'min'),
  },
  transitions: {
    i: { II: 0.35, VI: 0.25, iv: 0.2, VII: 0.1, III: 0.1 },
    II: { i: 0.5, III: 0.2, vii: 0.15, VII: 0.15 },
    III: { II: 0.4, iv: 0.3, VI: 0.3 },
    iv: { II: 0.3, i: 0.3, VII: 0.2, vii: 0.2 },
    VI: { VII: 0.4, II: 0.3, vii: 0.1, i: 0.2 },
    VII: { i: 0.6, VI: 0.2, III: 0.2 },
    vii: { i: 0.5, II: 0.3, VI: 0.2 },
  },
  tonic: 'i', authenticPenultimate: 'II', halfGoal: 'VII',
};

const LYDIAN: HarmonyScheme = {
  chords: { I: c('I', 0, 'maj'), II: c('II', 2, 'maj'), iii: c('iii', 4, 'min'), V: c('V', 7, 'maj', 11), vi: c('vi', 9, 'min'), vii: c('vii', 11, 'min') },
  transitions: {
    I: { II: 0.3, vi: 0.25, V: 0.2, iii: 0.15, vii: 0.1 },
    II: { I: 0.55, V: 0.2, vi: 0.15, iii: 0.1 },
    iii: { II: 0.4, vi: 0.4, I: 0.2 },
    V: { I: 0.5, II: 0.3, vi: 0.2 },
    vi: { II: 0.4, V: 0.3, I: 0.2, iii: 0.1 },
    vii: { I: 0.4, iii: 0.3, II: 0.3 },
  },
  tonic: 'I', authenticPenultimate: 'II', halfGoal: 'V',
};

const MIXOLYDIAN: HarmonyScheme = {
  chords: { I: c('I', 0, 'maj'), ii: c('ii', 2, 'min'), IV: c('IV', 5, 'maj'), v: c('v', 7, 'min'), vi: c('vi', 9, 'min'), VII: c('VII', 10, 'maj') },
  transitions: {
    I: { VII: 0.35, IV: 0.35, v: 0.1, ii: 0.1, vi: 0.1 },
    ii: { VII: 0.4, I: 0.3, v: 0.3 },
    IV: { I: 0.5, VII: 0.3, ii: 0.2 },
    v: { IV: 0.4, I: 0.3, VII: 0.3 },
    vi: { IV: 0.4, VII: 0.3, ii: 0.3 },
    VII: { I: 0.5, IV: 0.4, v: 0.1 },
  },
  tonic: 'I', authenticPenultimate: 'VII', halfGoal: 'v',
};

/** The scheme for a mode and vocabulary: 'modal' keeps the mode's own chords; otherwise tonal major/minor. */
export function harmonySchemeFor(mode: ModeName, vocabulary: HarmonicVocabulary): HarmonyScheme {
  if (vocabulary === 'modal') {
    if (mode === 'dorian') return DORIAN;
    if (mode === 'lydian') return LYDIAN;
    if (mode === 'mixolydian') return MIXOLYDIAN;
    if (mode === 'phrygian') return PHRYGIAN;
  }
  if (mode === 'phrygian') return PHRYGIAN;
  if (mode === 'dorian') return DORIAN;
  if (mode === 'minor' || mode === 'harmonicMinor') return vocabulary === 'chromatic' ? MINOR_CHROMATIC : MINOR;
  if (mode === 'lydian') return LYDIAN;
  if (mode === 'mixolydian') return MIXOLYDIAN;
  return MAJOR;
}

/** Semitone intervals of each chord quality above its root (the dominant seventh's seventh comes last). */
export const TRIAD_INTERVALS: Record<ChordDef['quality'], readonly number[]> = {
  maj: [0, 4, 7], min: [0, 3, 7], dim: [0, 3, 6], dom7: [0, 4, 7, 10],
};

/** Chance that an authentic cadence's V becomes V7 (the modal schemes have no V7). */
export const DOMINANT_SEVENTH_CHANCE: Record<'diatonic' | 'modal' | 'chromatic', number> = { diatonic: 0.5, modal: 0, chromatic: 0.7 };
