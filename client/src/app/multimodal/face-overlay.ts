import { ChangeDetectionStrategy, Component, computed, effect, input, signal } from '@angular/core';
import { PercentPipe } from '@angular/common';
import { FaceAnalysisDto } from '../api/models';

/**
 * The picture with each face's box and label drawn over it (an SVG in the picture's own pixel coordinates, so
 * it scales with the image), and the same faces listed in words for screen readers.
 */
@Component({
  selector: 'xy-face-overlay',
  imports: [PercentPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure class="figure">
      <div class="frame">
        @if (url(); as src) {
          <img [src]="src" [alt]="alt()" class="picture" (load)="onLoad($event)" />
        }
        @if (face(); as analysis) {
          @if (size(); as s) {
            <svg class="boxes" [attr.viewBox]="'0 0 ' + s.width + ' ' + s.height" preserveAspectRatio="none" aria-hidden="true">
              @for (f of analysis.faces; track $index) {
                <rect
                  [attr.x]="f.box.x"
                  [attr.y]="f.box.y"
                  [attr.width]="f.box.width"
                  [attr.height]="f.box.height"
                  class="box"
                  [class.whole]="analysis.detector === 'whole-image'"
                  [attr.stroke-width]="stroke()"
                />
                <text [attr.x]="f.box.x + stroke()" [attr.y]="labelY(f.box.y)" [attr.font-size]="fontSize()" class="label" data-testid="face-label">
                  {{ f.emotion }} {{ f.probabilities[f.emotion] | percent }}
                </text>
              }
            </svg>
          }
        }
      </div>
      @if (face(); as analysis) {
        <figcaption class="caption">
          @if (analysis.detector === 'whole-image') {
            No face found: the whole picture was read as {{ analysis.emotion }}.
          } @else {
            {{ analysis.faces.length }} {{ analysis.faces.length === 1 ? 'face' : 'faces' }}:
            @for (f of analysis.faces; track $index) {
              <span>face {{ $index + 1 }} {{ f.emotion }} ({{ f.probabilities[f.emotion] | percent }}){{ $last ? '.' : ';' }} </span>
            }
          }
        </figcaption>
      }
    </figure>
  `,
  styles: `
    .figure {
      margin: 0;
    }
    .frame {
      position: relative;
      display: inline-block;
      max-width: 100%;
    }
    .picture {
      display: block;
      max-width: 100%;
      max-height: 360px;
      border-radius: var(--mat-sys-corner-small);
    }
    .boxes {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      pointer-events: none;
    }
    .box {
      fill: none;
      stroke: #ffd54f;
    }
    .box.whole {
      stroke-dasharray: 8 6;
    }
    .label {
      fill: #ffd54f;
      paint-order: stroke;
      stroke: rgb(0 0 0 / 70%);
      stroke-width: 3px;
      font-weight: 600;
    }
    .caption {
      margin-top: 8px;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class FaceOverlay {
  readonly image = input.required<Blob>();
  readonly face = input<FaceAnalysisDto | undefined>();
  readonly alt = input('The picture to analyse');

  protected readonly url = signal<string | null>(null);
  protected readonly size = signal<{ width: number; height: number } | null>(null);
  /** Lines and labels keep their on-screen size whatever the picture's resolution. */
  protected readonly stroke = computed(() => Math.max(2, Math.round((this.size()?.width ?? 400) / 200)));
  protected readonly fontSize = computed(() => Math.max(12, Math.round((this.size()?.width ?? 400) / 25)));

  constructor() {
    effect((onCleanup) => {
      const url = URL.createObjectURL(this.image());
      this.url.set(url);
      this.size.set(null);
      onCleanup(() => URL.revokeObjectURL(url));
    });
  }

  protected onLoad(event: Event): void {
    const img = event.target as HTMLImageElement;
    this.size.set({ width: img.naturalWidth, height: img.naturalHeight });
  }

  protected labelY(top: number): number {
    return top > this.fontSize() + 4 ? top - 6 : top + this.fontSize() + 4;
  }
}
