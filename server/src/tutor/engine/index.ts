/**
 * Tutor engine: pure TypeScript (no Nest, no I/O), deterministic. The tutor service codes against exactly this.
 *
 * Audio in
 *   inspectWav(bytes) → { sampleRate, channels, bitsPerSample, frames, durationSec }   header only (for the 60 s / 413 check)
 *   decodeWavMono(bytes) → { sampleRate /* Hz *\/, samples: Float32Array }             8/16/24/32-bit PCM, 32/64-bit float,
 *       mono or stereo (averaged), 8–48 kHz; throws AudioInputError { code: 'not-wav'|'unreadable'|'unsupported'|'empty' }
 * Pitch and notes
 *   trackPitch(audio, parameters?) → PitchTrack { hopSec, f0Hz (0 = unvoiced), clarity, levelDb, flux, referenceDb }   10 ms
 *       frames; searches 55–1760 Hz unless `minHz`/`maxHz` say otherwise (the assessment widens it for references
 *       beyond A1–A6, see searchRangeFor)
 *   segmentNotes(track) → DetectedNote[] { pitch /* fractional MIDI *\/, start /* s *\/, duration /* s *\/, clarity, levelDb }
 * Assessment (the POST /api/tutor/assess contract, 1:1)
 *   assessWav(bytes, referenceNotes, options?) → Assessment { score 0–100, notes[], extra[], feedback[] }
 *   assessRecording(audio, referenceNotes, options?) → AssessmentDetail { assessment, alignment, detected, track }
 *   assessNotes(referenceNotes, detectedNotes, options?) → AssessmentDetail      (no audio: tests, the page's own notes)
 *   validateReference(unknown) → ReferenceNote[] (pitches MIDI 0–127, judged over G0–E8); throws ReferenceInputError naming the bad field
 *   searchRangeFor(referenceNotes) → { minHz, maxHz, octaveBonusFromHz }   the tracker's search for a reference
 *   options: { meter?: { bpm, beatsPerBar, downbeatSec? } (feedback in bars), pitchToleranceCents? 50, onsetToleranceMs? 120 }
 * Skills, exercises, grading
 *   SKILLS, SKILL_AREAS, skillById(id), curriculumOrder()                     7 areas × 5 levels with prerequisites
 *   itemsForSkill(skillId), allItems() → ExerciseItem { itemId, skillId, label, priorDifficulty /* logits *\/ }
 *   generateExercise(itemId, seed, { range? }) → Exercise (interval|chord|scale|note-reading|rhythm|sight-singing|play-back)
 *   exerciseMidi(exercise) → Uint8Array                                        SMF for the music engine's AudioRenderPool
 *   gradeAnswer(exercise, answer) → ExerciseResult { correct, score 0–1, feedback[] }; assessTaps(rhythm, tapTimes /* s *\/)
 * Planner
 *   new LessonPlanner(parameters?)    .next(progress, calibration, now, seed) → NextExercise { itemId, kind, predictedSuccess, reason }
 *     .record(progress, calibration, itemId, score 0–1, now) → { progress, calibration, predicted, abilityChange, nextReview }
 *     .dailyPlan(progress, calibration, now) → DailyPlan { reviews[], newMaterial[], summary[] }   .recommendations(…)
 *     .predict / .mastery / .isMastered / .unlocked / .dueReviews
 *   LearnerProgress (per learner) and ItemCalibration (shared by all learners) are plain JSON the service stores.
 *   new LessonPlanner({ fsrsWeights }) schedules with refitted FSRS-6 weights; cardHistories(attempts, gradeOf) →
 *   CardHistory[] (per learner and item: FSRS rating and whole days since the previous review), what a refit reads.
 *
 * Methods, parameters, references and measured figures: docs/tutor-engine.md.
 */
export { AudioInputError, decodeWavMono, encodeWavMono, inspectWav, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './audio/wav-input';
export type { AudioInputErrorCode, MonoAudio, WavSummary } from './audio/wav-input';
export { ANALYSIS_RATE, analysisRateFor, hzToMidi, midiToHz, trackPitch } from './pitch/pitch-tracker';
export type { PitchTrack } from './pitch/pitch-tracker';
export { PITCH_TRACKER_DEFAULTS } from './pitch/pitch-parameters';
export type { PitchTrackerParameters } from './pitch/pitch-parameters';
export { segmentNotes } from './notes/segment';
export type { DetectedNote } from './notes/segment';
export { assessNotes, assessRecording, assessWav, ReferenceInputError, searchRangeFor, validateReference } from './assess/assess';
export type { AssessmentDetail } from './assess/assess';
export type { Alignment, AssessOptions, Assessment, ExtraNote, NoteVerdict, NoteVerdictKind, ReferenceNote } from './assess/types';
export { CHORD_QUALITIES, curriculumOrder, INTERVAL_NAMES, RHYTHM_CELLS, SKILL_AREAS, SKILLS, skillById } from './skills/skill-graph';
export type { Skill, SkillArea, SkillContent } from './skills/skill-graph';
export { allItems, exerciseMidi, generateExercise, itemsForSkill, MODE_LABELS, spell } from './exercises/exercises';
export type { ExerciseItem, GenerateOptions } from './exercises/exercises';
export { assessTaps, canonicalChoice, canonicalNoteName, gradeAnswer, matchChoice, TAP_RULES } from './exercises/grading';
export type { TapVerdict } from './exercises/grading';
export type {
  ChoiceExercise,
  Exercise,
  ExerciseAnswer,
  ExerciseAudio,
  ExerciseResult,
  MelodyExercise,
  NoteReadingExercise,
  RhythmExercise,
  Staff,
  StaffNote,
} from './exercises/exercise-types';
export { guessRate, LessonPlanner } from './planner/lesson-planner';
export { ITEM_PRIOR_SD, refitItemDifficulties, refitItems } from './planner/item-refit';
export type { ItemRefit, ItemRefitReport } from './planner/item-refit';
export { MIN_JUDGE_Z, pairedZ } from './planner/paired-z';
export { cardHistories, longTermReviews } from './planner/review-history';
export type { CardHistory, RecordedAttempt, Review } from './planner/review-history';
export type {
  AttemptOutcome,
  DailyPlan,
  ItemCalibration,
  LearnerProgress,
  NextExercise,
  NextKind,
  PlanEntry,
  Recommendation,
  SkillAbility,
  StoredCard,
} from './planner/lesson-planner';
export { PLANNER_DEFAULTS } from './planner/planner-parameters';
export type { PlannerParameters } from './planner/planner-parameters';
export { staffToAbc } from './notation/abc';
