import { ErrorHandler, Injectable, computed, inject, signal } from '@angular/core';
import { Api } from '../api/api';
import { multimodalAnalyze, multimodalForgetVoice, multimodalMusic, multimodalSave, musicAudio, musicStatus } from '../api/functions';
import { MultimodalAnalysisDto, MusicGenerationStatusDto, SavedAnalysisDto } from '../api/models';
import { AuthStore } from '../core/auth/auth.store';
import { Problem, toProblem } from '../core/errors/problem';
import { silentErrors } from '../core/http/request-context';
import { FollowedJob } from '../core/jobs/followed-job';

/** What the user gives: any of a picture, a recording and a text. */
export interface MoodInput {
  image: Blob | null;
  audio: Blob | null;
  text: string;
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
  private readonly errorHandler = inject(ErrorHandler);

  private readonly analysisState = signal<MultimodalAnalysisDto | null>(null);
  private readonly analysedInputState = signal<MoodInput | null>(null);
  private readonly problemState = signal<Problem | null>(null);
  private readonly analysingState = signal(false);
  private readonly savedState = signal<SavedAnalysisDto | null>(null);
  private readonly savingState = signal(false);
  /** Between the click on "Make music" and the job's answer. */
  private startingPiece = false;
  /** The piece made from the mood: its job followed live, then its result (audio URL). */
  private readonly pieceJob = new FollowedJob<MusicGenerationStatusDto>({
    // The page shows a failed read (pieceProblem), so no toast.
    read: (id) => this.api.invoke(musicStatus, { id }, silentErrors()),
  });
  private readonly pieceRequestProblem = signal<Problem | null>(null);
  private readonly voiceForgottenState = signal<'forgetting' | 'forgotten' | null>(null);

  readonly analysis = this.analysisState.asReadonly();
  /** What the analysis shown was made from (the page compares it with what it holds now). */
  readonly analysedInput = this.analysedInputState.asReadonly();
  readonly problem = this.problemState.asReadonly();
  readonly analysing = this.analysingState.asReadonly();
  readonly saved = this.savedState.asReadonly();
  readonly saving = this.savingState.asReadonly();
  /** Whether the server is forgetting, or has forgotten, how the user's voice usually sounds. */
  readonly voiceForgotten = this.voiceForgottenState.asReadonly();
  readonly piece = computed(() => (this.pieceJob.record()?.state === 'completed' ? (this.pieceJob.record()?.result ?? null) : null));
  /** The request refused, the job failed, or its status could not be read. */
  readonly pieceProblem = computed<Problem | null>(() => {
    const failed = this.pieceJob.record();
    if (failed?.state === 'failed') return { type: 'about:blank', title: 'The piece could not be made', status: 500, detail: failed.error };
    return this.pieceRequestProblem() ?? this.pieceJob.problem();
  });
  readonly pieceStatus = this.pieceJob.status;
  /** Why the piece's live updates are interrupted (reconnecting, or stopped), while the last stage stays visible. */
  readonly pieceLiveProblem = this.pieceJob.liveProblem;
  readonly pieceRunning = computed(() => this.pieceJob.running() && this.pieceProblem() === null);
  readonly pieceStage = computed(() => {
    const stage = this.pieceStatus()?.progress.stage ?? 'queued';
    return STAGES[stage] ?? stage;
  });

  /** Sends what is given to the recognisers; the answer replaces the previous one. */
  analyze(input: MoodInput): void {
    if (!this.analysingState()) this.run(this.send(input));
  }

  private async send(input: MoodInput): Promise<void> {
    this.analysingState.set(true);
    this.problemState.set(null);
    this.savedState.set(null);
    try {
      this.analysisState.set(await this.api.invoke(multimodalAnalyze, { body: formOf(input) }, silentErrors()));
      this.analysedInputState.set(input);
      // A piece made for the previous mood is not this one's.
      this.pieceJob.clear();
      this.pieceRequestProblem.set(null);
    } catch (error: unknown) {
      this.problemState.set(toProblem(error));
    } finally {
      this.analysingState.set(false);
    }
  }

  /** Keeps the last analysis with its picture, recording and text (the server analyses them again as it stores them). */
  save(): void {
    const input = this.analysedInputState();
    // The button only looks disabled while saving (disabledInteractive): a second click must not store a copy.
    if (input && !this.savingState()) this.run(this.store(input));
  }

  private async store(input: MoodInput): Promise<void> {
    this.savingState.set(true);
    try {
      // A failed save is shown above Analyse (problem), so no toast.
      const saved = await this.api.invoke(multimodalSave, { body: formOf(input) }, silentErrors());
      // A newer analysis may have replaced the one this request keeps: the copy is stored, but it is not that one.
      if (this.analysedInputState() === input) this.savedState.set(saved);
    } catch (error: unknown) {
      this.problemState.set(toProblem(error));
    } finally {
      this.savingState.set(false);
    }
  }

  /** Forgets the user's voice baseline: their next recordings are read as a new speaker's. */
  forgetVoice(): void {
    // The button only looks disabled meanwhile (disabledInteractive, so it keeps the focus).
    if (this.voiceForgottenState() !== 'forgetting') this.run(this.forget());
  }

  private async forget(): Promise<void> {
    this.voiceForgottenState.set('forgetting');
    this.problemState.set(null);
    try {
      // A failed forget is shown above Analyse (problem), so no toast.
      await this.api.invoke(multimodalForgetVoice, {}, silentErrors());
      this.voiceForgottenState.set('forgotten');
    } catch (error: unknown) {
      this.voiceForgottenState.set(null);
      this.problemState.set(toProblem(error));
    }
  }

  /** A piece for the fused mood (the saved analysis when there is one). */
  makeMusic(durationSec = 30): void {
    const fused = this.analysisState()?.fused;
    // One piece at a time: a click while one is requested or made would abandon it and spend the hourly quota.
    if (!fused || this.startingPiece || this.pieceRunning()) return;
    const saved = this.savedState();
    const body = saved ? { analysisId: saved.id, durationSec } : { valence: fused.valence, arousal: fused.arousal, durationSec };
    this.run(this.startPiece(body));
  }

  private async startPiece(body: { analysisId?: string; valence?: number; arousal?: number; durationSec: number }): Promise<void> {
    this.startingPiece = true;
    this.pieceJob.clear();
    this.pieceRequestProblem.set(null);
    const analysis = this.analysisState();
    try {
      // A refused piece is shown under the mood (pieceProblem), so no toast.
      const accepted = await this.api.invoke(multimodalMusic, { body }, silentErrors());
      if (this.analysisState() !== analysis) return;
      this.pieceJob.show(accepted.id, accepted.eventsUrl);
    } catch (error: unknown) {
      this.pieceRequestProblem.set(toProblem(error));
    } finally {
      this.startingPiece = false;
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
