export { AudioInputError, decodeWavMono, encodeWavMono, inspectWav, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './audio/wav-input';
export type { AudioInputErrorCode, MonoAudio, WavSummary } from './audio/wav-input';
export { ANALYSIS_RATE, hzToMidi, midiToHz, trackPitch } from './pitch/pitch-tracker';
export type { PitchTrack } from './pitch/pitch-tracker';
export { PITCH_TRACKER_DEFAULTS } from './pitch/pitch-parameters';
export type { PitchTrackerParameters } from './pitch/pitch-parameters';
export { segmentNotes } from './notes/segment';
export type { DetectedNote } from './notes/segment';
export { assessNotes, assessRecording, assessWav, ReferenceInputError, validateReference } from './assess/assess';
export type { AssessmentDetail } from './assess/assess';
export type { Alignment, AssessOptions, Assessment, ExtraNote, NoteVerdict, NoteVerdictKind, ReferenceNote } from './assess/types';
export { CHORD_QUALITIES, curriculumOrder, INTERVAL_NAMES, RHYTHM_CELLS, SKILL_AREAS, SKILLS, skillById } from './skills/skill-graph';
export type { Skill, SkillArea, SkillContent } from './skills/skill-graph';
export { allItems, exerciseMidi, generateExercise, itemsForSkill, MODE_LABELS, spell } from './exercises/exercises';
export type { ExerciseItem, GenerateOptions } from './exercises/exercises';
export { assessTaps, canonicalNoteName, gradeAnswer, TAP_RULES } from './exercises/grading';
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
