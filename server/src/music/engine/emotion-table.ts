import {
  Articulation, DynamicShape, EmotionName, HarmonicVocabulary, ModeName, Modulation,
} from './types';

/**
 * Emotion → musical features: the ONE table the planner reads.
 *
 * Sources. Gabrielsson & Lindström (2010), "The role of structure in the musical expression of emotions"
 * (Handbook of Music and Emotion, ch. 14) and Juslin & Laukka (2004), "Expression, perception, and induction
 * of musical emotions" (J. New Music Research 33(3), Table 2) summarise the cue profiles used here:
 *  - happiness: fast tempo, major mode, high pitch, moderately high loudness, staccato, simple consonant harmony;
 *  - sadness: slow tempo, minor mode, low pitch, low loudness, legato, little variability, decreasing dynamics;
 *  - tenderness: slow, major, soft, legato, medium-high pitch, slow regular rhythm;
 *  - calm/serenity: slow, major, soft, legato, few onsets, sustained (pad-like) accompaniment;
 *  - anger: fast, minor/atonal, high loudness, sharp attacks, staccato, dissonance, low-mid pitch, accents;
 *  - fear/tension: fast or irregular, minor, dissonant (Neapolitan, diminished chords), rising dynamics (crescendo),
 *    staccato, wide pitch range;
 *  - excitement (high arousal, positive): the fastest tempi, major, loud, dense rhythm, driving percussion;
 *  - mysterious (slightly negative, low-moderate arousal): modal (Dorian) colour, soft, slow harmonic rhythm.
 * Valence/arousal coordinates follow Russell's circumplex placement of these terms (Russell 1980;
 * Eerola & Vuoskoski 2011 use the same two dimensions for film-music excerpts).
 * Tempo rises with arousal across the anchors (the strongest arousal cue); mode follows the sign of valence
 * (the strongest valence cue), which the unit tests check.
 */
export interface EmotionAnchor {
  emotion: EmotionName;
  valence: number;
  arousal: number;
  /** Quarter-note BPM. */
  tempo: number;
  mode: ModeName;
  /** Preferred tonic pitch class (C = 0): sharp keys for bright moods, flat/low keys for dark ones. */
  tonic: number;
  meter: [number, number];
  /** Melody centre pitch (MIDI); the melody spans ±9 semitones around it. */
  melodyCenter: number;
  /** Accompaniment/bass register shift in semitones (negative = darker). */
  registerShift: number;
  /** Base MIDI velocity of the melody. */
  loudness: number;
  dynamicShape: DynamicShape;
  articulation: Articulation;
  /** Melody onsets per beat. */
  rhythmicDensity: number;
  harmonicVocabulary: HarmonicVocabulary;
  /** Chords per bar. */
  harmonicRhythm: number;
  modulation: Modulation;
  /** Default style (STYLE_TABLE key): accompaniment pattern and drums. */
  style: string;
  /** General MIDI programs for melody, harmony and bass. */
  instruments: { melody: number; harmony: number; bass: number };
}

export const EMOTION_TABLE: readonly EmotionAnchor[] = [
  {
    emotion: 'excited', valence: 0.7, arousal: 0.9, tempo: 148, mode: 'major', tonic: 2, meter: [4, 4],
    melodyCenter: 76, registerShift: 2, loudness: 102, dynamicShape: 'crescendo', articulation: 'staccato',
    rhythmicDensity: 2, harmonicVocabulary: 'diatonic', harmonicRhythm: 1, modulation: 'dominant',
    style: 'electronic', instruments: { melody: 80, harmony: 61, bass: 38 },
  },
  {
    emotion: 'happy', valence: 0.8, arousal: 0.5, tempo: 122, mode: 'major', tonic: 7, meter: [4, 4],
    melodyCenter: 74, registerShift: 2, loudness: 90, dynamicShape: 'terraced', articulation: 'staccato',
    rhythmicDensity: 1.5, harmonicVocabulary: 'diatonic', harmonicRhythm: 1, modulation: 'dominant',
    style: 'pop', instruments: { melody: 73, harmony: 25, bass: 33 },
  },
  {
    emotion: 'tender', valence: 0.6, arousal: -0.35, tempo: 76, mode: 'major', tonic: 5, meter: [3, 4],
    melodyCenter: 70, registerShift: 0, loudness: 58, dynamicShape: 'arch', articulation: 'legato',
    rhythmicDensity: 1, harmonicVocabulary: 'diatonic', harmonicRhythm: 1, modulation: 'relative',
    style: 'lullaby', instruments: { melody: 0, harmony: 24, bass: 42 },
  },
  {
    emotion: 'calm', valence: 0.4, arousal: -0.7, tempo: 62, mode: 'lydian', tonic: 0, meter: [4, 4],
    melodyCenter: 70, registerShift: 0, loudness: 54, dynamicShape: 'steady', articulation: 'legato',
    rhythmicDensity: 0.75, harmonicVocabulary: 'modal', harmonicRhythm: 0.5, modulation: 'none',
    style: 'ambient', instruments: { melody: 73, harmony: 89, bass: 32 },
  },
  {
    emotion: 'sad', valence: -0.7, arousal: -0.5, tempo: 64, mode: 'minor', tonic: 2, meter: [4, 4],
    melodyCenter: 64, registerShift: -3, loudness: 56, dynamicShape: 'decrescendo', articulation: 'legato',
    rhythmicDensity: 0.8, harmonicVocabulary: 'diatonic', harmonicRhythm: 1, modulation: 'relative',
    style: 'ballad', instruments: { melody: 42, harmony: 0, bass: 43 },
  },
  {
    emotion: 'mysterious', valence: -0.2, arousal: 0.0, tempo: 84, mode: 'dorian', tonic: 4, meter: [4, 4],
    melodyCenter: 67, registerShift: -2, loudness: 60, dynamicShape: 'arch', articulation: 'legato',
    rhythmicDensity: 1, harmonicVocabulary: 'modal', harmonicRhythm: 1, modulation: 'none',
    style: 'nocturne', instruments: { melody: 11, harmony: 92, bass: 32 },
  },
  {
    emotion: 'tense', valence: -0.6, arousal: 0.6, tempo: 126, mode: 'minor', tonic: 11, meter: [4, 4],
    melodyCenter: 66, registerShift: -2, loudness: 84, dynamicShape: 'crescendo', articulation: 'staccato',
    rhythmicDensity: 1.75, harmonicVocabulary: 'chromatic', harmonicRhythm: 1, modulation: 'dominant',
    style: 'cinematic', instruments: { melody: 40, harmony: 44, bass: 43 },
  },
  {
    emotion: 'angry', valence: -0.8, arousal: 0.85, tempo: 142, mode: 'phrygian', tonic: 4, meter: [4, 4],
    melodyCenter: 62, registerShift: -5, loudness: 110, dynamicShape: 'terraced', articulation: 'staccato',
    rhythmicDensity: 1.9, harmonicVocabulary: 'chromatic', harmonicRhythm: 1, modulation: 'none',
    style: 'rock', instruments: { melody: 29, harmony: 30, bass: 34 },
  },
];
