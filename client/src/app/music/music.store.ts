import { DestroyRef, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { Api } from '../api/api';
import {
  jobsEvents,
  musicAudio,
  musicGenerateFromEmotion,
  musicGenerateFromTopic,
  musicHistory,
  musicMidi,
  musicNotes,
  musicPlan,
  musicRemove,
  musicStatus,
} from '../api/functions';
import {
  GenerateFromEmotionDto,
  GenerateFromTopicDto,
  JobAcceptedDto,
  JobStatusDto,
  MusicGenerationResultDto,
  MusicGenerationStatusDto,
  MusicGenerationSummaryDto,
  MusicHistoryPageDto,
  MusicNotesDto,
  MusicPlanDocumentDto,
} from '../api/models';
import { AuthStore } from '../core/auth/auth.store';
import { Problem, toProblem } from '../core/errors/problem';
import { RemoteValue } from '../core/http/remote-value';
import { JobEvents, JobFollow } from '../core/jobs/job-events';

const HISTORY_PAGE_SIZE = 10;
const MUSIC_QUEUE = 'music-generation';

/** The generation being shown: its live status, then its result, plan and notes. */
export interface CurrentGeneration {
  id: string;
  status: JobStatusDto | MusicGenerationStatusDto | null;
}

/**
 * State of the Music page: submitting a request, following its progress (core SSE), the finished
 * piece (audio URLs, plan, notes) and the user's history.
 */
@Injectable()
export class MusicStore {
  private readonly api = inject(Api);
  private readonly auth = inject(AuthStore);
  private readonly jobEvents = inject(JobEvents);
  private readonly destroyRef = inject(DestroyRef);

  private readonly currentIdState = signal<string | null>(null);
  readonly currentId = this.currentIdState.asReadonly();
  private readonly finalStatus = signal<MusicGenerationStatusDto | null>(null);
  private readonly follow = signal<JobFollow | null>(null);
  private readonly submitProblemState = signal<Problem | null>(null);
  private readonly submittingState = signal(false);

  readonly history = new RemoteValue<MusicHistoryPageDto>();
  /** Fresh per shown generation, so a new piece starts from "pending". */
  readonly plan = signal(new RemoteValue<MusicPlanDocumentDto>());
  readonly notes = signal(new RemoteValue<MusicNotesDto>());
  readonly submitting = this.submittingState.asReadonly();
  readonly submitProblem = this.submitProblemState.asReadonly();
  readonly historyPage = signal(1);

  /** Latest known status of the current generation (live events first, then the final read). */
  readonly status = computed<JobStatusDto | null>(() => this.finalStatus() ?? this.follow()?.status() ?? null);
  readonly liveProblem = computed(() => this.follow()?.problem() ?? null);
  readonly result = computed<MusicGenerationResultDto | null>(() => (this.finalStatus()?.result as MusicGenerationResultDto | undefined) ?? null);
  readonly running = computed(() => {
    const state = this.status()?.state;
    return this.currentId() !== null && state !== 'completed' && state !== 'failed';
  });
  readonly failure = computed(() => (this.status()?.state === 'failed' ? (this.status()?.error ?? 'The generation failed.') : null));

  constructor() {
    this.destroyRef.onDestroy(() => this.follow()?.stop());
    // When the followed job ends, read the final status (with the result) once.
    effect(() => {
      const id = this.currentId();
      const follow = this.follow();
      if (id && follow?.finished()) untracked(() => void this.loadFinished(id));
    });
  }

  async generateFromEmotion(body: GenerateFromEmotionDto): Promise<void> {
    await this.submit(() => this.api.invoke(musicGenerateFromEmotion, { body }));
  }

  async generateFromTopic(body: GenerateFromTopicDto): Promise<void> {
    await this.submit(() => this.api.invoke(musicGenerateFromTopic, { body }));
  }

  private async submit(send: () => Promise<JobAcceptedDto>): Promise<void> {
    this.submittingState.set(true);
    this.submitProblemState.set(null);
    try {
      const accepted = await send();
      this.show(accepted.id, accepted.state === 'completed' ? null : accepted.eventsUrl);
      void this.reloadHistory();
    } catch (error: unknown) {
      this.submitProblemState.set(toProblem(error));
    } finally {
      this.submittingState.set(false);
    }
  }

  /** Shows a generation: follows it live while it runs, then loads its result, plan and notes. */
  show(id: string, eventsUrl: string | null = null): void {
    this.follow()?.stop();
    this.follow.set(null);
    this.finalStatus.set(null);
    this.currentIdState.set(id);
    this.plan.set(new RemoteValue<MusicPlanDocumentDto>());
    this.notes.set(new RemoteValue<MusicNotesDto>());
    if (eventsUrl) this.follow.set(this.jobEvents.follow(eventsUrl, null));
    else void this.loadFinished(id);
  }

  private async loadFinished(id: string): Promise<void> {
    try {
      const status = await this.api.invoke(musicStatus, { id });
      if (this.currentId() !== id) return;
      this.finalStatus.set(status);
      const result = status.result;
      if (status.state !== 'completed' || !result) return;
      void this.plan().load(() => this.api.invoke(musicPlan, { id }));
      if (result.hasMidi) void this.notes().load(() => this.api.invoke(musicNotes, { id }));
      void this.reloadHistory();
    } catch (error: unknown) {
      this.submitProblemState.set(toProblem(error));
    }
  }

  reloadHistory(page = this.historyPage()): Promise<void> {
    this.historyPage.set(page);
    return this.history.load(() => this.api.invoke(musicHistory, { page, pageSize: HISTORY_PAGE_SIZE }));
  }

  readonly historyPages = computed(() => {
    const value = this.history.value();
    return value ? Math.max(1, Math.ceil(value.total / value.pageSize)) : 1;
  });

  async remove(item: MusicGenerationSummaryDto): Promise<void> {
    await this.api.invoke(musicRemove, { id: item.id });
    if (this.currentId() === item.id) {
      this.follow()?.stop();
      this.currentIdState.set(null);
      this.finalStatus.set(null);
      this.follow.set(null);
    }
    const page = this.history.value();
    const last = page && page.items.length === 1 && this.historyPage() > 1 ? this.historyPage() - 1 : this.historyPage();
    await this.reloadHistory(last);
  }

  /** URL an <audio> element or a download link can use: it cannot send headers, so the token rides along. */
  audioUrl(id: string, format: 'mp3' | 'wav', download = false): string {
    return this.withToken(`${this.api.rootUrl}${musicAudio.PATH.replace('{id}', encodeURIComponent(id))}?format=${format}${download ? '&download=1' : ''}`);
  }

  /** The core SSE stream of a generation's job (for one opened from the history while still running). */
  eventsUrl(id: string): string {
    return `${this.api.rootUrl}${jobsEvents.PATH.replace('{queue}', MUSIC_QUEUE).replace('{id}', encodeURIComponent(id))}`;
  }

  midiUrl(id: string): string {
    return this.withToken(`${this.api.rootUrl}${musicMidi.PATH.replace('{id}', encodeURIComponent(id))}`);
  }

  private withToken(url: string): string {
    const token = this.auth.accessToken();
    if (!token) return url;
    return `${url}${url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(token)}`;
  }
}
