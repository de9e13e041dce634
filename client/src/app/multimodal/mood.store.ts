import { DestroyRef, ErrorHandler, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { Api } from '../api/api';
import { multimodalAnalyze, multimodalMusic, multimodalSave, musicAudio, musicStatus } from '../api/functions';
import { MultimodalAnalysisDto, MusicGenerationResultDto, SavedAnalysisDto } from '../api/models';
import { AuthStore } from '../core/auth/auth.store';
import { Problem, toProblem } from '../core/errors/problem';
import { silentErrors } from '../core/http/request-context';
import { JobEvents, JobFollow } from '../core/jobs/job-events';

/** What the user gives: any of a picture, a recording and a text. */
export interface MoodInput {
  image: Blob | null;
  audio: Blob | null;
  text: string;
}

/** The piece made from the mood: its job followed live, then its result (audio URL). */
export interface MoodPiece {
  id: string;
  follow: JobFollow | null;
}

const STAGES: Record<string, string> = {
  queued: 'Waiting in the queue',
  active: 'Starting',
  planning: 'Planning the piece',
  composing: 'Composing',
  rendering: 'Rendering audio',
  encoding: 'Encoding MP3',
  storing: 'Saving',
  done: 'Done',
};

/**
 * State of the Mood view: analysing (nothing stored), saving on request, and a piece made from the fused mood
 * through the music module's generation, followed live at the URL the server gives.
 */
@Injectable()
export class MoodStore {
  private readonly api = inject(Api);
  private readonly auth = inject(AuthStore);
  private readonly jobEvents = inject(JobEvents);
  private readonly errorHandler = inject(ErrorHandler);

  private readonly analysisState = signal<MultimodalAnalysisDto | null>(null);
  private readonly analysedInput = signal<MoodInput | null>(null);
  private readonly problemState = signal<Problem | null>(null);
  private readonly analysingState = signal(false);
  private readonly savedState = signal<SavedAnalysisDto | null>(null);
  private readonly savingState = signal(false);
  private readonly pieceState = signal<MoodPiece | null>(null);
  private readonly pieceResult = signal<MusicGenerationResultDto | null>(null);
  private readonly pieceProblemState = signal<Problem | null>(null);

  readonly analysis = this.analysisState.asReadonly();
  readonly problem = this.problemState.asReadonly();
  readonly analysing = this.analysingState.asReadonly();
  readonly saved = this.savedState.asReadonly();
  readonly saving = this.savingState.asReadonly();
  readonly piece = this.pieceResult.asReadonly();
  readonly pieceProblem = this.pieceProblemState.asReadonly();
  readonly pieceStatus = computed(() => this.pieceState()?.follow?.status() ?? null);
  readonly pieceRunning = computed(() => this.pieceState() !== null && this.pieceResult() === null && this.pieceProblemState() === null);
  readonly pieceStage = computed(() => {
    const stage = this.pieceStatus()?.progress.stage ?? 'queued';
    return STAGES[stage] ?? stage;
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => this.pieceState()?.follow?.stop());
    effect(() => {
      const piece = this.pieceState();
      if (piece?.follow?.finished()) untracked(() => this.run(this.loadPiece(piece.id)));
    });
  }

  /** Sends what is given to the recognisers; the answer replaces the previous one. */
  analyze(input: MoodInput): void {
    this.run(this.send(input));
  }

  private async send(input: MoodInput): Promise<void> {
    this.analysingState.set(true);
    this.problemState.set(null);
    this.savedState.set(null);
    try {
      this.analysisState.set(await this.api.invoke(multimodalAnalyze, { body: formOf(input) }, silentErrors()));
      this.analysedInput.set(input);
    } catch (error: unknown) {
      this.problemState.set(toProblem(error));
    } finally {
      this.analysingState.set(false);
    }
  }

  /** Keeps the last analysis with its picture, recording and text (the server analyses them again as it stores them). */
  save(): void {
    const input = this.analysedInput();
    if (input) this.run(this.store(input));
  }

  private async store(input: MoodInput): Promise<void> {
    this.savingState.set(true);
    try {
      this.savedState.set(await this.api.invoke(multimodalSave, { body: formOf(input) }));
    } catch (error: unknown) {
      this.problemState.set(toProblem(error));
    } finally {
      this.savingState.set(false);
    }
  }

  /** A piece for the fused mood (the saved analysis when there is one). */
  makeMusic(durationSec = 30): void {
    const fused = this.analysisState()?.fused;
    if (!fused) return;
    const saved = this.savedState();
    const body = saved ? { analysisId: saved.id, durationSec } : { valence: fused.valence, arousal: fused.arousal, durationSec };
    this.run(this.startPiece(body));
  }

  private async startPiece(body: { analysisId?: string; valence?: number; arousal?: number; durationSec: number }): Promise<void> {
    this.pieceState()?.follow?.stop();
    this.pieceResult.set(null);
    this.pieceProblemState.set(null);
    try {
      const accepted = await this.api.invoke(multimodalMusic, { body });
      const follow = accepted.state === 'completed' ? null : this.jobEvents.follow(accepted.eventsUrl, null);
      this.pieceState.set({ id: accepted.id, follow });
      if (!follow) await this.loadPiece(accepted.id);
    } catch (error: unknown) {
      this.pieceProblemState.set(toProblem(error));
    }
  }

  private async loadPiece(id: string): Promise<void> {
    try {
      const status = await this.api.invoke(musicStatus, { id });
      if (this.pieceState()?.id !== id) return;
      if (status.state === 'completed' && status.result) this.pieceResult.set(status.result);
      else if (status.state === 'failed')
        this.pieceProblemState.set({ type: 'about:blank', title: 'The piece could not be made', status: 500, detail: status.error });
    } catch (error: unknown) {
      this.pieceProblemState.set(toProblem(error));
    }
  }

  /** The piece's audio for an <audio> element, which cannot send headers: the token rides along. */
  pieceAudioUrl(id: string): string {
    return this.auth.withAccessToken(`${this.api.rootUrl}${musicAudio.PATH.replace('{id}', encodeURIComponent(id))}?format=mp3`);
  }

  private run(work: Promise<void>): void {
    work.catch((error: unknown) => this.errorHandler.handleError(error));
  }
}

/** The multipart form: only the parts given (an empty text is left out rather than sent). */
function formOf(input: MoodInput): { image?: Blob; audio?: Blob; text?: string } {
  return { ...(input.image ? { image: input.image } : {}), ...(input.audio ? { audio: input.audio } : {}), ...(input.text.trim() ? { text: input.text } : {}) };
}
