import { HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, ErrorHandler, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { Api } from '../api/api';
import { storiesAudio, storiesCreate, storiesHistory, storiesMidi, storiesRemove, storiesStatus } from '../api/functions';
import { CreateStoryDto, JobStatusDto, StoryHistoryPageDto, StoryResultDto, StoryStatusDto, StorySummaryDto } from '../api/models';
import { AuthStore } from '../core/auth/auth.store';
import { Problem, toProblem } from '../core/errors/problem';
import { PagedValue } from '../core/http/paged-value';
import { JobEvents, JobFollow } from '../core/jobs/job-events';

const HISTORY_PAGE_SIZE = 10;

/**
 * State of the Storyteller view: submitting a story, following its job (stages scenes → arc → composing → rendering),
 * the finished story (scenes, arc, timeline, audio) and the user's stories.
 */
@Injectable()
export class StoryStore {
  private readonly api = inject(Api);
  private readonly auth = inject(AuthStore);
  private readonly jobEvents = inject(JobEvents);
  private readonly errorHandler = inject(ErrorHandler);

  private readonly currentIdState = signal<string | null>(null);
  readonly currentId = this.currentIdState.asReadonly();
  /** The story as the server last answered for it (title and text; the result once completed). */
  private readonly detail = signal<StoryStatusDto | null>(null);
  private readonly follow = signal<JobFollow | null>(null);
  private readonly submitProblemState = signal<Problem | null>(null);
  private readonly submittingState = signal(false);

  readonly history = new PagedValue<StoryHistoryPageDto>((page) => this.api.invoke(storiesHistory, { page, pageSize: HISTORY_PAGE_SIZE }));
  readonly submitting = this.submittingState.asReadonly();
  readonly submitProblem = this.submitProblemState.asReadonly();
  readonly liveProblem = computed(() => this.follow()?.problem() ?? null);
  readonly text = computed(() => this.detail()?.text ?? '');
  readonly title = computed(() => this.detail()?.title ?? '');

  /** Live events while the job runs, then the final read. */
  readonly status = computed<JobStatusDto | StoryStatusDto | null>(() => {
    const detail = this.detail();
    if (detail && (detail.state === 'completed' || detail.state === 'failed')) return detail;
    return this.follow()?.status() ?? detail;
  });
  readonly result = computed<StoryResultDto | null>(() => this.detail()?.result ?? null);
  readonly running = computed(() => {
    const state = this.status()?.state;
    return this.currentId() !== null && state !== 'completed' && state !== 'failed';
  });
  readonly failure = computed(() => (this.status()?.state === 'failed' ? (this.status()?.error ?? 'The story could not be set to music.') : null));

  constructor() {
    inject(DestroyRef).onDestroy(() => this.follow()?.stop());
    effect(() => {
      const id = this.currentId();
      if (id && this.follow()?.finished()) untracked(() => this.run(this.load(id)));
    });
  }

  start(): void {
    this.reloadHistory();
  }

  submit(body: CreateStoryDto): void {
    this.run(this.send(body));
  }

  private async send(body: CreateStoryDto): Promise<void> {
    this.submittingState.set(true);
    this.submitProblemState.set(null);
    try {
      const accepted = await this.api.invoke(storiesCreate, { body });
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
    this.follow()?.stop();
    this.follow.set(null);
    this.detail.set(null);
    this.currentIdState.set(id);
    if (eventsUrl) this.follow.set(this.jobEvents.follow(eventsUrl, null));
    this.run(this.load(id));
  }

  private async load(id: string): Promise<void> {
    try {
      const detail = await this.api.invoke(storiesStatus, { id });
      if (this.currentId() !== id) return;
      this.detail.set(detail);
      if (detail.state === 'completed' || detail.state === 'failed') {
        this.follow()?.stop();
        this.reloadHistory();
      } else if (!this.follow() && detail.eventsUrl) {
        this.follow.set(this.jobEvents.follow(detail.eventsUrl, null));
      }
    } catch (error: unknown) {
      this.submitProblemState.set(toProblem(error));
    }
  }

  reloadHistory(page = this.history.page()): void {
    this.run(this.history.loadPage(page));
  }

  remove(item: StorySummaryDto): void {
    this.run(this.removeStory(item));
  }

  private async removeStory(item: StorySummaryDto): Promise<void> {
    try {
      await this.api.invoke(storiesRemove, { id: item.id });
    } catch (error: unknown) {
      if (error instanceof HttpErrorResponse) return; // the error interceptor has shown the answer
      throw error;
    }
    if (this.currentId() === item.id) {
      this.follow()?.stop();
      this.follow.set(null);
      this.detail.set(null);
      this.currentIdState.set(null);
    }
    await this.history.loadAfterRemoval();
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
