import { ErrorHandler, Injectable, computed, inject, signal } from '@angular/core';
import { Api } from '../api/api';
import { storiesAudio, storiesCreate, storiesHistory, storiesMidi, storiesRemove, storiesStatus } from '../api/functions';
import { CreateStoryDto, JobStatusDto, StoryHistoryPageDto, StoryResultDto, StoryStatusDto, StorySummaryDto } from '../api/models';
import { AuthStore } from '../core/auth/auth.store';
import { Problem, toProblem } from '../core/errors/problem';
import { PagedValue } from '../core/http/paged-value';
import { silentErrors } from '../core/http/request-context';
import { FollowedJob } from '../core/jobs/followed-job';

const HISTORY_PAGE_SIZE = 10;

/**
 * State of the Storyteller view: submitting a story, following its job (stages scenes → arc → composing → rendering),
 * the finished story (scenes, arc, timeline, audio) and the user's stories.
 */
@Injectable()
export class StoryStore {
  private readonly api = inject(Api);
  private readonly auth = inject(AuthStore);
  private readonly errorHandler = inject(ErrorHandler);

  /** The story shown: read at once (title and text), followed live while its job runs, read again when it ends. */
  private readonly story = new FollowedJob<StoryStatusDto>({
    // The page shows a failed read (submitProblem), so no toast.
    read: (id) => this.api.invoke(storiesStatus, { id }, silentErrors()),
    readWhileRunning: true,
    ended: () => this.reloadHistory(),
  });
  readonly currentId = this.story.id;
  private readonly submitProblemState = signal<Problem | null>(null);
  private readonly submittingState = signal(false);

  /** The page shows a failed page of the list in place (with a retry), so no toast. */
  readonly history = new PagedValue<StoryHistoryPageDto>((page) => this.api.invoke(storiesHistory, { page, pageSize: HISTORY_PAGE_SIZE }, silentErrors()));
  readonly submitting = this.submittingState.asReadonly();
  /** A rejected story, or a failed read of the story shown. */
  readonly submitProblem = computed(() => this.submitProblemState() ?? this.story.problem());
  readonly liveProblem = this.story.liveProblem;
  readonly text = computed(() => this.story.record()?.text ?? '');
  readonly title = computed(() => this.story.record()?.title ?? '');

  /** Live events while the job runs, then the final read. */
  readonly status = computed<JobStatusDto | StoryStatusDto | null>(() => this.story.status());
  readonly result = computed<StoryResultDto | null>(() => this.story.record()?.result ?? null);
  readonly running = this.story.running;
  readonly failure = computed(() => (this.status()?.state === 'failed' ? (this.status()?.error ?? 'The story could not be set to music.') : null));

  start(): void {
    this.reloadHistory();
  }

  submit(body: CreateStoryDto): void {
    if (this.submittingState() || this.running()) return;
    this.run(this.send(body));
  }

  private async send(body: CreateStoryDto): Promise<void> {
    this.submittingState.set(true);
    this.submitProblemState.set(null);
    try {
      // A refused story is shown beside the form (submitProblem), so no toast.
      const accepted = await this.api.invoke(storiesCreate, { body }, silentErrors());
      this.show(accepted.id, accepted.eventsUrl);
      this.reloadHistory();
    } catch (error: unknown) {
      this.submitProblemState.set(toProblem(error));
    } finally {
      this.submittingState.set(false);
    }
  }

  /** Shows a story: its text at once, its job live at `eventsUrl` while it runs, then its scenes and music. */
  show(id: string, eventsUrl: string | null = null): void {
    // An earlier refused story would hide a failed read of this one (and its read raises no toast).
    this.submitProblemState.set(null);
    this.story.show(id, eventsUrl);
  }

  reloadHistory(page = this.history.page()): void {
    this.run(this.history.loadPage(page));
  }

  /** Deletes an item of the history (PagedValue.remove); the story shown is closed when it was that one. */
  remove(item: StorySummaryDto): void {
    this.run(
      this.history.remove(item.id, async () => {
        await this.api.invoke(storiesRemove, { id: item.id });
        if (this.currentId() === item.id) this.story.clear();
      }),
    );
  }

  /** URLs an <audio> element or a download link can use: they cannot send headers, so the token rides along. */
  audioUrl(id: string, format: 'mp3' | 'wav' = 'mp3'): string {
    return this.auth.withAccessToken(`${this.api.rootUrl}${storiesAudio.PATH.replace('{id}', encodeURIComponent(id))}?format=${format}`);
  }

  midiUrl(id: string): string {
    return this.auth.withAccessToken(`${this.api.rootUrl}${storiesMidi.PATH.replace('{id}', encodeURIComponent(id))}`);
  }

  private run(work: Promise<void>): void {
    work.catch((error: unknown) => this.errorHandler.handleError(error));
  }
}
