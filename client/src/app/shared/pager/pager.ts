import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

/**
 * Newer / page of pages / Older under a history list. Both buttons stay focusable at either end (disabledInteractive),
 * so reaching the first or last page does not drop the keyboard focus; a press there asks for nothing.
 */
@Component({
  selector: 'xy-pager',
  imports: [MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (pages() > 1) {
      <nav class="pager" [attr.aria-label]="label()">
        <button mat-button type="button" [disabled]="page() <= 1" disabledInteractive (click)="go(page() - 1)">Newer</button>
        <span>{{ page() }} / {{ pages() }}</span>
        <button mat-button type="button" [disabled]="page() >= pages()" disabledInteractive (click)="go(page() + 1)">Older</button>
      </nav>
    }
  `,
  styles: `
    .pager {
      display: flex;
      align-items: center;
      justify-content: center;
      gap: 12px;
      margin-top: 8px;
    }
  `,
})
export class Pager {
  readonly page = input.required<number>();
  readonly pages = input.required<number>();
  readonly label = input('Pages');
  readonly pageChange = output<number>();

  protected go(page: number): void {
    if (page >= 1 && page <= this.pages()) this.pageChange.emit(page);
  }
}
