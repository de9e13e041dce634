import { ChangeDetectionStrategy, Component, ElementRef, OnDestroy, computed, effect, input, output, signal, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

/**
 * Rhythm input: a count-in of clicks (Web Audio, sample-accurate), then the learner taps the pattern on the pad (pointer,
 * Space or Enter). Tap times are seconds from the first count-in click, read from the audio clock so that they line up
 * with what was heard.
 */
@Component({
  selector: 'xy-tap-pad',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (state() === 'idle') {
      <button mat-flat-button type="button" (click)="start()">Start the count-in</button>
    } @else {
      <button
        #pad
        type="button"
        class="pad"
        [class.counting]="state() === 'counting'"
        [attr.aria-label]="state() === 'counting' ? 'Count-in: get ready, then tap here or press Space' : 'Tap the rhythm here or press Space'"
        (pointerdown)="tap($event)"
        (keydown.space)="tap($event)"
        (keydown.enter)="tap($event)"
      >
        {{ state() === 'counting' ? 'Get ready… ' + beatLabel() : 'Tap!' }}
        <span class="count">{{ taps().length }} tap{{ taps().length === 1 ? '' : 's' }}</span>
      </button>
      <button mat-stroked-button type="button" (click)="finish()">Done</button>
    }
  `,
  styles: `
    :host {
      display: flex;
      gap: 12px;
      align-items: center;
      flex-wrap: wrap;
    }
    .pad {
      width: 220px;
      height: 120px;
      border-radius: 16px;
      border: 2px solid var(--mat-sys-primary);
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
      font: var(--mat-sys-title-large);
      cursor: pointer;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
    }
    .pad.counting {
      opacity: 0.75;
    }
    .pad:focus-visible {
      outline: 3px solid var(--mat-sys-primary);
      outline-offset: 3px;
    }
    .count {
      font: var(--mat-sys-body-small);
    }
  `,
})
export class TapPad implements OnDestroy {
  readonly bpm = input.required<number>();
  readonly countInBeats = input(4);
  /** Length of the pattern in beats (the pad closes one beat after it). */
  readonly patternBeats = input(8);
  readonly tapped = output<number[]>();

  protected readonly state = signal<'idle' | 'counting' | 'tapping'>('idle');
  protected readonly taps = signal<number[]>([]);
  private readonly beat = signal(0);
  protected readonly beatLabel = computed(() => `${Math.max(1, this.countInBeats() - this.beat())}`);
  /** The Start button goes away when pressed: the pad that replaces it takes the focus, so Space taps at once. */
  private readonly pad = viewChild<ElementRef<HTMLButtonElement>>('pad');
  private context?: AudioContext;
  private startAt = 0;
  private timers: ReturnType<typeof setTimeout>[] = [];

  constructor() {
    effect(() => this.pad()?.nativeElement.focus());
  }

  start(): void {
    const context = new AudioContext();
    this.context = context;
    const beatSec = 60 / this.bpm();
    this.startAt = context.currentTime + 0.3;
    for (let i = 0; i < this.countInBeats(); i++) this.click(context, this.startAt + i * beatSec, i === 0);
    this.taps.set([]);
    this.state.set('counting');
    for (let i = 1; i <= this.countInBeats(); i++) {
      this.timers.push(setTimeout(() => this.beat.set(i), (0.3 + i * beatSec) * 1000));
    }
    this.timers.push(setTimeout(() => this.state.set('tapping'), (0.3 + this.countInBeats() * beatSec) * 1000));
    this.timers.push(setTimeout(() => this.finish(), (0.3 + (this.countInBeats() + this.patternBeats() + 1) * beatSec) * 1000));
  }

  protected tap(event: Event): void {
    event.preventDefault();
    if (!this.context || this.state() === 'idle') return;
    this.taps.update((t) => [...t, Math.round((this.context!.currentTime - this.startAt) * 1000) / 1000]);
  }

  finish(): void {
    if (this.state() === 'idle') return;
    this.stop();
    this.tapped.emit(this.taps());
  }

  ngOnDestroy(): void {
    this.stop();
  }

  private stop(): void {
    this.timers.forEach(clearTimeout);
    this.timers = [];
    this.context?.close().catch(() => undefined);
    this.context = undefined;
    this.state.set('idle');
    this.beat.set(0);
  }

  private click(context: AudioContext, at: number, accent: boolean): void {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = accent ? 1500 : 1000;
    gain.gain.setValueAtTime(0.5, at);
    gain.gain.exponentialRampToValueAtTime(0.001, at + 0.05);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.06);
  }
}
