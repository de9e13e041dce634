import { Injectable } from '@nestjs/common';
import { sql, type Selectable } from 'kysely';
import { Database, InjectDatabase } from '../core/db/database';
import type { TutorFsrsFitsTable, TutorPlanKind } from '../core/db/schema';
import type { Exercise, ItemCalibration, ItemRefit, ItemRefitReport, LearnerProgress, RecordedAttempt, SkillAbility, StoredCard } from './engine';
import type { FsrsRefitReport } from './fsrs-refit';

export interface LearnerRow {
  streakDays: number;
  longestStreakDays: number;
  lastPracticeDay: string | null;
  /** IANA time zone the learner's days are counted in. */
  timeZone: string;
}

export interface ExerciseRow {
  id: string;
  userId: string;
  itemId: string;
  skillId: string;
  kind: string;
  seed: number;
  planKind: TutorPlanKind;
  reason: string;
  predictedSuccess: number;
  exercise: Exercise;
  createdAt: Date;
  attemptedAt: Date | null;
}

export interface NewAttempt {
  id: string;
  userId: string;
  exerciseId: string;
  itemId: string;
  skillId: string;
  kind: string;
  score: number;
  correct: boolean;
  result: Record<string, unknown>;
}

export interface AttemptRow extends NewAttempt {
  createdAt: Date;
}

export interface NewFsrsFit {
  id: string;
  requestedBy: string | null;
  accepted: boolean;
  reason: string;
  weights: number[];
  /**
   * `learnerFits`: learners with enough reviews for weights of their own, and those who got them (absent before 0011);
   * `items`: the item difficulties' refit (absent in older rows).
   */
  report: FsrsRefitReport & {
    learnerFits?: { eligible: number; accepted: number };
    items?: Pick<ItemRefitReport, 'accepted' | 'reason' | 'heldOut'> & { refitted: number };
  };
}

export interface FsrsFitRow extends NewFsrsFit {
  createdAt: Date;
}

type Executor = Database;

/** The only place that reads or writes the tutor_* tables. */
@Injectable()
export class TutorRepository {
  constructor(@InjectDatabase() private readonly db: Executor) {}

  /**
   * Runs `work` in one transaction holding the learner's row lock, so that two attempts of one learner update ability,
   * cards and streak one after the other (the learner row is created on first use).
   */
  async forLearner<T>(userId: string, work: (repository: TutorRepository) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('tutor_learners')
        .values({ user_id: userId })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .execute();
      await tx.selectFrom('tutor_learners').select('user_id').where('user_id', '=', userId).forUpdate().execute();
      return work(new TutorRepository(tx));
    });
  }

  async learner(userId: string): Promise<LearnerRow> {
    const row = await this.db
      .selectFrom('tutor_learners')
      .select(['streak_days', 'longest_streak_days', 'last_practice_day', 'time_zone'])
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return {
      streakDays: row?.streak_days ?? 0,
      longestStreakDays: row?.longest_streak_days ?? 0,
      lastPracticeDay: row?.last_practice_day ?? null,
      timeZone: row?.time_zone ?? 'UTC',
    };
  }

  async saveTimeZone(userId: string, timeZone: string): Promise<void> {
    await this.db
      .insertInto('tutor_learners')
      .values({ user_id: userId, time_zone: timeZone })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ time_zone: timeZone }))
      .execute();
  }

  /** Whether PostgreSQL's time zone database knows `timeZone` (the daily activity is grouped by it there). */
  async knowsTimeZone(timeZone: string): Promise<boolean> {
    const { rows } = await sql<{ name: string }>`select name from pg_timezone_names where name = ${timeZone}`.execute(this.db);
    return rows.length > 0;
  }

  async saveStreak(userId: string, learner: LearnerRow): Promise<void> {
    await this.db
      .updateTable('tutor_learners')
      .set({ streak_days: learner.streakDays, longest_streak_days: learner.longestStreakDays, last_practice_day: learner.lastPracticeDay })
      .where('user_id', '=', userId)
      .execute();
  }

  /** The learner's abilities and FSRS cards, as the planner's LearnerProgress. */
  async progress(userId: string): Promise<LearnerProgress> {
    const [abilities, cards] = await Promise.all([
      this.db.selectFrom('tutor_skill_abilities').selectAll().where('user_id', '=', userId).execute(),
      this.db.selectFrom('tutor_cards').select(['item_id', 'card']).where('user_id', '=', userId).execute(),
    ]);
    return {
      abilities: Object.fromEntries(
        abilities.map((a): [string, SkillAbility] => [
          a.skill_id,
          {
            theta: a.theta,
            attempts: a.attempts,
            successes: a.successes,
            ...(a.last_practiced ? { lastPracticed: new Date(a.last_practiced).toISOString() } : {}),
          },
        ]),
      ),
      cards: Object.fromEntries(cards.map((c) => [c.item_id, c.card as StoredCard])),
    };
  }

  async saveAbility(userId: string, skillId: string, ability: SkillAbility): Promise<void> {
    const values = {
      theta: ability.theta,
      attempts: ability.attempts,
      successes: ability.successes,
      last_practiced: ability.lastPracticed ?? null,
    };
    await this.db
      .insertInto('tutor_skill_abilities')
      .values({ user_id: userId, skill_id: skillId, ...values })
      .onConflict((oc) => oc.columns(['user_id', 'skill_id']).doUpdateSet(values))
      .execute();
  }

  async saveCard(userId: string, itemId: string, card: StoredCard): Promise<void> {
    const values = { card: JSON.stringify(card), due: card.due };
    await this.db
      .insertInto('tutor_cards')
      .values({ user_id: userId, item_id: itemId, ...values })
      .onConflict((oc) => oc.columns(['user_id', 'item_id']).doUpdateSet(values))
      .execute();
  }

  async appendAbilityHistory(userId: string, skillId: string, theta: number, mastery: number): Promise<void> {
    await this.db.insertInto('tutor_ability_history').values({ user_id: userId, skill_id: skillId, theta, mastery }).execute();
  }

  async abilityHistory(userId: string, limit: number): Promise<{ skillId: string; theta: number; mastery: number; recordedAt: Date }[]> {
    const rows = await this.db
      .selectFrom('tutor_ability_history')
      .select(['skill_id', 'theta', 'mastery', 'recorded_at'])
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map((r) => ({ skillId: r.skill_id, theta: r.theta, mastery: r.mastery, recordedAt: new Date(r.recorded_at) }));
  }

  /** Item difficulties shared by all learners. */
  async calibration(): Promise<ItemCalibration> {
    const rows = await this.db.selectFrom('tutor_item_calibration').selectAll().execute();
    return Object.fromEntries(rows.map((r) => [r.item_id, { difficulty: r.difficulty, attempts: r.attempts }]));
  }

  /**
   * Replaces item difficulties with a refit's. The attempt count, which shrinks the online step, becomes at least the
   * number of attempts the refit rested on, so one learner's next first attempt does not undo it.
   */
  async saveRefittedDifficulties(refits: readonly ItemRefit[], db: Executor = this.db): Promise<void> {
    if (!refits.length) return;
    await db
      .insertInto('tutor_item_calibration')
      .values(refits.map((r) => ({ item_id: r.itemId, difficulty: r.difficulty, attempts: r.attempts })))
      .onConflict((oc) =>
        oc.column('item_id').doUpdateSet((eb) => ({
          difficulty: eb.ref('excluded.difficulty'),
          attempts: sql<number>`greatest(tutor_item_calibration.attempts, excluded.attempts)`,
        })),
      )
      .execute();
  }

  /** Applies one first attempt's calibration step; the increment is done in SQL so that concurrent learners add up. */
  async saveCalibration(itemId: string, difficulty: number, previousDifficulty: number): Promise<void> {
    const delta = difficulty - previousDifficulty;
    await this.db
      .insertInto('tutor_item_calibration')
      .values({ item_id: itemId, difficulty, attempts: 1 })
      .onConflict((oc) =>
        oc.column('item_id').doUpdateSet({
          difficulty: sql<number>`tutor_item_calibration.difficulty + ${delta}`,
          attempts: sql<number>`tutor_item_calibration.attempts + 1`,
        }),
      )
      .execute();
  }

  async insertExercise(row: Omit<ExerciseRow, 'createdAt' | 'attemptedAt'>): Promise<void> {
    await this.db
      .insertInto('tutor_exercises')
      .values({
        id: row.id,
        user_id: row.userId,
        item_id: row.itemId,
        skill_id: row.skillId,
        kind: row.kind,
        seed: row.seed,
        plan_kind: row.planKind,
        reason: row.reason,
        predicted_success: row.predictedSuccess,
        exercise: JSON.stringify(row.exercise),
      })
      .execute();
  }

  /** The seed of the exercise last handed out to the user, if any. */
  async latestExerciseSeed(userId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('tutor_exercises')
      .select('seed')
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.seed;
  }

  /** The user's exercise; `lock` holds its row for the rest of a `forLearner` transaction. */
  async findExercise(id: string, userId: string, lock = false): Promise<ExerciseRow | undefined> {
    let query = this.db.selectFrom('tutor_exercises').selectAll().where('id', '=', id).where('user_id', '=', userId);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return (
      row && {
        id: row.id,
        userId: row.user_id,
        itemId: row.item_id,
        skillId: row.skill_id,
        kind: row.kind,
        seed: row.seed,
        planKind: row.plan_kind,
        reason: row.reason,
        predictedSuccess: row.predicted_success,
        exercise: row.exercise as Exercise,
        createdAt: new Date(row.created_at),
        attemptedAt: row.attempted_at ? new Date(row.attempted_at) : null,
      }
    );
  }

  async insertAttempt(attempt: NewAttempt): Promise<Date> {
    const row = await this.db
      .insertInto('tutor_attempts')
      .values({
        id: attempt.id,
        user_id: attempt.userId,
        exercise_id: attempt.exerciseId,
        item_id: attempt.itemId,
        skill_id: attempt.skillId,
        kind: attempt.kind,
        score: attempt.score,
        correct: attempt.correct,
        result: JSON.stringify(attempt.result),
      })
      .returning('created_at')
      .executeTakeFirstOrThrow();
    await this.db.updateTable('tutor_exercises').set({ attempted_at: row.created_at }).where('id', '=', attempt.exerciseId).execute();
    return new Date(row.created_at);
  }

  async attempts(userId: string, offset: number, limit: number): Promise<{ rows: AttemptRow[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.db
        .selectFrom('tutor_attempts')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .offset(offset)
        .limit(limit)
        .execute(),
      this.db
        .selectFrom('tutor_attempts')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow(),
    ]);
    return {
      rows: rows.map((r) => ({
        id: r.id,
        userId: r.user_id,
        exerciseId: r.exercise_id,
        itemId: r.item_id,
        skillId: r.skill_id,
        kind: r.kind,
        score: r.score,
        correct: r.correct,
        result: r.result as Record<string, unknown>,
        createdAt: new Date(r.created_at),
      })),
      total: Number(count.n),
    };
  }

  /** Attempts and mean score per day of the learner's time zone over the last `days` days, oldest first. */
  async dailyActivity(userId: string, days: number, timeZone: string, now = new Date()): Promise<{ day: string; attempts: number; meanScore: number }[]> {
    const rows = await this.db
      .selectFrom('tutor_attempts')
      .select([
        sql<string>`to_char(created_at at time zone ${timeZone}, 'YYYY-MM-DD')`.as('day'),
        (eb) => eb.fn.countAll<string>().as('attempts'),
        (eb) => eb.fn.avg<string>('score').as('mean_score'),
      ])
      .where('user_id', '=', userId)
      // The last `days` calendar days in the learner's zone, today included (a 25-hour day is whole too); the first
      // bound only narrows the scan.
      .where('created_at', '>=', new Date(now.getTime() - (days + 1) * 86_400_000))
      .where('created_at', '<=', now)
      .where(sql`(created_at at time zone ${timeZone})::date`, '>', sql`(${now}::timestamptz at time zone ${timeZone})::date - ${days}::int`)
      .groupBy(sql`1`)
      .orderBy(sql`1`)
      .execute();
    return rows.map((r) => ({ day: r.day, attempts: Number(r.attempts), meanScore: Number(r.mean_score) }));
  }

  /** Every learner's attempts (learner, item, score, time): the review logs an FSRS refit reads. */
  async recordedAttempts(): Promise<RecordedAttempt[]> {
    const rows = await this.db.selectFrom('tutor_attempts').select(['user_id', 'item_id', 'score', 'created_at']).execute();
    return rows.map((r) => ({ learnerId: r.user_id, itemId: r.item_id, score: r.score, at: new Date(r.created_at) }));
  }

  /**
   * How many attempts came on a later UTC day than the learner's previous attempt on the same item: the reviews a refit
   * learns from (`longTermReviews` over `cardHistories` of every attempt), counted without reading the attempts.
   */
  async longTermReviewCount(): Promise<number> {
    const { rows } = await sql<{ reviews: string }>`
      select count(*) as reviews from (
        select (created_at at time zone 'UTC')::date as day,
               lag((created_at at time zone 'UTC')::date) over (partition by user_id, item_id order by created_at) as previous
        from tutor_attempts
      ) attempts
      where day > previous`.execute(this.db);
    return Number(rows[0].reviews);
  }

  /**
   * Stores a refit's outcome in one transaction: the fit, the item difficulties it took (if it took them) and the
   * learners' own weights. Separately, a failure after the first write left an accepted fit that other replicas
   * loaded while the rest of what its report describes was missing, and the job's retry added a second fit.
   */
  async saveRefit(
    fit: NewFsrsFit,
    difficulties: readonly ItemRefit[],
    learners: readonly { userId: string; weights: number[]; reviews: number }[],
  ): Promise<FsrsFitRow> {
    return this.db.transaction().execute(async (tx) => {
      const saved = await this.saveFsrsFit(fit, tx);
      await this.saveRefittedDifficulties(difficulties, tx);
      await this.saveLearnerFsrsWeights(saved.id, learners, tx);
      return saved;
    });
  }

  async saveFsrsFit(fit: NewFsrsFit, db: Executor = this.db): Promise<FsrsFitRow> {
    const row = await db
      .insertInto('tutor_fsrs_fits')
      .values({
        id: fit.id,
        requested_by: fit.requestedBy,
        accepted: fit.accepted,
        reason: fit.reason,
        weights: fit.weights,
        report: JSON.stringify(fit.report),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return fsrsFitOf(row);
  }

  /** The latest refit whose weights were taken, if any. */
  async currentFsrsFit(): Promise<FsrsFitRow | undefined> {
    const row = await this.db.selectFrom('tutor_fsrs_fits').selectAll().where('accepted', '=', true).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    return row && fsrsFitOf(row);
  }

  /** The learner's own FSRS weights, if a refit gave them some. */
  async learnerFsrsWeights(userId: string): Promise<number[] | undefined> {
    const row = await this.db.selectFrom('tutor_fsrs_learner_weights').select('weights').where('user_id', '=', userId).executeTakeFirst();
    return row?.weights.map(Number);
  }

  /** Every learner's own FSRS weights, by learner id. */
  async allLearnerFsrsWeights(): Promise<Map<string, number[]>> {
    const rows = await this.db.selectFrom('tutor_fsrs_learner_weights').select(['user_id', 'weights']).execute();
    return new Map(rows.map((r) => [r.user_id, r.weights.map(Number)]));
  }

  async saveLearnerFsrsWeights(
    fitId: string,
    learners: readonly { userId: string; weights: number[]; reviews: number }[],
    db: Executor = this.db,
  ): Promise<void> {
    if (!learners.length) return;
    await db
      .insertInto('tutor_fsrs_learner_weights')
      .values(learners.map((l) => ({ user_id: l.userId, fit_id: fitId, weights: l.weights, reviews: l.reviews })))
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet((eb) => ({
          fit_id: eb.ref('excluded.fit_id'),
          weights: eb.ref('excluded.weights'),
          reviews: eb.ref('excluded.reviews'),
          updated_at: sql<Date>`now()`,
        })),
      )
      .execute();
  }

  /** How many learners are scheduled with weights of their own. */
  async learnersWithOwnFsrsWeights(): Promise<number> {
    const row = await this.db
      .selectFrom('tutor_fsrs_learner_weights')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The latest refits, taken or not, newest first. */
  async recentFsrsFits(limit: number): Promise<FsrsFitRow[]> {
    const rows = await this.db.selectFrom('tutor_fsrs_fits').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
    return rows.map(fsrsFitOf);
  }
}

function fsrsFitOf(r: Selectable<TutorFsrsFitsTable>): FsrsFitRow {
  return {
    id: r.id,
    requestedBy: r.requested_by,
    accepted: r.accepted,
    reason: r.reason,
    weights: r.weights.map(Number),
    report: r.report as FsrsRefitReport,
    createdAt: new Date(r.created_at),
  };
}
