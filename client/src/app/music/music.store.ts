import { ErrorHandler, Injectable, computed, inject, signal } from '@angular/core';
import { Api } from '../api/api';
import {
  musicAudio,
  musicCatalog,
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
  MusicCatalogDto,
  MusicGenerationResultDto,
  MusicGenerationStatusDto,
  MusicGenerationSummaryDto,
  MusicHistoryPageDto,
  MusicNotesDto,
  MusicPlanDocumentDto,
} from '../api/models';
import { AuthStore } from '../core/auth/auth.store';
import { Problem, toProblem } from '../core/errors/problem';
import { silentErrors } from '../core/http/request-context';
import { PagedValue } from '../core/http/paged-value';
import { RemoteValue } from '../core/http/remote-value';
import { FollowedJob } from '../core/jobs/followed-job';

const HISTORY_PAGE_SIZE = 10;

/**
 * State of the Music page: what a request can ask for (the server's catalogue), submitting a request,
 * following its progress (core SSE, at the URL the server gives), the finished piece (audio URLs, plan,
 * notes) and the user's history. Intent methods return at once; failed loads land in the signals.
 */
@Injectable()
export class MusicStore {
  private readonly api = inject(Api);
  private readonly auth = inject(AuthStore);
  private readonly errorHandler = inject(ErrorHandler);

  /** The generation being shown: followed live while it runs, then its result, plan and notes. */
  private readonly generation = new FollowedJob<MusicGenerationStatusDto>({
    // The page shows a failed read (submitProblem), so no toast.
    read: (id) => this.api.invoke(musicStatus, { id }, silentErrors()),
    ended: (status) => this.loadResult(status),
  });
  readonly currentId = this.generation.id;
  private readonly submitProblemState = signal<Problem | null>(null);
  private readonly submittingState = signal(false);

  /** Emotions, instruments and input limits, as the server plans and validates them. */
  readonly catalog = new RemoteValue<MusicCatalogDto>();
  /** The page shows a failed page of the history in place (with a retry), so no toast. */
  readonly history = new PagedValue<MusicHistoryPageDto>((page) => this.api.invoke(musicHistory, { page, pageSize: HISTORY_PAGE_SIZE }, silentErrors()));
  /** Fresh per shown generation, so a new piece starts from "pending". */
  readonly plan = signal(new RemoteValue<MusicPlanDocumentDto>());
  readonly notes = signal(new RemoteValue<MusicNotesDto>());
  readonly submitting = this.submittingState.asReadonly();
  /** A rejected request, or a failed read of the generation shown. */
  readonly submitProblem = computed(() => this.submitProblemState() ?? this.generation.problem());

  /** Latest known status of the current generation (live events first, then the final read). */
  readonly status = computed<JobStatusDto | null>(() => this.generation.status());
  readonly liveProblem = this.generation.liveProblem;
  readonly result = computed<MusicGenerationResultDto | null>(() => this.generation.record()?.result ?? null);
  readonly running = this.generation.running;
  readonly failure = computed(() => (this.status()?.state === 'failed' ? (this.status()?.error ?? 'The generation failed.') : null));

  /** Loads what the page starts with: the catalogue and the first page of the history. */
  start(): void {
    this.loadCatalog();
    this.reloadHistory();
  }

  loadCatalog(): void {
    // The page shows a failed catalogue in place (with a retry), so no toast.
    this.run(this.catalog.load(() => this.api.invoke(musicCatalog, {}, silentErrors())));
  }

  // A refused request is shown beside the form (submitProblem), so no toast.
  generateFromEmotion(body: GenerateFromEmotionDto): void {
    this.run(this.submit(() => this.api.invoke(musicGenerateFromEmotion, { body }, silentErrors())));
  }

  generateFromTopic(body: GenerateFromTopicDto): void {
    this.run(this.submit(() => this.api.invoke(musicGenerateFromTopic, { body }, silentErrors())));
  }

  private async submit(send: () => Promise<JobAcceptedDto>): Promise<void> {
    this.submittingState.set(true);
    this.submitProblemState.set(null);
    try {
      const accepted = await send();
      this.show(accepted.id, accepted.eventsUrl);
      this.reloadHistory();
    } catch (error: unknown) {
      this.submitProblemState.set(toProblem(error));
    } finally {
      this.submittingState.set(false);
    }
  }

  /**
   * Shows a generation: follows it live at `eventsUrl` (the server's, for one still queued or active),
   * then loads its result, plan and notes.
   */
  show(id: string, eventsUrl: string | null = null): void {
    // An earlier refused request would hide a failed read of this one (and its read raises no toast).
    this.submitProblemState.set(null);
    this.plan.set(new RemoteValue<MusicPlanDocumentDto>());
    this.notes.set(new RemoteValue<MusicNotesDto>());
    this.generation.show(id, eventsUrl);
  }

  private loadResult(status: MusicGenerationStatusDto): void {
    const id = status.id;
    if (status.state === 'completed' && status.result) {
      this.run(this.plan().load(() => this.api.invoke(musicPlan, { id })));
      if (status.result.hasMidi) this.reloadNotes(id);
    }
    // The history shows every generation's end, a failure too.
    if (status.state === 'completed' || status.state === 'failed') this.reloadHistory();
  }

  /** Loads a completed piece's notes again (their request failed), leaving the piece and its player as they are. */
  reloadNotes(id: string): void {
    this.run(this.notes().load(() => this.api.invoke(musicNotes, { id }, silentErrors())));
  }

  reloadHistory(page = this.history.page()): void {
    this.run(this.history.loadPage(page));
  }

  /** Deletes an item of the history (PagedValue.remove); the piece shown is closed when it was that one. */
  remove(item: MusicGenerationSummaryDto): void {
    this.run(
      this.history.remove(item.id, async () => {
        await this.api.invoke(musicRemove, { id: item.id });
        if (this.currentId() === item.id) this.generation.clear();
      }),
    );
  }

  /** URL an <audio> element or a download link can use: it cannot send headers, so the token rides along. */
  audioUrl(id: string, format: 'mp3' | 'wav', download = false): string {
    return this.auth.withAccessToken(
      `${this.api.rootUrl}${musicAudio.PATH.replace('{id}', encodeURIComponent(id))}?format=${format}${download ? '&download=1' : ''}`,
    );
  }

  midiUrl(id: string): string {
    return this.auth.withAccessToken(`${this.api.rootUrl}${musicMidi.PATH.replace('{id}', encodeURIComponent(id))}`);
  }

  /** Work the caller does not wait for: its failures are in the signals; anything unexpected reaches the ErrorHandler. */
  private run(work: Promise<void>): void {
    work.catch((error: unknown) => this.errorHandler.handleError(error));
  }
}
