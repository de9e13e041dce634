import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, signal, viewChild, viewChildren } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatChipListboxChange, MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSliderModule } from '@angular/material/slider';
import { DatePipe, DecimalPipe } from '@angular/common';
import { MusicGenerationSummaryDto } from '../api/models';
import { EmptyState } from '../shared/page-state/empty-state';
import { ErrorState } from '../shared/page-state/error-state';
import { LoadingState } from '../shared/page-state/loading-state';
import { Pager } from '../shared/pager/pager';
import { MusicStore } from './music.store';
import { PianoRoll } from './piano-roll';
import { VaPad, ValenceArousal } from './va-pad';
import { ProblemAlert } from '../shared/page-state/problem-alert';
import { FocusAfterRemoval } from '../shared/focus/focus-after-removal';
import { TokenSrc } from '../core/media/token-src';

type Mode = 'emotion' | 'topic';
type EmotionSource = 'name' | 'point';

const STAGE_LABELS: Record<string, string> = {
  queued: 'Waiting in the queue',
  active: 'Starting',
  planning: 'Planning the piece',
  composing: 'Composing',
  rendering: 'Rendering audio',
  encoding: 'Encoding MP3',
  storing: 'Saving',
  done: 'Done',
};

/** Generate music from an emotion or a topic, follow it live, play it, see its notes and plan, manage history. */
@Component({
  selector: 'xy-music-page',
  imports: [
    TokenSrc,
    FormsModule,
    DatePipe,
    DecimalPipe,
    MatButtonModule,
    MatButtonToggleModule,
    MatCardModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSliderModule,
    EmptyState,
    ErrorState,
    LoadingState,
    Pager,
    PianoRoll,
    VaPad,
    ProblemAlert,
  ],
  providers: [MusicStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './music.page.html',
  styleUrl: './music.page.scss',
})
export class MusicPage {
  protected readonly store = inject(MusicStore);
  /** The server's catalogue; the form is shown once it is here. */
  protected readonly catalog = this.store.catalog.value;

  protected readonly mode = signal<Mode>('emotion');
  protected readonly emotionSource = signal<EmotionSource>('name');
  protected readonly emotion = signal<string>('happy');
  protected readonly point = signal<ValenceArousal | null>({ valence: 0.5, arousal: 0.3 });
  protected readonly topic = signal('');
  protected readonly durationSec = signal(30);
  protected readonly tempo = signal<number | null>(null);
  protected readonly seed = signal<number | null>(null);
  protected readonly melody = signal<number | null>(null);
  protected readonly harmony = signal<number | null>(null);
  protected readonly bass = signal<number | null>(null);
  protected readonly playback = signal(0);

  protected readonly status = this.store.status;
  protected readonly result = this.store.result;
  protected readonly stageLabel = computed(() => {
    const stage = this.status()?.progress.stage ?? 'queued';
    return STAGE_LABELS[stage] ?? stage;
  });
  /**
   * What screen readers are told while the piece is made (with why live updates are interrupted, so the progress does not
   * just seem to stop) and when it is ready (a status region that stays in the page).
   */
  protected readonly announcement = computed(() => {
    if (!this.store.running()) return this.result() ? 'The piece is ready.' : '';
    const live = this.store.liveProblem();
    return live ? `${this.stageLabel()}… ${live}` : `${this.stageLabel()}…`;
  });
  protected readonly tempoInvalid = computed(() => {
    const t = this.tempo();
    const limits = this.catalog()?.limits;
    return t !== null && limits !== undefined && (!Number.isInteger(t) || t < limits.minTempo || t > limits.maxTempo);
  });
  protected readonly seedInvalid = computed(() => {
    const s = this.seed();
    const limits = this.catalog()?.limits;
    return s !== null && limits !== undefined && (!Number.isInteger(s) || s < 0 || s > limits.maxSeed);
  });
  protected readonly canSubmit = computed(() => {
    const catalog = this.catalog();
    if (!catalog || this.store.submitting() || this.tempoInvalid() || this.seedInvalid()) return false;
    if (this.mode() === 'topic') return this.topic().trim().length > 0 && this.topic().length <= catalog.limits.maxTopicLength;
    return this.emotionSource() === 'name' ? this.emotion() !== '' : this.point() !== null;
  });
  /** Chosen instruments, in the API's order (melody, harmony, bass); empty when left to the composer. */
  private readonly chosenInstruments = computed(() => {
    const chosen = [this.melody(), this.harmony(), this.bass()];
    if (chosen.every((p) => p === null)) return undefined;
    const fallback = chosen.find((p) => p !== null) ?? 0;
    return chosen.map((p) => p ?? fallback);
  });

  private readonly openButtons = viewChildren('openButton', { read: ElementRef<HTMLElement> });
  private readonly historyTitle = viewChild('historyTitle', { read: ElementRef<HTMLElement> });
  private readonly focusAfterRemoval = new FocusAfterRemoval(() => this.store.history.value()?.items, this.openButtons, this.historyTitle);

  constructor() {
    this.store.start();
  }

  protected submit(): void {
    if (!this.canSubmit()) return;
    const seed = this.seed() ?? undefined;
    if (this.mode() === 'topic') {
      this.store.generateFromTopic({ topic: this.topic().trim(), durationSec: this.durationSec(), seed });
      return;
    }
    const point = this.point();
    const target = this.emotionSource() === 'name' || !point ? { emotion: this.emotion() } : { valence: point.valence, arousal: point.arousal };
    this.store.generateFromEmotion({
      ...target,
      durationSec: this.durationSec(),
      seed,
      tempo: this.tempo() ?? undefined,
      instruments: this.chosenInstruments(),
    });
  }

  protected numberOrNull(value: unknown): number | null {
    if (value === '' || value === null || value === undefined) return null;
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }

  protected open(item: MusicGenerationSummaryDto): void {
    this.playback.set(0);
    this.store.show(item.id, item.eventsUrl ?? null);
  }

  protected remove(item: MusicGenerationSummaryDto, index: number): void {
    this.focusAfterRemoval.removing(item.id, index);
    this.store.remove(item);
  }

  /** An emotion is always chosen: pressing the chosen chip again would clear the listbox, so it is chosen again. */
  protected chooseEmotion(change: MatChipListboxChange): void {
    if (typeof change.value === 'string' && change.value !== '') this.emotion.set(change.value);
    else change.source.value = this.emotion();
  }

  protected onTime(event: Event): void {
    this.playback.set((event.target as HTMLAudioElement).currentTime);
  }
}
