import { ErrorHandler, Injectable, inject, signal } from '@angular/core';
import { Api } from '../api/api';
import {
  tutorAnswer,
  tutorExercise,
  tutorHistory,
  tutorNext,
  tutorPlan,
  tutorProgress,
  tutorRecording,
  tutorSkills,
  tutorUpdateSettings,
} from '../api/functions';
import {
  AnswerAttemptDto,
  AttemptResultDto,
  CourseMapDto,
  ExerciseDto,
  HistoryPageDto,
  NextExerciseRequestDto,
  ProgressDto,
  TodayPlanDto,
} from '../api/models';
import { AuthStore } from '../core/auth/auth.store';
import { Problem, toProblem } from '../core/errors/problem';
import { silentErrors } from '../core/http/request-context';
import { RemoteValue } from '../core/http/remote-value';

const HISTORY_PAGE_SIZE = 10;

/**
 * State of the Tutor page: the course map, today's plan, progress and history (server state), the exercise in hand and
 * the result of the last attempt. Intent methods return at once; failures land in the signals.
 */
@Injectable()
export class TutorStore {
  private readonly api = inject(Api);
  private readonly auth = inject(AuthStore);
  private readonly errorHandler = inject(ErrorHandler);

  readonly courseMap = new RemoteValue<CourseMapDto>();
  readonly plan = new RemoteValue<TodayPlanDto>();
  readonly progress = new RemoteValue<ProgressDto>();
  readonly history = new RemoteValue<HistoryPageDto>();

  private readonly exerciseState = signal<ExerciseDto | null>(null);
  private readonly resultState = signal<AttemptResultDto | null>(null);
  private readonly busyState = signal<'loading' | 'submitting' | null>(null);
  private readonly problemState = signal<Problem | null>(null);
  readonly exercise = this.exerciseState.asReadonly();
  readonly result = this.resultState.asReadonly();
  readonly busy = this.busyState.asReadonly();
  /** Why the last exercise request or attempt failed (shown beside the exercise). */
  readonly problem = this.problemState.asReadonly();

  /** Tells the server the browser's time zone (streak and "today" are the learner's days), then loads the page. */
  start(): void {
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    this.run(
      this.api
        .invoke(tutorUpdateSettings, { body: { timeZone } }, silentErrors())
        .then(
          () => undefined,
          () => undefined, // an unknown zone keeps the stored one; the page still loads
        )
        .then(() => this.refresh()),
    );
  }

  /** Reloads what an attempt changes: course map, plan, progress and history. */
  refresh(): void {
    this.run(this.courseMap.load(() => this.api.invoke(tutorSkills, {}, silentErrors())));
    this.run(this.plan.load(() => this.api.invoke(tutorPlan, {}, silentErrors())));
    this.run(this.progress.load(() => this.api.invoke(tutorProgress, {}, silentErrors())));
    this.run(this.history.load(() => this.api.invoke(tutorHistory, { page: 1, pageSize: HISTORY_PAGE_SIZE }, silentErrors())));
  }

  /** Asks for the next exercise: the planner's choice, or one of the chosen skill, or the chosen item (a plan entry's). */
  next(target: NextExerciseRequestDto = {}): void {
    this.run(
      this.attempt('loading', async () => {
        const exercise = await this.api.invoke(tutorNext, { body: target }, silentErrors());
        this.resultState.set(null);
        this.exerciseState.set(exercise);
      }),
    );
  }

  /** Opens an exercise handed out earlier (a link to it: /tutor?exercise=<id>). */
  open(id: string): void {
    this.run(
      this.attempt('loading', async () => {
        const exercise = await this.api.invoke(tutorExercise, { id }, silentErrors());
        this.resultState.set(null);
        this.exerciseState.set(exercise);
      }),
    );
  }

  answer(body: AnswerAttemptDto): void {
    const exercise = this.exercise();
    if (!exercise) return;
    this.run(this.attempt('submitting', async () => this.done(await this.api.invoke(tutorAnswer, { id: exercise.id, body }, silentErrors()))));
  }

  submitRecording(wav: Blob): void {
    const exercise = this.exercise();
    if (!exercise) return;
    this.run(
      this.attempt('submitting', async () => this.done(await this.api.invoke(tutorRecording, { id: exercise.id, body: { audio: wav } }, silentErrors()))),
    );
  }

  /** Leaves the exercise (the result stays until the next one). */
  close(): void {
    this.exerciseState.set(null);
    this.resultState.set(null);
    this.problemState.set(null);
  }

  /** URL an <audio> element can use (it cannot send headers, so the token rides along). */
  audioUrl(exercise: ExerciseDto): string | null {
    return exercise.audioUrl ? this.auth.withAccessToken(`${this.api.rootUrl}${exercise.audioUrl}`) : null;
  }

  private done(result: AttemptResultDto): void {
    this.resultState.set(result);
    this.refresh();
  }

  /**
   * One request at a time (a double click on Next or Submit sends one): an answer landing after a newer exercise
   * arrived would show its result under the wrong exercise. The page shows `problem` itself, so requests are silent.
   */
  private async attempt(kind: 'loading' | 'submitting', work: () => Promise<void>): Promise<void> {
    if (this.busyState() !== null) return;
    this.busyState.set(kind);
    this.problemState.set(null);
    try {
      await work();
    } catch (error: unknown) {
      this.problemState.set(toProblem(error));
    } finally {
      this.busyState.set(null);
    }
  }

  private run(work: Promise<void>): void {
    work.catch((error: unknown) => this.errorHandler.handleError(error));
  }
}
