import { ChangeDetectionStrategy, Component, ElementRef, afterRenderEffect, input, signal, viewChild } from '@angular/core';
import { verdictColour } from './verdicts';

type Abcjs = typeof import('abcjs');

/**
 * A staff drawn by abcjs from ABC text. `verdicts` colours the pitched notes in order (one entry per note; null keeps
 * the ink colour), which is how a result is shown note by note on the notation.
 */
@Component({
  selector: 'xy-staff-view',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div #host class="staff" role="img" [attr.aria-label]="label()"></div>
    @if (failed()) {
      <p class="fallback">The staff could not be drawn: {{ fallback() }}</p>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .staff {
      min-height: 90px;
      background: #fff;
      border-radius: var(--mat-sys-corner-small);
      border: 1px solid var(--mat-sys-outline-variant);
    }
    .fallback {
      font: var(--mat-sys-body-small);
    }
  `,
})
export class StaffView {
  readonly abc = input.required<string>();
  readonly verdicts = input<readonly (string | null)[]>([]);
  /** Spoken description of the staff (the notes are also listed in words where it matters). */
  readonly label = input('Staff notation');
  /** Notes in words, shown when drawing fails. */
  readonly fallback = input('');
  protected readonly failed = signal(false);
  private readonly host = viewChild.required<ElementRef<HTMLElement>>('host');

  constructor() {
    afterRenderEffect(() => {
      const abc = this.abc();
      const verdicts = this.verdicts();
      const host = this.host().nativeElement;
      import('abcjs')
        .then((module) => this.draw((module as Abcjs & { default?: Abcjs }).default ?? module, host, abc, verdicts))
        .catch(() => this.failed.set(true));
    });
  }

  private draw(abcjs: Abcjs, host: HTMLElement, abc: string, verdicts: readonly (string | null)[]): void {
    try {
      const [tune] = abcjs.renderAbc(host, abc, { responsive: 'resize', add_classes: true, paddingtop: 4, paddingbottom: 4 });
      let index = 0;
      for (const line of tune?.lines ?? []) {
        for (const staff of line.staff ?? []) {
          for (const voice of staff.voices ?? []) {
            for (const element of voice) {
              if (element.el_type !== 'note' || !element.pitches?.length) continue;
              const verdict = verdicts[index++] ?? null;
              if (!verdict) continue;
              const drawn = (element as { abselem?: { elemset?: SVGElement[] } }).abselem?.elemset ?? [];
              for (const svg of drawn) {
                svg.setAttribute('fill', verdictColour(verdict));
                svg.setAttribute('stroke', verdictColour(verdict));
                svg.setAttribute('data-verdict', verdict);
              }
            }
          }
        }
      }
      this.failed.set(false);
    } catch {
      this.failed.set(true);
    }
  }
}
