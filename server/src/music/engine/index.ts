/**
 * Music composition engine: pure TypeScript, no Nest, no I/O, deterministic for a given seed.
 *
 * Public interface (the music module and the audio renderer code against exactly this):
 *
 *   type EmotionName = 'happy'|'sad'|'calm'|'tense'|'angry'|'tender'|'excited'|'mysterious'
 *   EMOTION_NAMES: readonly EmotionName[]
 *   resolveEmotionLabel(label: string): EmotionName | undefined
 *       English or Chinese, case-insensitive, synonyms (fearful→tense, 开心→happy, 恐惧→tense).
 *   interface EmotionTarget { valence: number; arousal: number; label?: EmotionName }      both in [-1, 1]
 *   interface PlanOverrides { tempo?: number /* 40–220 BPM *\/; instruments?: number[] /* GM 0–127: melody, harmony, bass *\/; style?: string }
 *   interface MusicPlan { key, tonic, mode, tempo, meter, melodyRange, registerShift, loudness, dynamicShape,
 *       articulation, rhythmicDensity, harmonicVocabulary, harmonicRhythm, accompaniment, drums, modulation, style,
 *       sections: {name, bars}[], bars, durationSec, instruments: {role, program, name}[], valence, arousal,
 *       emotion, explanation: string[] }                                                    (see types.ts)
 *   planFromEmotion(target, durationSec /* 10–300 *\/, overrides?): MusicPlan             throws RangeError on bad input
 *   interface TopicAnalysis { valence; arousal; emotion; style?; tempoHint?; instruments?; keywords: string[] }
 *   analyseTopic(text: string): TopicAnalysis                 built-in Chinese/English lexicon analyser
 *   planFromTopic(analysis: TopicAnalysis, durationSec): MusicPlan   (an LLM may fill TopicAnalysis instead)
 *   interface NoteEvent { track; channel /* 9 = drums *\/; program; pitch; startSec; durationSec; velocity }
 *   interface Composition { plan; seed; durationSec; tempo; meter; tracks: {index,name,role,channel,program}[];
 *       notes: NoteEvent[] /* piano-roll list, sorted by time *\/; chords: ChordSpan[] /* numerals + 4-voice voicings *\/;
 *       melody /* un-humanised melody in beats *\/ }
 *   compose(plan: MusicPlan, seed: number /* integer 0–2^32-1 *\/): Composition    throws RangeError on a bad seed
 *   toMidi(composition: Composition): Uint8Array             Standard MIDI File, format 1, 480 PPQ
 *   parseMidi(bytes: Uint8Array): ParsedMidi                   reader used by tests and the evaluation
 *   STYLE_NAMES, GM_PROGRAM_NAMES                              vocabularies for DTO validation and UIs
 *   EMOTION_TABLE, EMOTION_DISPLAY_NAMES, INSTRUMENT_CHOICES    the emotions (anchors, labels) and instruments a UI offers
 *   MIN_DURATION_SEC, MAX_DURATION_SEC (10, 300 s), MIN_TEMPO, MAX_TEMPO (40, 220 BPM)   input limits
 *
 * Determinism: the same (plan, seed) gives byte-identical MIDI; all randomness comes from rng.ts (mulberry32).
 * Design notes, the emotion table's sources and the evaluation results: docs/music-engine.md.
 */
export type {
  EmotionName,
  EmotionTarget,
  PlanOverrides,
  MusicPlan,
  PlanSection,
  PlanInstrument,
  ModeName,
  NoteEvent,
  Composition,
  CompositionTrack,
  ChordSpan,
  TempoChange,
} from './types';
export { EMOTION_DISPLAY_NAMES, EMOTION_NAMES, resolveEmotionLabel } from './emotion-labels';
export { EMOTION_TABLE } from './emotion-table';
export type { EmotionAnchor } from './emotion-table';
export { MAX_DURATION_SEC, MIN_DURATION_SEC } from './form';
export { MAX_TEMPO, MIN_TEMPO, planFromEmotion } from './plan';
export { analyseTopic, planFromTopic } from './topic';
export type { TopicAnalysis } from './topic';
export { compose } from './compose';
export { toMidi } from './midi-write';
export { parseMidi, tickToSeconds } from './midi-read';
export type { ParsedMidi, ParsedNote, ParsedTrack } from './midi-read';
export { STYLE_NAMES } from './style-table';
export { GM_PROGRAM_NAMES, gmProgramName, INSTRUMENT_CHOICES, resolveInstrument } from './gm-programs';
