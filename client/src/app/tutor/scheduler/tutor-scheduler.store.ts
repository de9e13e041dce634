import { ErrorHandler, Injectable, computed, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { jobsStatus, tutorSchedulerOverview, tutorSchedulerRefit } from '../../api/functions';
import { FsrsFitDto, JobStatusDto, TutorSchedulerDto } from '../../api/models';
import { Problem, toProblem } from '../../core/errors/problem';
import { silentErrors } from '../../core/http/request-context';
import { RemoteValue } from '../../core/http/remote-value';
import { FollowedJob } from '../../core/jobs/followed-job';

/**
 * State of the operators' review-scheduling panel: the FSRS weights in use, the reviews logged, the latest refits, and
 * a refit the operator started (a job, followed live, then read for its result).
 */
@Injectable()
export class TutorSchedulerStore {
  private readonly api = inject(Api);
  private readonly errorHandler = inject(ErrorHandler);

  readonly overview = new RemoteValue<TutorSchedulerDto>();
  private readonly refitJob = new FollowedJob<JobStatusDto>({
    // The panel shows a failed read (problem), so no toast.
    read: (id) => this.api.invoke(jobsStatus, { queue: 'tutor-fsrs-refit', id }, silentErrors()),
    ended: () => this.reload(),
  });
  private readonly submittingState = signal(false);
  private readonly submitProblemState = signal<Problem | null>(null);

  readonly submitting = this.submittingState.asReadonly();
  readonly running = computed(() => this.submittingState() || this.refitJob.running());
  /** Live progress while the refit runs, then its final status. */
  readonly status = this.refitJob.status;
  /** The refit just run, once it has completed. */
  readonly result = computed(() => {
    const record = this.refitJob.record();
    return record?.state === 'completed' ? (record.result as unknown as FsrsFitDto) : null;
  });
  readonly problem = computed(() => this.submitProblemState() ?? this.refitJob.problem());
  readonly failure = computed(() => (this.status()?.state === 'failed' ? (this.status()?.error ?? 'The refit failed.') : null));

  reload(): void {
    this.run(this.overview.load(() => this.api.invoke(tutorSchedulerOverview, {}, silentErrors())));
  }

  refit(): void {
    this.run(this.submit());
  }

  private async submit(): Promise<void> {
    this.submittingState.set(true);
    this.submitProblemState.set(null);
    try {
      // A refit that cannot start is shown in the panel (problem), so no toast.
      const accepted = await this.api.invoke(tutorSchedulerRefit, {}, silentErrors());
      this.refitJob.show(accepted.id, accepted.eventsUrl);
    } catch (error: unknown) {
      this.submitProblemState.set(toProblem(error));
    } finally {
      this.submittingState.set(false);
    }
  }

  private run(work: Promise<void>): void {
    work.catch((error: unknown) => this.errorHandler.handleError(error));
  }
}
