import { ChangeDetectionStrategy, Component } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive } from '@angular/router';

/** The Multimodal feature's two views. */
@Component({
  selector: 'xy-multimodal-tabs',
  imports: [MatTabsModule, RouterLink, RouterLinkActive],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <nav mat-tab-nav-bar [tabPanel]="panel" aria-label="Multimodal views">
      <a mat-tab-link routerLink="/multimodal" [routerLinkActiveOptions]="{ exact: true }" routerLinkActive #mood="routerLinkActive" [active]="mood.isActive"
        >Mood</a
      >
      <a mat-tab-link routerLink="/multimodal/stories" routerLinkActive #stories="routerLinkActive" [active]="stories.isActive" data-testid="tab-stories"
        >Storyteller</a
      >
    </nav>
    <mat-tab-nav-panel #panel><ng-content /></mat-tab-nav-panel>
  `,
})
export class MultimodalTabs {}
