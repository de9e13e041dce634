import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { DecimalPipe, PercentPipe, SlicePipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { AffectBars } from './affect-bars';
import { CameraCapture } from './camera-capture';
import { FaceOverlay } from './face-overlay';
import { MoodStore } from './mood.store';
import { MultimodalTabs } from './multimodal-tabs';
import { MAX_RECORDING_SEC, WavRecorder } from './wav-recorder';
import { ProblemAlert } from '../shared/page-state/problem-alert';
import { TokenSrc } from '../core/media/token-src';

export const MAX_TEXT_CHARS = 5000;
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/**
 * From here the modalities are said to disagree (a smiling face with a sad voice): the shipped fusion's learned conflict
 * threshold (server models/fusion.json), since the analyze contract carries the disagreement but no conflict flag.
 * Agreeing readings measure about 0.35–0.5, so a lower notice would warn on most moods that agree.
 */
export const DISAGREEMENT_NOTICE = 0.65;

/**
 * Take a snapshot or upload a picture, record a sentence, type a line: see each modality and the fused mood with
 * each one's weight and any disagreement; save it; make music from it.
 */
@Component({
  selector: 'xy-mood-page',
  imports: [
    TokenSrc,
    FormsModule,
    DecimalPipe,
    PercentPipe,
    SlicePipe,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    AffectBars,
    CameraCapture,
    FaceOverlay,
    MultimodalTabs,
    ProblemAlert,
  ],
  providers: [MoodStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './mood.page.html',
  styleUrl: './multimodal.scss',
})
export class MoodPage {
  protected readonly store = inject(MoodStore);
  protected readonly maxText = MAX_TEXT_CHARS;
  protected readonly maxSeconds = MAX_RECORDING_SEC;
  protected readonly disagreementNotice = DISAGREEMENT_NOTICE;

  protected readonly image = signal<Blob | null>(null);
  protected readonly imageProblem = signal<string | null>(null);
  protected readonly audio = signal<Blob | null>(null);
  protected readonly audioUrl = signal<string | null>(null);
  protected readonly recording = signal(false);
  protected readonly recordedSeconds = signal(0);
  protected readonly micProblem = signal<string | null>(null);
  protected readonly text = signal('');

  protected readonly analysis = this.store.analysis;
  /** Whether the analysis shown is of the picture, recording and text on the page now. */
  protected readonly analysisIsCurrent = computed(() => {
    const input = this.store.analysedInput();
    return input !== null && input.image === this.image() && input.audio === this.audio() && input.text === this.text();
  });
  /** Face boxes belong on the picture they were found in, not on one chosen since. */
  protected readonly overlayFace = computed(() => (this.image() === this.store.analysedInput()?.image ? this.analysis()?.face : undefined));
  protected readonly canAnalyze = computed(
    () =>
      !this.store.analysing() &&
      !this.recording() &&
      (this.image() !== null || this.audio() !== null || this.text().trim().length > 0) &&
      this.text().length <= MAX_TEXT_CHARS,
  );
  /** The fused weights as bars, in a fixed order. */
  protected readonly weights = computed(() => {
    const weights = this.analysis()?.fused.weights ?? {};
    return (['face', 'voice', 'text'] as const).filter((m) => weights[m] !== undefined).map((m) => ({ modality: m, value: weights[m] ?? 0 }));
  });

  private recorder: WavRecorder | null = null;
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  /** Set by a press of Save: once saved, the button gives way to "Saved", which takes the keyboard focus. */
  private focusSaved = false;
  /** Set by Analyse: on a narrow screen the result sits below the form, so it is scrolled into view when it arrives. */
  private revealResult = false;

  constructor() {
    effect(() => {
      if (!this.store.saved() || !this.focusSaved) return;
      this.focusSaved = false;
      untracked(() => this.focusAfterRender('[data-testid="saved"]'));
    });
    effect(() => {
      if (this.store.analysing() || !this.revealResult) return;
      this.revealResult = false;
      if (!untracked(this.store.analysis) || untracked(this.store.problem)) return;
      afterNextRender(
        () => {
          const result = this.host.nativeElement.querySelector<HTMLElement>('.result');
          if (result && result.getBoundingClientRect().top > window.innerHeight * 0.75)
            result.scrollIntoView({ behavior: window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth', block: 'start' });
        },
        { injector: this.injector },
      );
    });
    inject(DestroyRef).onDestroy(() => {
      this.recorder?.release();
      const url = this.audioUrl();
      if (url) URL.revokeObjectURL(url);
    });
  }

  protected analyze(): void {
    if (!this.canAnalyze()) return;
    this.revealResult = true;
    this.store.analyze({ image: this.image(), audio: this.audio(), text: this.text() });
  }

  /** Saving and music are for the mood of what is on the page: after a change, Analyse first. */
  protected save(): void {
    if (!this.analysisIsCurrent()) return;
    this.focusSaved = true;
    this.store.save();
  }

  protected makeMusic(): void {
    if (this.analysisIsCurrent()) this.store.makeMusic();
  }

  protected pickImage(event: Event): void {
    const file = (event.target as HTMLInputElement).files?.[0];
    (event.target as HTMLInputElement).value = '';
    if (!file) return;
    this.imageProblem.set(null);
    if (!['image/jpeg', 'image/png', 'image/webp'].includes(file.type)) return this.imageProblem.set('Choose a JPEG, PNG or WebP picture.');
    if (file.size > MAX_IMAGE_BYTES) return this.imageProblem.set('The picture is larger than 10 MB.');
    this.setImage(file);
  }

  /** A picture chosen or taken: the controls that gave it are gone, so the focus goes to Remove the picture. */
  protected setImage(picture: Blob): void {
    this.image.set(picture);
    this.focusAfterRender('[data-testid="clear-image"]');
  }

  protected pickAudio(event: Event): void {
    const file = (event.target as HTMLInputElement).files?.[0];
    (event.target as HTMLInputElement).value = '';
    if (file) this.setAudio(file);
  }

  protected async toggleRecording(): Promise<void> {
    if (this.recording()) return this.finishRecording();
    // A click while the browser still asks for the microphone waits for that answer.
    if (this.recorder) return;
    this.micProblem.set(null);
    if (!navigator.mediaDevices?.getUserMedia) {
      this.micProblem.set('This browser cannot record here (it needs a secure https:// page). Upload a WAV file instead.');
      return;
    }
    this.recorder = new WavRecorder((seconds, full) => {
      this.recordedSeconds.set(seconds);
      if (full) this.finishRecording().catch(() => this.micProblem.set('The recording could not be finished.'));
    });
    const recorder = this.recorder;
    try {
      if (!(await recorder.start())) return; // the page went away while the browser asked
      this.recordedSeconds.set(0);
      this.recording.set(true);
    } catch (error: unknown) {
      recorder.release();
      this.recorder = null;
      this.micProblem.set(
        error instanceof DOMException && error.name === 'NotAllowedError' ? 'The microphone was not allowed.' : 'No microphone could be opened.',
      );
    }
  }

  private async finishRecording(): Promise<void> {
    const recorder = this.recorder;
    this.recorder = null;
    this.recording.set(false);
    const recorded = await recorder?.stop();
    if (recorded) this.setAudio(recorded.wav);
  }

  private setAudio(blob: Blob | null): void {
    const previous = this.audioUrl();
    if (previous) URL.revokeObjectURL(previous);
    this.audio.set(blob);
    this.audioUrl.set(blob ? URL.createObjectURL(blob) : null);
  }

  protected clearImage(): void {
    this.image.set(null);
    this.focusAfterRender('[data-testid="camera"]');
  }

  protected clearAudio(): void {
    this.setAudio(null);
    this.focusAfterRender('[data-testid="record"]');
  }

  /** A focused control that leaves the page drops the keyboard focus to the body: this gives it to the one named. */
  private focusAfterRender(selector: string): void {
    afterNextRender(() => this.host.nativeElement.querySelector<HTMLElement>(selector)?.focus(), { injector: this.injector });
  }
}
