import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { EmptyState } from '../page-state/empty-state';

/** A full page that explains why there is nothing to show here (not found, admins only). Inputs come from route data. */
@Component({
  selector: 'xy-notice-page',
  imports: [EmptyState, MatButtonModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="xy-page">
      <xy-empty-state [icon]="icon()" [title]="heading()" [message]="message()">
        <a mat-flat-button routerLink="/" class="home">Back to the dashboard</a>
      </xy-empty-state>
    </section>
  `,
  styles: `
    section {
      padding-top: 72px;
    }
    .home {
      margin-top: 24px;
    }
  `,
})
export class NoticePage {
  readonly icon = input('help_outline');
  readonly heading = input('Nothing here');
  readonly message = input('');
}
