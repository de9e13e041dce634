import { ChangeDetectionStrategy, Component, input, model } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatSliderModule } from '@angular/material/slider';
import { EmotionChoiceDto } from '../api/models';

export interface ValenceArousal {
  valence: number;
  arousal: number;
}

/** Slider step; the pad snaps to it too, so pointer and keyboard reach the same points. */
const STEP = 0.05;
/** Within −1…1, on the step (divided rather than multiplied, so 0.35 is 0.35 and not 0.35000000000000003). */
const clamp = (x: number) => Math.max(-1, Math.min(1, Math.round(x / STEP) / Math.round(1 / STEP)));
const signed = (x: number) => (x > 0 ? '+' : '') + x.toFixed(2);
let nextId = 0;

/**
 * The valence (x) / arousal (y) plane. Two labelled sliders (−1…1) set the point from the keyboard and tell
 * screen readers its value (arrows, Page Up/Down, Home/End come with the native range input); the pad beside
 * them is a pointer shortcut to the same point, hidden from assistive technology and out of the tab order.
 */
@Component({
  selector: 'xy-va-pad',
  imports: [FormsModule, MatSliderModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div
      class="pad"
      aria-hidden="true"
      data-testid="va-pad"
      (pointerdown)="start($event)"
      (pointermove)="drag($event)"
      (pointerup)="end($event)"
      (pointercancel)="end($event)"
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
    <div class="axes">
      <div class="axis">
        <label class="axis-name" [for]="id + '-valence'">Valence</label>
        @if (value(); as v) {
          <span class="axis-value" aria-hidden="true">{{ valenceText(v.valence) }}</span>
        }
        <mat-slider class="axis-slider" min="-1" max="1" [step]="step" [displayWith]="valenceText">
          <input matSliderThumb [id]="id + '-valence'" data-testid="valence" [ngModel]="value()?.valence ?? 0" (ngModelChange)="setValence($event)" />
        </mat-slider>
      </div>
      <div class="axis">
        <label class="axis-name" [for]="id + '-arousal'">Arousal</label>
        @if (value(); as v) {
          <span class="axis-value" aria-hidden="true">{{ arousalText(v.arousal) }}</span>
        }
        <mat-slider class="axis-slider" min="-1" max="1" [step]="step" [displayWith]="arousalText">
          <input matSliderThumb [id]="id + '-arousal'" data-testid="arousal" [ngModel]="value()?.arousal ?? 0" (ngModelChange)="setArousal($event)" />
        </mat-slider>
      </div>
      @if (!value()) {
        <p class="readout">No point chosen yet: move a slider, or click the pad.</p>
      }
    </div>
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
    .axes {
      margin-top: 8px;
    }
    .axis {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      column-gap: 8px;
    }
    .axis-name {
      font: var(--mat-sys-body-medium);
    }
    .axis-value,
    .readout {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .axis-slider {
      flex-basis: 100%;
    }
    .readout {
      margin: 4px 0 0;
    }
  `,
})
export class VaPad {
  readonly value = model<ValenceArousal | null>(null);
  readonly anchors = input<readonly EmotionChoiceDto[]>([]);

  protected readonly id = `xy-va-pad-${nextId++}`;
  protected readonly step = STEP;
  /** What the sliders announce (aria-valuetext) and show: the number and which end it leans to. */
  protected readonly valenceText = (v: number): string => `${signed(v)} ${v > 0 ? 'positive' : v < 0 ? 'negative' : 'neutral'}`;
  protected readonly arousalText = (a: number): string => `${signed(a)} ${a > 0 ? 'energetic' : a < 0 ? 'calm' : 'neutral'}`;
  private dragging = false;

  protected x(valence: number): number {
    return ((valence + 1) / 2) * 100;
  }

  protected y(arousal: number): number {
    return ((1 - arousal) / 2) * 100;
  }

  protected setValence(valence: number): void {
    this.value.set({ valence: clamp(valence), arousal: this.value()?.arousal ?? 0 });
  }

  protected setArousal(arousal: number): void {
    this.value.set({ valence: this.value()?.valence ?? 0, arousal: clamp(arousal) });
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

  private pick(event: PointerEvent): void {
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return;
    const valence = ((event.clientX - rect.left) / rect.width) * 2 - 1;
    const arousal = 1 - ((event.clientY - rect.top) / rect.height) * 2;
    this.value.set({ valence: clamp(valence), arousal: clamp(arousal) });
  }
}
