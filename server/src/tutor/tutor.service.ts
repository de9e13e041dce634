import { randomInt, randomUUID } from 'node:crypto';
import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../core/auth/auth.decorators';
import { fieldProblem, ProblemException } from '../core/errors/problem';
import type { MultipartForm } from '../core/http/multipart';
import {
  assessTaps,
  exerciseMidi,
  generateExercise,
  gradeAnswer,
  matchChoice,
  itemsForSkill,
  LessonPlanner,
  SKILL_AREAS,
  SKILLS,
  skillById,
  type Exercise,
  type ExerciseAnswer,
  type ExerciseResult,
  type ItemCalibration,
  type LearnerProgress,
  type PlanEntry,
} from './engine';
import type {
  AnswerAttemptDto,
  AttemptResultDto,
  CourseMapDto,
  ExerciseDto,
  HistoryPageDto,
  NextExerciseRequestDto,
  PlanEntryDto,
  ProgressDto,
  SkillSeriesDto,
  TodayPlanDto,
  TutorSettingsDto,
} from './dto/tutor.dto';
import { TutorAssessor } from './tutor-assessor';
import { TutorAudioCache, type CachedClip } from './tutor-audio.cache';
import { exerciseDtoOf, itemLabel, promptLabel, skillName } from './tutor.mapping';
import { TutorRepository, type ExerciseRow } from './tutor.repository';
import { TutorScheduler } from './tutor-scheduler.service';
import { dayOf, endOfDayIn, practisedOn, streakAt } from './tutor-streak';

/** What grading an attempt produced, before it is recorded. */
interface Graded {
  result: ExerciseResult;
  details: Partial<Pick<AttemptResultDto, 'assessment' | 'detected' | 'taps' | 'extraTaps' | 'correctAnswer'>>;
}

const HISTORY_POINTS = 2000;
const ACTIVITY_DAYS = 30;

/** The tutor's use cases: course map, today's plan, the next exercise, attempts (graded, recorded), progress, history. */
@Injectable()
export class TutorService {
  private readonly knownTimeZones = new Map<string, boolean>();

  constructor(
    private readonly repository: TutorRepository,
    private readonly assessor: TutorAssessor,
    private readonly audio: TutorAudioCache,
    private readonly scheduler: TutorScheduler,
  ) {}

  async courseMap(user: AuthUser, now = new Date()): Promise<CourseMapDto> {
    const { progress, calibration, planner } = await this.state(user.id);
    const skills = SKILLS.map((skill) => {
      const mastered = planner.isMastered(progress, calibration, skill.id, now);
      return {
        id: skill.id,
        area: skill.area,
        level: skill.level,
        name: skill.name,
        description: skill.description,
        prerequisites: skill.prerequisites,
        unlocked: skill.prerequisites.every((p) => planner.isMastered(progress, calibration, p)),
        mastered,
        mastery: round(planner.mastery(progress, calibration, skill.id, now), 3),
        ability: round(planner.ability(progress, skill.id), 3),
        attempts: progress.abilities[skill.id]?.attempts ?? 0,
        items: itemsForSkill(skill.id).map((item) => ({
          itemId: item.itemId,
          label: item.label,
          predictedSuccess: round(planner.predict(progress, calibration, item.itemId, now), 3),
        })),
      };
    });
    return {
      areas: SKILL_AREAS.map(({ area, name }) => ({ area, name, skills: skills.filter((s) => s.area === area) })),
      mastered: skills.filter((s) => s.mastered).length,
      total: skills.length,
    };
  }

  async todayPlan(user: AuthUser, now = new Date()): Promise<TodayPlanDto> {
    const [{ progress, calibration, planner, ownWeights }, learner] = await Promise.all([this.state(user.id), this.repository.learner(user.id)]);
    const activity = await this.repository.dailyActivity(user.id, 1, learner.timeZone, now);
    const plan = planner.dailyPlan(progress, calibration, now, endOfDayIn(now, learner.timeZone));
    const today = dayOf(now, learner.timeZone);
    return {
      date: today,
      reviews: plan.reviews.map(planEntryOf),
      newMaterial: plan.newMaterial.map(planEntryOf),
      summary: plan.summary,
      recommendations: planner
        .recommendations(progress, calibration, now)
        .map((r) => ({ ...r, mastery: round(r.mastery, 3), skillName: skillName(r.skillId) })),
      streak: streakAt(learner, now),
      attemptsToday: activity.find((a) => a.day === today)?.attempts ?? 0,
      memoryModel: ownWeights ? 'own' : 'shared',
    };
  }

  /** The planner's next exercise (or one of a chosen unlocked skill), generated, stored and its audio rendered ahead. */
  async nextExercise(user: AuthUser, request: NextExerciseRequestDto, now = new Date()): Promise<ExerciseDto> {
    const { progress, calibration, planner } = await this.state(user.id);
    // The successor of the last exercise's seed: the "Next" an answer announced was planned with this very seed.
    const last = await this.repository.latestExerciseSeed(user.id);
    const seed = last === undefined ? randomInt(0, 2 ** 31 - 1) : successorSeed(last);
    const choice =
      request.skillId || request.itemId
        ? this.chosen(planner, progress, calibration, request.skillId ?? request.itemId!.split(':')[0], now, request.itemId)
        : planner.next(progress, calibration, now, seed);
    const exercise = generateExercise(choice.itemId, seed);
    const row: ExerciseRow = {
      id: randomUUID(),
      userId: user.id,
      itemId: choice.itemId,
      skillId: choice.skillId,
      kind: exercise.kind,
      seed,
      planKind: choice.kind,
      reason: choice.reason,
      predictedSuccess: round(choice.predictedSuccess, 3),
      exercise,
      createdAt: now,
      attemptedAt: null,
    };
    await this.repository.insertExercise(row);
    if ('audio' in exercise) this.audio.prefetch(exerciseMidi(exercise));
    return exerciseDtoOf(row);
  }

  async exercise(user: AuthUser, id: string): Promise<ExerciseDto> {
    return exerciseDtoOf(await this.owned(user, id));
  }

  /** The exercise's audio (MP3), rendered by the music module's synthesizer and cached. */
  async exerciseAudio(user: AuthUser, id: string): Promise<CachedClip> {
    const row = await this.owned(user, id);
    if (!('audio' in row.exercise)) throw new NotFoundException('This exercise has no audio (it is read from the staff).');
    return this.audio.clip(exerciseMidi(row.exercise));
  }

  /** A drill's answer: a choice, note names or tap times. */
  async answer(user: AuthUser, id: string, dto: AnswerAttemptDto, now = new Date()): Promise<AttemptResultDto> {
    const row = await this.unattempted(user, id);
    return this.record(user, row, gradeDrill(row.exercise, dto), now);
  }

  /** A sung or played take of a melody exercise, assessed note by note like POST /assess. */
  async recording(user: AuthUser, id: string, form: MultipartForm, now = new Date()): Promise<AttemptResultDto> {
    const row = await this.unattempted(user, id);
    const exercise = row.exercise;
    if (exercise.kind !== 'sight-singing' && exercise.kind !== 'play-back') {
      throw fieldProblem('audio', `audio is not taken: a ${exercise.kind} exercise is answered with JSON (POST …/answer), not a recording`);
    }
    const detail = await this.assessor.assess(form.files.audio!.bytes, exercise.melody, { meter: { bpm: exercise.bpm, beatsPerBar: exercise.beatsPerBar } });
    const graded = gradeAnswer(exercise, { kind: 'recording', score: detail.assessment.score });
    return this.record(
      user,
      row,
      {
        result: { ...graded, feedback: detail.assessment.feedback },
        details: {
          assessment: detail.assessment,
          detected: detail.detected.map((n) => ({ pitch: round(n.pitch, 2), start: round(n.start, 3), duration: round(n.duration, 3) })),
        },
      },
      now,
    );
  }

  async settings(user: AuthUser): Promise<TutorSettingsDto> {
    const learner = await this.repository.learner(user.id);
    return { timeZone: learner.timeZone };
  }

  /** Sets the time zone the learner's days (streak, today's plan, daily activity) are counted in. */
  async updateSettings(user: AuthUser, settings: TutorSettingsDto): Promise<TutorSettingsDto> {
    const timeZone = new Intl.DateTimeFormat('en-US', { timeZone: settings.timeZone }).resolvedOptions().timeZone;
    if (!(await this.knowsTimeZone(timeZone))) {
      throw fieldProblem('timeZone', `timeZone ${timeZone} is not in the database's time zone list`);
    }
    await this.repository.saveTimeZone(user.id, timeZone);
    return { timeZone };
  }

  /**
   * Whether PostgreSQL knows the zone (its list takes 25-40 ms to read; the page sends its zone on every visit).
   * Only zones Intl accepts get here, so the cache stays within the few hundred IANA names.
   */
  private async knowsTimeZone(timeZone: string): Promise<boolean> {
    let known = this.knownTimeZones.get(timeZone);
    if (known === undefined) {
      known = await this.repository.knowsTimeZone(timeZone);
      this.knownTimeZones.set(timeZone, known);
    }
    return known;
  }

  async progress(user: AuthUser, now = new Date()): Promise<ProgressDto> {
    const [{ progress, calibration, planner }, learner, history] = await Promise.all([
      this.state(user.id),
      this.repository.learner(user.id),
      this.repository.abilityHistory(user.id, HISTORY_POINTS),
    ]);
    const daily = await this.repository.dailyActivity(user.id, ACTIVITY_DAYS, learner.timeZone, now);
    const series = new Map<string, SkillSeriesDto>();
    for (const point of history) {
      const entry = series.get(point.skillId) ?? { skillId: point.skillId, skillName: skillName(point.skillId), points: [] };
      entry.points.push({ at: point.recordedAt.toISOString(), ability: round(point.theta, 3), mastery: round(point.mastery, 3) });
      series.set(point.skillId, entry);
    }
    const attempts = Object.values(progress.abilities).reduce((n, a) => n + a.attempts, 0);
    return {
      attempts,
      skillsMastered: SKILLS.filter((s) => planner.isMastered(progress, calibration, s.id, now)).length,
      skillsTotal: SKILLS.length,
      streak: streakAt(learner, now),
      series: [...series.values()],
      daily: daily.map((d) => ({ date: d.day, attempts: d.attempts, meanScore: Math.round(d.meanScore * 100) })),
    };
  }

  async history(user: AuthUser, page = 1, pageSize = 20): Promise<HistoryPageDto> {
    const { rows, total } = await this.repository.attempts(user.id, (page - 1) * pageSize, pageSize);
    return {
      items: rows.map((r) => ({
        id: r.id,
        exerciseId: r.exerciseId,
        kind: r.kind,
        skillId: r.skillId,
        skillName: skillName(r.skillId),
        itemLabel: itemLabel(r.itemId),
        score: Math.round(r.score * 100),
        correct: r.correct,
        feedback: Array.isArray(r.result.feedback) ? (r.result.feedback as string[]) : [],
        createdAt: r.createdAt.toISOString(),
      })),
      total,
      page,
      pageSize,
    };
  }

  // ---------------------------------------------------------------- internals

  /** The learner's progress, the items' calibration and the planner the learner is scheduled with (their own weights' or the shared). */
  private async state(userId: string): Promise<{ progress: LearnerProgress; calibration: ItemCalibration; planner: LessonPlanner; ownWeights: boolean }> {
    const [progress, calibration, own] = await Promise.all([
      this.repository.progress(userId),
      this.repository.calibration(),
      this.scheduler.ownPlanner(userId),
    ]);
    return { progress, calibration, planner: own ?? this.scheduler.planner, ownWeights: own !== undefined };
  }

  /** The exercise the learner asked for: item `itemId` (a plan entry), or the item of `skillId` nearest the target band. */
  private chosen(planner: LessonPlanner, progress: LearnerProgress, calibration: ItemCalibration, skillId: string, now: Date, itemId?: string) {
    const skill = SKILLS.find((s) => s.id === skillId);
    if (!skill) throw itemId ? unknownItem(itemId) : fieldProblem('skillId', `skillId ${skillId} is not a skill of the curriculum`);
    const asked = itemId === undefined ? undefined : itemsForSkill(skill.id).find((item) => item.itemId === itemId);
    if (itemId !== undefined && !asked)
      throw itemId.startsWith(`${skill.id}:`) ? unknownItem(itemId) : fieldProblem('itemId', `itemId ${itemId} is not an item of skill ${skill.id}`);
    // A learner may try a skill ahead of the plan (a placement try); the reason says so.
    const missing = skill.prerequisites.filter((p) => !planner.isMastered(progress, calibration, p));
    const [lo, hi] = planner.parameters.targetBand;
    const middle = (lo + hi) / 2;
    const scored = (asked ? [asked] : itemsForSkill(skill.id)).map((item) => ({ item, p: planner.predict(progress, calibration, item.itemId, now) }));
    const best = scored.reduce((a, b) => (Math.abs(b.p - middle) < Math.abs(a.p - middle) ? b : a));
    return {
      itemId: best.item.itemId,
      skillId: skill.id,
      kind: 'chosen' as const,
      predictedSuccess: best.p,
      reason:
        `You chose ${skill.name}: ${best.item.promptLabel}${asked ? '' : ', the item nearest the target band'} (predicted success ${Math.round(100 * best.p)}%).` +
        (missing.length ? ` This is ahead of your plan: ${missing.map((p) => skillById(p).name).join(' and ')} not mastered yet.` : ''),
    };
  }

  private async owned(user: AuthUser, id: string): Promise<ExerciseRow> {
    const row = await this.repository.findExercise(id, user.id);
    if (!row) throw new NotFoundException(`No exercise ${id}.`);
    return row;
  }

  private async unattempted(user: AuthUser, id: string): Promise<ExerciseRow> {
    const row = await this.owned(user, id);
    if (row.attemptedAt) throw alreadyAttempted();
    return row;
  }

  /** Records a graded attempt: ability, item calibration, FSRS card, ability history, streak and the attempt, atomically. */
  private async record(user: AuthUser, row: ExerciseRow, graded: Graded, now = new Date()): Promise<AttemptResultDto> {
    const { result, details } = graded;
    const planner = await this.scheduler.plannerFor(user.id);
    const outcome = await this.repository.forLearner(user.id, async (tx) => {
      const locked = await tx.findExercise(row.id, user.id, true);
      if (!locked || locked.attemptedAt) throw alreadyAttempted();
      const [progress, calibration, learner] = await Promise.all([tx.progress(user.id), tx.calibration(), tx.learner(user.id)]);
      const before = planner.ability(progress, row.skillId);
      const recorded = planner.record(progress, calibration, row.itemId, result.score, now);
      const ability = recorded.progress.abilities[row.skillId];
      const mastery = planner.mastery(recorded.progress, recorded.calibration, row.skillId, now);
      const streak = practisedOn(learner, now);
      await tx.saveAbility(user.id, row.skillId, ability);
      await tx.saveCard(user.id, row.itemId, recorded.progress.cards[row.itemId]);
      if (recorded.calibration !== calibration) {
        await tx.saveCalibration(row.itemId, recorded.calibration[row.itemId].difficulty, planner.difficulty(calibration, row.itemId));
      }
      await tx.appendAbilityHistory(user.id, row.skillId, ability.theta, mastery);
      await tx.saveStreak(user.id, streak);
      const attemptId = randomUUID();
      await tx.insertAttempt({
        id: attemptId,
        userId: user.id,
        exerciseId: row.id,
        itemId: row.itemId,
        skillId: row.skillId,
        kind: row.kind,
        score: result.score,
        correct: result.correct,
        result: { feedback: result.feedback, ...details },
      });
      return { attemptId, recorded, before, ability, mastery, streak };
    });
    const { progress, calibration } = outcome.recorded;
    const next = planner.next(progress, calibration, now, successorSeed(row.seed));
    return {
      attemptId: outcome.attemptId,
      exerciseId: row.id,
      kind: row.kind,
      correct: result.correct,
      score: Math.round(result.score * 100),
      feedback: result.feedback,
      ...details,
      ability: {
        skillId: row.skillId,
        before: round(outcome.before, 3),
        after: round(outcome.ability.theta, 3),
        mastery: round(outcome.mastery, 3),
        mastered: planner.isMastered(progress, calibration, row.skillId, now),
      },
      nextReview: outcome.recorded.nextReview,
      streak: streakAt(outcome.streak, now),
      nextStep: { skillId: next.skillId, reason: next.reason },
    };
  }
}

/** The seed of the exercise after one with `seed` (a linear congruential step: any seed leads to a well-spread next). */
function successorSeed(seed: number): number {
  return (Math.imul(seed, 1103515245) + 12345) >>> 1;
}

function round(x: number, digits: number): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

function planEntryOf(entry: PlanEntry): PlanEntryDto {
  return { ...entry, skillName: skillName(entry.skillId), ...(entry.itemId ? { itemLabel: promptLabel(entry.itemId) } : {}) };
}

const unknownItem = (itemId: string) => fieldProblem('itemId', `itemId ${itemId} is not an item of the curriculum`);

const alreadyAttempted = () => new ProblemException(HttpStatus.CONFLICT, 'This exercise was already answered; ask for the next one.');

/** Grades a drill answer; 400 naming the field when the answer does not fit the exercise. */
function gradeDrill(exercise: Exercise, dto: AnswerAttemptDto): Graded {
  switch (exercise.kind) {
    case 'interval':
    case 'chord':
    case 'scale': {
      if (dto.answer === undefined) throw fieldProblem('answer', `answer is required: one of ${exercise.choices.join(', ')}`);
      const chosen = matchChoice(exercise.choices, dto.answer);
      if (!chosen) throw fieldProblem('answer', `answer must be one of ${exercise.choices.join(', ')}`);
      return { result: gradeAnswer(exercise, { kind: 'choice', answer: chosen }), details: { correctAnswer: [exercise.answer] } };
    }
    case 'note-reading': {
      if (!dto.names?.length) throw fieldProblem('names', `names are required: ${exercise.answer.length} note names in order`);
      const answer: ExerciseAnswer = { kind: 'names', names: dto.names };
      return { result: gradeAnswer(exercise, answer), details: { correctAnswer: exercise.answer } };
    }
    case 'rhythm': {
      if (!dto.taps) throw fieldProblem('taps', 'taps are required: tap times in seconds from the first count-in click');
      const tapped = assessTaps(exercise, dto.taps);
      return { result: tapped.result, details: { taps: tapped.taps, extraTaps: tapped.extraTaps } };
    }
    default:
      throw fieldProblem('answer', `answer is not taken: a ${exercise.kind} exercise is answered with a recording (POST …/recording)`);
  }
}
