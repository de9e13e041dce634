import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { default_w } from 'ts-fsrs';
import type { AuthUser } from '../core/auth/auth.decorators';
import { AppConfig } from '../core/config/app-config';
import type { JobAcceptedDto } from '../core/jobs/dto/job.dto';
import type { JobContext } from '../core/jobs/job-processor';
import { JobsService, type OwnedJobData } from '../core/jobs/jobs.service';
import { QUEUES } from '../core/jobs/queues';
import { cardHistories, LessonPlanner, refitItems } from './engine';
import type { FsrsFitDto, TutorSchedulerDto } from './dto/tutor-scheduler.dto';
import { MIN_REFIT_REVIEWS, refitFsrs, refitLearners } from './fsrs-refit';
import { TutorRepository, type FsrsFitRow } from './tutor.repository';

/** How often a process looks for weights another replica's refit accepted (the shared ones, and each learner's). */
const RELOAD_MS = 60_000;
/** Learners whose planner a process keeps at once (the least recently used go first). */
const CACHED_LEARNERS = 5000;
const RECENT_FITS = 10;
/** The job scheduler of the periodic refit, and who its jobs are submitted by. */
export const REFIT_SCHEDULER_ID = 'tutor-fsrs-refit';
const SCHEDULED_BY = 'scheduler';

/**
 * The planner the tutor schedules with, and the refit of its FSRS weights from the tutor's own review logs (a job: an
 * operator's, and in the worker role one every TUTOR_FSRS_REFIT_INTERVAL_MS). Every process reloads the latest
 * accepted weights at start and every minute, so all replicas schedule alike within a minute of a refit.
 */
@Injectable()
export class TutorScheduler implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('TutorScheduler');
  private current: { planner: LessonPlanner; fitId?: string } = { planner: new LessonPlanner() };
  /** Each recently seen learner's planner when they have weights of their own (undefined: the shared planner). */
  private readonly learners = new Map<string, { planner?: LessonPlanner; loadedAt: number }>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: TutorRepository,
    private readonly jobs: JobsService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((error: unknown) => this.logger.warn(`Reloading the FSRS weights failed: ${error instanceof Error ? error.message : String(error)}`));
    }, RELOAD_MS).unref();
  }

  /** In the worker role: registers the periodic refit (one run per interval however many workers), or removes it when off. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runsWorkers) return;
    const every = this.config.TUTOR_FSRS_REFIT_INTERVAL_MS;
    const queue = this.jobs.queue(QUEUES.tutorFsrsRefit);
    try {
      if (every > 0)
        await queue.upsertJobScheduler(
          REFIT_SCHEDULER_ID,
          // The first run at the next multiple of the interval since the epoch: every boot within an interval names
          // the same slot, so restarts neither add runs nor push the next one back.
          { every, startDate: Math.ceil(Date.now() / every) * every },
          { name: 'fsrs-refit', data: { userId: SCHEDULED_BY }, opts: { removeOnComplete: 20, removeOnFail: 20 } },
        );
      else await queue.removeJobScheduler(REFIT_SCHEDULER_ID);
    } catch (error) {
      this.logger.warn(`The periodic FSRS refit is not registered (${error instanceof Error ? error.message : String(error)}); operators can still start one`);
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** The planner with the shared weights: what a learner without weights of their own is scheduled with. */
  get planner(): LessonPlanner {
    return this.current.planner;
  }

  /** The planner a learner is scheduled with: their own weights once a refit gave them some, else the shared ones. */
  async plannerFor(userId: string): Promise<LessonPlanner> {
    return (await this.ownPlanner(userId)) ?? this.planner;
  }

  /** The learner's planner with weights of their own, if a refit gave them some. */
  async ownPlanner(userId: string): Promise<LessonPlanner | undefined> {
    const cached = this.learners.get(userId);
    if (cached && performance.now() - cached.loadedAt < RELOAD_MS) return cached.planner;
    const weights = await this.repository.learnerFsrsWeights(userId);
    const planner = weights && new LessonPlanner({ fsrsWeights: weights });
    this.learners.delete(userId);
    this.learners.set(userId, { planner, loadedAt: performance.now() });
    if (this.learners.size > CACHED_LEARNERS) this.learners.delete(this.learners.keys().next().value!);
    return planner;
  }

  async overview(): Promise<TutorSchedulerDto> {
    const [fits, reviews, learnersWithOwnWeights] = await Promise.all([
      this.repository.recentFsrsFits(RECENT_FITS),
      this.repository.longTermReviewCount(),
      this.repository.learnersWithOwnFsrsWeights(),
    ]);
    const { fsrsWeights, requestRetention } = this.planner.parameters;
    return {
      source: fsrsWeights ? 'refit' : 'default',
      weights: [...(fsrsWeights ?? default_w)],
      requestRetention,
      minReviews: MIN_REFIT_REVIEWS,
      refitIntervalMs: this.config.TUTOR_FSRS_REFIT_INTERVAL_MS,
      reviews,
      learnersWithOwnWeights,
      fits: fits.map(fitDtoOf),
    };
  }

  submitRefit(user: AuthUser): Promise<JobAcceptedDto> {
    return this.jobs.submit<OwnedJobData>(QUEUES.tutorFsrsRefit, 'fsrs-refit', { userId: user.id });
  }

  /**
   * The job: read every attempt, refit the shared weights, then each learner's own where they have enough reviews of
   * their own, then the item difficulties; record the outcome, and schedule with what it leaves in use.
   */
  async refit(job: JobContext<OwnedJobData>): Promise<FsrsFitDto> {
    job.progress.report({ percent: 0, stage: 'reading reviews' });
    await this.reload(); // judge against the weights another replica may have taken within the last minute
    const attempts = await this.repository.recordedAttempts();
    const histories = cardHistories(attempts, (score) => this.planner.gradeOf(score));
    const current = this.planner.parameters.fsrsWeights ?? default_w;
    const shared = await refitFsrs(histories, current, (fraction, stage) => {
      const [from, to] = stage === 'fitting' ? [5, 40] : stage === 'judging' ? [40, 45] : [45, 75];
      job.progress.report({ percent: Math.round(from + (to - from) * fraction), stage });
    });
    const own = await this.repository.allLearnerFsrsWeights();
    const learnerRefits = await refitLearners(
      histories,
      (learnerId) => own.get(learnerId) ?? shared.weights,
      (done, of) => job.progress.report({ percent: Math.round(75 + (15 * done) / of), stage: "fitting learners' own weights" }),
    );
    const accepted = learnerRefits.filter((r) => r.report.accepted);
    job.progress.report({ percent: 90, stage: 'refitting item difficulties' });
    const items = await refitItems(attempts, this.planner, await this.repository.calibration());
    job.progress.report({ percent: 97, stage: 'storing' });
    const fit = await this.repository.saveRefit(
      {
        id: randomUUID(),
        requestedBy: job.data.userId === SCHEDULED_BY ? null : job.data.userId,
        accepted: shared.accepted,
        reason: shared.reason,
        weights: shared.weights,
        report: {
          ...shared,
          learnerFits: { eligible: learnerRefits.length, accepted: accepted.length },
          items: { accepted: items.accepted, reason: items.reason, refitted: items.difficulties.length, heldOut: items.heldOut },
        },
      },
      items.accepted ? items.difficulties : [],
      accepted.map(({ learnerId, report }) => ({ userId: learnerId, weights: report.weights, reviews: report.reviews })),
    );
    this.logger.log(
      `FSRS refit ${fit.id}: ${shared.reason} Own weights for ${accepted.length} of ${learnerRefits.length} learners with enough reviews. ${items.reason}`,
    );
    if (fit.accepted) this.use(fit);
    this.learners.clear();
    return fitDtoOf(fit);
  }

  private async reload(): Promise<void> {
    const fit = await this.repository.currentFsrsFit();
    if (fit && fit.id !== this.current.fitId) this.use(fit);
  }

  private use(fit: FsrsFitRow): void {
    this.current = { planner: new LessonPlanner({ fsrsWeights: fit.weights }), fitId: fit.id };
  }
}

function fitDtoOf(fit: FsrsFitRow): FsrsFitDto {
  const { learners, cards, reviews, heldOut, learnerFits = { eligible: 0, accepted: 0 }, items } = fit.report;
  return {
    id: fit.id,
    requestedBy: fit.requestedBy,
    accepted: fit.accepted,
    reason: fit.reason,
    weights: fit.weights,
    learners,
    cards,
    reviews,
    heldOut,
    learnerFits,
    ...(items ? { items } : {}),
    createdAt: fit.createdAt.toISOString(),
  };
}
