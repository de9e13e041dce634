import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsNumber, IsOptional, IsString, IsTimeZone, Matches, Max, MaxLength, Min } from 'class-validator';
import { AssessmentDto, ReferenceNoteDto } from './assessment.dto';
import { IntegerField, MAX_PAGE } from '../../core/validation/integer-field';

export const PLAN_KINDS = ['review', 'practice', 'new', 'chosen'] as const;
export const EXERCISE_KINDS = ['interval', 'chord', 'scale', 'note-reading', 'rhythm', 'sight-singing', 'play-back'] as const;

export class SkillItemDto {
  @ApiProperty({ example: 'intervals.1:7' })
  itemId!: string;
  @ApiProperty({ example: 'perfect 5th (ascending)' })
  label!: string;
  @ApiProperty({ example: 0.72, description: 'Predicted success 0–1 for this learner now' })
  predictedSuccess!: number;
}

export class SkillStatusDto {
  @ApiProperty({ example: 'intervals.1' })
  id!: string;
  @ApiProperty({ example: 'intervals' })
  area!: string;
  @ApiProperty({ example: 1, description: '1 (beginner) – 5 (advanced)' })
  level!: number;
  @ApiProperty({ example: 'Intervals: 2nds, 3rds and 5ths' })
  name!: string;
  @ApiProperty()
  description!: string;
  @ApiProperty({ type: [String], example: ['intervals.1'] })
  prerequisites!: string[];
  @ApiProperty({ description: 'Every prerequisite is mastered' })
  unlocked!: boolean;
  @ApiProperty()
  mastered!: boolean;
  @ApiProperty({ example: 0.64, description: 'Mean predicted success over the skill’s items (with forgetting), 0–1' })
  mastery!: number;
  @ApiProperty({ example: 0.3, description: 'Ability estimate (logits)' })
  ability!: number;
  @ApiProperty({ example: 5 })
  attempts!: number;
  @ApiProperty({ type: [SkillItemDto] })
  items!: SkillItemDto[];
}

export class SkillAreaDto {
  @ApiProperty({ example: 'intervals' })
  area!: string;
  @ApiProperty({ example: 'Intervals by ear' })
  name!: string;
  @ApiProperty({ type: [SkillStatusDto] })
  skills!: SkillStatusDto[];
}

export class CourseMapDto {
  @ApiProperty({ type: [SkillAreaDto] })
  areas!: SkillAreaDto[];
  @ApiProperty({ example: 3 })
  mastered!: number;
  @ApiProperty({ example: 35 })
  total!: number;
}

export class StreakDto {
  @ApiProperty({ example: 4, description: 'Consecutive days with practice up to today (0 when the last practice was before yesterday)' })
  current!: number;
  @ApiProperty({ example: 9 })
  longest!: number;
  @ApiProperty({ description: "Practised today (in the learner's time zone)" })
  practisedToday!: boolean;
}

export class TutorSettingsDto {
  @ApiProperty({
    example: 'Asia/Shanghai',
    description: "IANA time zone the learner's days are counted in (streak, today's plan, daily activity); 'UTC' until set",
  })
  @IsTimeZone({ message: 'timeZone must be an IANA time zone such as "Europe/Berlin"' })
  timeZone!: string;
}

export class PlanEntryDto {
  @ApiProperty({ example: 'intervals.2' })
  skillId!: string;
  @ApiProperty({ example: 'Intervals within the octave' })
  skillName!: string;
  @ApiPropertyOptional({ example: 'intervals.2:3' })
  itemId?: string;
  @ApiPropertyOptional({ example: 'an interval (ascending)', description: 'The item, named without giving the answer away' })
  itemLabel?: string;
  @ApiProperty({ example: 'Review an interval (ascending): last practised 6 days ago, recall about 83%.' })
  reason!: string;
}

export class RecommendationDto {
  @ApiProperty()
  skillId!: string;
  @ApiProperty()
  skillName!: string;
  @ApiProperty({ example: 0.55 })
  mastery!: number;
  @ApiProperty()
  reason!: string;
}

export class TodayPlanDto {
  @ApiProperty({ example: '2026-11-29' })
  date!: string;
  @ApiProperty({ type: [PlanEntryDto] })
  reviews!: PlanEntryDto[];
  @ApiProperty({ type: [PlanEntryDto] })
  newMaterial!: PlanEntryDto[];
  @ApiProperty({ type: [String], description: 'The plan in sentences' })
  summary!: string[];
  @ApiProperty({ type: [RecommendationDto], description: 'One open skill per area, weakest first' })
  recommendations!: RecommendationDto[];
  @ApiProperty({ type: StreakDto })
  streak!: StreakDto;
  @ApiProperty({ example: 6, description: 'Attempts today' })
  attemptsToday!: number;
  @ApiProperty({
    enum: ['shared', 'own'],
    description:
      "How reviews are timed: FSRS weights shared by every learner, or weights fitted to this learner's own attempts (after a refit found they predict them better)",
  })
  memoryModel!: 'shared' | 'own';
}

export class NextExerciseRequestDto {
  @ApiPropertyOptional({
    example: 'intervals.1',
    description: 'Practise this skill instead of the planner’s choice (a locked one is allowed: the reason says it is ahead of the plan)',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z-]+\.[1-5]$/, { message: 'skillId must look like "intervals.1"' })
  skillId?: string;

  @ApiPropertyOptional({
    example: 'intervals.1:4',
    description: 'Practise this item (a plan entry’s `itemId`, e.g. a review due today) instead of the planner’s choice; its skill need not be given',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[a-z-]+\.[1-5]:\S+$/, { message: 'itemId must look like "intervals.1:4" (a plan entry’s itemId)' })
  itemId?: string;
}

export class StaffNoteDto {
  @ApiProperty({ example: 66, description: 'MIDI pitch; −1 for a rest' })
  pitch!: number;
  @ApiProperty({ example: 'F#4' })
  name!: string;
  @ApiProperty({ example: 1, description: 'Quarter notes' })
  beats!: number;
}

export class StaffDto {
  @ApiProperty({ enum: ['treble', 'bass'] })
  clef!: 'treble' | 'bass';
  @ApiProperty({ example: 1, description: 'Sharps (> 0) or flats (< 0)' })
  keySignature!: number;
  @ApiProperty({ type: [Number], example: [4, 4] })
  timeSignature!: number[];
  @ApiProperty({ type: [StaffNoteDto] })
  notes!: StaffNoteDto[];
}

export class NotationDto {
  @ApiProperty({ example: 'X:1\nM:4/4\nL:1/48\nK:G\nG12 A12 B24 |]\n', description: 'ABC notation of the staff (abcjs renders it)' })
  abc!: string;
  @ApiProperty({ type: StaffDto })
  staff!: StaffDto;
}

/** An exercise as the page sees it: what to do, its audio and notation; never the answer. */
export class ExerciseDto {
  @ApiProperty({ example: '5b0c…', description: 'Exercise id (submit attempts to it)' })
  id!: string;
  @ApiProperty({ enum: EXERCISE_KINDS })
  kind!: (typeof EXERCISE_KINDS)[number];
  @ApiProperty({ example: 'intervals.1:7' })
  itemId!: string;
  @ApiProperty({
    example: 'an interval (ascending)',
    description: "The item, named without giving the answer away (an identification item by its kind only; the result's `correctAnswer` names it)",
  })
  itemLabel!: string;
  @ApiProperty({ example: 'intervals.1' })
  skillId!: string;
  @ApiProperty()
  skillName!: string;
  @ApiProperty({ enum: PLAN_KINDS, description: 'Why it was chosen: a due review, practice in the target band, a new skill, or the learner’s choice' })
  planKind!: (typeof PLAN_KINDS)[number];
  @ApiProperty({ example: 'Practice: Intervals — minor 3rd; predicted success 74%, inside the target band 65%–85%.' })
  reason!: string;
  @ApiProperty({ example: 0.74 })
  predictedSuccess!: number;
  @ApiProperty({ example: 'Which interval do you hear?' })
  prompt!: string;
  @ApiProperty({ enum: ['choice', 'names', 'taps', 'recording'], description: 'What the attempt carries' })
  answerFormat!: 'choice' | 'names' | 'taps' | 'recording';
  @ApiPropertyOptional({
    example: '/api/tutor/exercises/5b0c…/audio',
    description: 'MP3 of the exercise (ear training, count-in, melody); token may go in ?access_token=',
  })
  audioUrl?: string;
  @ApiPropertyOptional({ type: [String], description: 'Listen-and-choose answers' })
  choices?: string[];
  @ApiPropertyOptional({ type: NotationDto })
  notation?: NotationDto;
  @ApiPropertyOptional({ type: [ReferenceNoteDto], description: 'The melody to sing or play (s from its first note)' })
  melody?: ReferenceNoteDto[];
  @ApiPropertyOptional({ example: 90 })
  bpm?: number;
  @ApiPropertyOptional({ example: 4 })
  beatsPerBar?: number;
  @ApiPropertyOptional({ example: 4, description: 'Rhythm: count-in clicks (beats) before the pattern' })
  countInBeats?: number;
  @ApiPropertyOptional({ example: 4, description: 'Note reading: how many names to give' })
  noteCount?: number;
}

export class AnswerAttemptDto {
  @ApiPropertyOptional({ example: 'perfect 5th', description: 'Listen-and-choose: one of the choices' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  answer?: string;

  @ApiPropertyOptional({ type: [String], example: ['F#', 'A', 'D', 'G'], description: 'Note reading: names in order (spelling counts)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  @MaxLength(24, { each: true })
  names?: string[];

  @ApiPropertyOptional({ type: [Number], example: [2.67, 3.33, 4.0], description: 'Rhythm: tap times in seconds from the first count-in click' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  @Min(-5, { each: true })
  @Max(120, { each: true })
  taps?: number[];
}

export class TapVerdictDto {
  @ApiProperty({ example: 2.667, description: 'Expected tap (s from the first count-in click)' })
  expected!: number;
  @ApiProperty({ enum: ['on-time', 'early', 'late', 'missed'] })
  verdict!: string;
  @ApiPropertyOptional({ example: -40, description: 'Tap minus expected, after removing the learner’s constant latency (ms)' })
  errorMs?: number;
}

export class AbilityChangeDto {
  @ApiProperty()
  skillId!: string;
  @ApiProperty({ example: 0.2 })
  before!: number;
  @ApiProperty({ example: 0.35 })
  after!: number;
  @ApiProperty({ example: 0.71, description: 'Skill mastery after the attempt (0–1)' })
  mastery!: number;
  @ApiProperty()
  mastered!: boolean;
}

export class DetectedNoteDto {
  @ApiProperty({ example: 64.1, description: 'Fractional MIDI' })
  pitch!: number;
  @ApiProperty({ example: 1.02, description: 'Onset on the reference time line (s)' })
  start!: number;
  @ApiProperty({ example: 0.45 })
  duration!: number;
}

export class NextStepDto {
  @ApiProperty({ example: 'intervals.1' })
  skillId!: string;
  @ApiProperty()
  reason!: string;
}

export class AttemptResultDto {
  @ApiProperty()
  attemptId!: string;
  @ApiProperty()
  exerciseId!: string;
  @ApiProperty({ enum: EXERCISE_KINDS })
  kind!: string;
  @ApiProperty({ description: 'Counts as a success for the planner' })
  correct!: boolean;
  @ApiProperty({ example: 80, description: '0–100' })
  score!: number;
  @ApiProperty({ type: [String] })
  feedback!: string[];
  @ApiPropertyOptional({ description: 'Listen-and-choose / note reading: the right answer', type: [String] })
  correctAnswer?: string[];
  @ApiPropertyOptional({ type: AssessmentDto, description: 'Recordings: the note-by-note assessment' })
  assessment?: AssessmentDto;
  @ApiPropertyOptional({ type: [DetectedNoteDto], description: 'Recordings: the notes heard, for the piano roll' })
  detected?: DetectedNoteDto[];
  @ApiPropertyOptional({ type: [TapVerdictDto] })
  taps?: TapVerdictDto[];
  @ApiPropertyOptional({ example: 1 })
  extraTaps?: number;
  @ApiProperty({ type: AbilityChangeDto })
  ability!: AbilityChangeDto;
  @ApiProperty({ example: '2026-12-02T10:00:00.000Z', description: 'When this item comes back for review (FSRS)' })
  nextReview!: string;
  @ApiProperty({ type: StreakDto })
  streak!: StreakDto;
  @ApiProperty({ type: NextStepDto, description: 'What the planner would give next, and why' })
  nextStep!: NextStepDto;
}

export class ProgressPointDto {
  @ApiProperty()
  at!: string;
  @ApiProperty({ example: 0.4 })
  ability!: number;
  @ApiProperty({ example: 0.7 })
  mastery!: number;
}

export class SkillSeriesDto {
  @ApiProperty()
  skillId!: string;
  @ApiProperty()
  skillName!: string;
  @ApiProperty({ type: [ProgressPointDto] })
  points!: ProgressPointDto[];
}

export class DailyActivityDto {
  @ApiProperty({ example: '2026-11-29' })
  date!: string;
  @ApiProperty()
  attempts!: number;
  @ApiProperty({ example: 74, description: 'Mean score 0–100' })
  meanScore!: number;
}

export class ProgressDto {
  @ApiProperty()
  attempts!: number;
  @ApiProperty()
  skillsMastered!: number;
  @ApiProperty()
  skillsTotal!: number;
  @ApiProperty({ type: StreakDto })
  streak!: StreakDto;
  @ApiProperty({ type: [SkillSeriesDto], description: 'Ability and mastery per practised skill after each attempt (oldest first)' })
  series!: SkillSeriesDto[];
  @ApiProperty({ type: [DailyActivityDto], description: 'The last 30 days with practice' })
  daily!: DailyActivityDto[];
}

export class AttemptSummaryDto {
  @ApiProperty()
  id!: string;
  @ApiProperty()
  exerciseId!: string;
  @ApiProperty()
  kind!: string;
  @ApiProperty()
  skillId!: string;
  @ApiProperty()
  skillName!: string;
  @ApiProperty()
  itemLabel!: string;
  @ApiProperty({ example: 80 })
  score!: number;
  @ApiProperty()
  correct!: boolean;
  @ApiProperty({ type: [String] })
  feedback!: string[];
  @ApiProperty()
  createdAt!: string;
}

export class HistoryQueryDto {
  @IntegerField({ in: 'query', optional: true, min: 1, max: MAX_PAGE, default: 1 })
  page?: number;

  @IntegerField({ in: 'query', optional: true, min: 1, max: 100, default: 20 })
  pageSize?: number;
}

export class HistoryPageDto {
  @ApiProperty({ type: [AttemptSummaryDto] })
  items!: AttemptSummaryDto[];
  @ApiProperty()
  total!: number;
  @ApiProperty()
  page!: number;
  @ApiProperty()
  pageSize!: number;
}

export class AudioQueryDto {
  @ApiPropertyOptional({ description: 'Access token for <audio> elements, which cannot send headers' })
  @IsOptional()
  @IsString()
  access_token?: string;
}

/** The multipart form of a recording attempt (documentation only). */
export class RecordingAttemptDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'A WAV take (as for /api/tutor/assess), at most 60 s' })
  audio!: Blob;
}
