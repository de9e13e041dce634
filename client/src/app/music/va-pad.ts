import { ChangeDetectionStrategy, Component, computed, input, model } from '@angular/core';
import { EmotionChoiceDto } from '../api/models';

export interface ValenceArousal {
  valence: number;
  arousal: number;
}

const STEP = 0.1;
const clamp = (x: number) => Math.max(-1, Math.min(1, Math.round(x * 100) / 100));

/** The valence (x) / arousal (y) plane: click, drag or use the arrow keys to pick a point. */
@Component({
  selector: 'xy-va-pad',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div
      class="pad"
      tabindex="0"
      role="group"
      aria-label="Valence and arousal: arrow keys move the point"
      [attr.aria-description]="description()"
      (pointerdown)="start($event)"
      (pointermove)="drag($event)"
      (pointerup)="end($event)"
      (keydown)="key($event)"
    >
      <span class="axis-label top">energetic</span>
      <span class="axis-label bottom">calm</span>
      <span class="axis-label left">negative</span>
      <span class="axis-label right">positive</span>
      @for (anchor of anchors(); track anchor.name) {
        <span class="anchor" [style.left.%]="x(anchor.valence)" [style.top.%]="y(anchor.arousal)">{{ anchor.name }}</span>
      }
      @if (value(); as v) {
        <span class="dot" data-testid="va-dot" [style.left.%]="x(v.valence)" [style.top.%]="y(v.arousal)"></span>
      }
    </div>
    <p class="readout" aria-live="polite">{{ description() }}</p>
  `,
  styles: `
    :host {
      display: block;
      width: 100%;
      max-width: 320px;
    }
    .pad {
      position: relative;
      width: 100%;
      aspect-ratio: 1;
      border-radius: var(--mat-sys-corner-medium);
      border: 1px solid var(--mat-sys-outline-variant);
      background:
        linear-gradient(var(--mat-sys-outline-variant), var(--mat-sys-outline-variant)) center / 1px 100% no-repeat,
        linear-gradient(var(--mat-sys-outline-variant), var(--mat-sys-outline-variant)) center / 100% 1px no-repeat,
        var(--mat-sys-surface-container-low);
      cursor: crosshair;
      touch-action: none;
      user-select: none;
    }
    .pad:focus-visible {
      outline: 2px solid var(--mat-sys-primary);
      outline-offset: 2px;
    }
    .axis-label {
      position: absolute;
      font: var(--mat-sys-label-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .top {
      top: 4px;
      left: 50%;
      transform: translateX(-50%);
    }
    .bottom {
      bottom: 4px;
      left: 50%;
      transform: translateX(-50%);
    }
    .left {
      left: 4px;
      top: 50%;
      transform: translateY(-50%);
    }
    .right {
      right: 4px;
      top: 50%;
      transform: translateY(-50%);
    }
    .anchor {
      position: absolute;
      transform: translate(-50%, -50%);
      font: var(--mat-sys-label-small);
      color: var(--mat-sys-outline);
      pointer-events: none;
    }
    .dot {
      position: absolute;
      width: 16px;
      height: 16px;
      border-radius: 50%;
      background: var(--mat-sys-primary);
      box-shadow: 0 0 0 4px color-mix(in srgb, var(--mat-sys-primary) 30%, transparent);
      transform: translate(-50%, -50%);
      pointer-events: none;
    }
    .readout {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
      margin: 4px 0 0;
    }
  `,
})
export class VaPad {
  readonly value = model<ValenceArousal | null>(null);
  readonly anchors = input<readonly EmotionChoiceDto[]>([]);

  protected readonly description = computed(() => {
    const v = this.value();
    return v ? `valence ${v.valence.toFixed(2)}, arousal ${v.arousal.toFixed(2)}` : 'No point chosen: click the pad';
  });
  private dragging = false;

  protected x(valence: number): number {
    return ((valence + 1) / 2) * 100;
  }

  protected y(arousal: number): number {
    return ((1 - arousal) / 2) * 100;
  }

  protected start(event: PointerEvent): void {
    this.dragging = true;
    (event.currentTarget as HTMLElement).setPointerCapture?.(event.pointerId);
    this.pick(event);
  }

  protected drag(event: PointerEvent): void {
    if (this.dragging) this.pick(event);
  }

  protected end(event: PointerEvent): void {
    this.dragging = false;
    (event.currentTarget as HTMLElement).releasePointerCapture?.(event.pointerId);
  }

  protected key(event: KeyboardEvent): void {
    const v = this.value() ?? { valence: 0, arousal: 0 };
    const moves: Record<string, [number, number]> = { ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, STEP], ArrowDown: [0, -STEP] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    this.value.set({ valence: clamp(v.valence + move[0]), arousal: clamp(v.arousal + move[1]) });
  }

  private pick(event: PointerEvent): void {
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return;
    const valence = ((event.clientX - rect.left) / rect.width) * 2 - 1;
    const arousal = 1 - ((event.clientY - rect.top) / rect.height) * 2;
    this.value.set({ valence: clamp(valence), arousal: clamp(arousal) });
  }
}
