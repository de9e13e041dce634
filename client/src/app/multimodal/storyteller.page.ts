import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, signal, viewChild, viewChildren } from '@angular/core';
import { DatePipe, DecimalPipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { StorySummaryDto } from '../api/models';
import { EmptyState } from '../shared/page-state/empty-state';
import { ErrorState } from '../shared/page-state/error-state';
import { LoadingState } from '../shared/page-state/loading-state';
import { Pager } from '../shared/pager/pager';
import { ArcChart } from './arc-chart';
import { MultimodalTabs } from './multimodal-tabs';
import { StoryStore } from './story.store';
import { ProblemAlert } from '../shared/page-state/problem-alert';
import { FocusAfterRemoval } from '../shared/focus/focus-after-removal';
import { TokenSrc } from '../core/media/token-src';

export const MAX_STORY_CHARS = 20_000;

const STAGE_LABELS: Record<string, string> = {
  queued: 'Waiting in the queue',
  active: 'Starting',
  scenes: 'Finding the scenes',
  arc: 'Reading the emotion arc',
  composing: 'Composing the music',
  rendering: 'Rendering audio',
  encoding: 'Encoding MP3',
  storing: 'Saving',
  done: 'Done',
};

/** Paste a story, follow its job, see its arc, play its music with the current scene highlighted. */
@Component({
  selector: 'xy-storyteller-page',
  imports: [
    TokenSrc,
    FormsModule,
    DatePipe,
    DecimalPipe,
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    EmptyState,
    ErrorState,
    LoadingState,
    Pager,
    ArcChart,
    MultimodalTabs,
    ProblemAlert,
  ],
  providers: [StoryStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './storyteller.page.html',
  styleUrl: './multimodal.scss',
})
export class StorytellerPage {
  protected readonly store = inject(StoryStore);
  protected readonly maxChars = MAX_STORY_CHARS;
  protected readonly text = signal('');
  protected readonly title = signal('');
  /** Where the audio is (seconds). */
  protected readonly time = signal(0);

  protected readonly status = this.store.status;
  protected readonly result = this.store.result;
  protected readonly stageLabel = computed(() => {
    const stage = this.status()?.progress.stage ?? 'queued';
    return STAGE_LABELS[stage] ?? stage;
  });
  /**
   * What screen readers are told while the story is set to music (with why live updates are interrupted, so the progress
   * does not just seem to stop) and when it is (a status region that stays in the page).
   */
  protected readonly announcement = computed(() => {
    if (!this.store.running()) return this.result() ? 'Your story is set to music.' : '';
    const live = this.store.liveProblem();
    return live ? `${this.stageLabel()}… ${live}` : `${this.stageLabel()}…`;
  });
  /** Not while a story is being set to music: a second one would leave it unseen and spend the hourly quota. */
  protected readonly canSubmit = computed(
    () => !this.store.submitting() && !this.store.running() && this.text().trim().length > 0 && this.text().length <= MAX_STORY_CHARS,
  );
  /** The scene the audio is in (from the timeline). */
  protected readonly currentScene = computed(() => {
    const result = this.result();
    if (!result) return -1;
    const t = this.time();
    const entry =
      result.timeline.find((e) => t >= e.startSec && t < e.endSec) ?? (t >= (result.timeline.at(-1)?.endSec ?? Infinity) ? result.timeline.at(-1) : undefined);
    return entry?.scene ?? -1;
  });
  /** The story cut into its scenes, for highlighting. */
  protected readonly sceneTexts = computed(() => {
    const result = this.result();
    const text = this.store.text();
    return result ? result.scenes.map((scene) => ({ index: scene.index, emotion: scene.emotion, text: text.slice(scene.start, scene.end) })) : [];
  });

  private readonly openButtons = viewChildren('openButton', { read: ElementRef<HTMLElement> });
  private readonly storiesTitle = viewChild('storiesTitle', { read: ElementRef<HTMLElement> });
  private readonly focusAfterRemoval = new FocusAfterRemoval(() => this.store.history.value()?.items, this.openButtons, this.storiesTitle);

  constructor() {
    this.store.start();
  }

  protected remove(item: StorySummaryDto, index: number): void {
    this.focusAfterRemoval.removing(item.id, index);
    this.store.remove(item);
  }

  protected submit(): void {
    if (!this.canSubmit()) return;
    this.time.set(0);
    this.store.submit({ text: this.text(), ...(this.title().trim() ? { title: this.title().trim() } : {}) });
  }

  protected open(item: StorySummaryDto): void {
    this.time.set(0);
    this.store.show(item.id, item.eventsUrl ?? null);
  }

  protected onTime(event: Event): void {
    this.time.set((event.target as HTMLAudioElement).currentTime);
  }

  /** A scene's button jumps the audio to where that scene plays. */
  protected seek(audio: HTMLAudioElement, scene: number): void {
    const entry = this.result()?.timeline.find((e) => e.scene === scene);
    if (!entry) return;
    audio.currentTime = entry.startSec;
    this.time.set(entry.startSec);
  }
}
