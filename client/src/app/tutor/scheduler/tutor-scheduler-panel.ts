import { DatePipe, DecimalPipe, PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ErrorState } from '../../shared/page-state/error-state';
import { LoadingState } from '../../shared/page-state/loading-state';
import { TutorSchedulerStore } from './tutor-scheduler.store';

/** Operators: the FSRS weights reviews are scheduled with, and a refit of them from the learners' own attempts. */
@Component({
  selector: 'xy-tutor-scheduler-panel',
  imports: [MatCardModule, MatButtonModule, MatProgressBarModule, DatePipe, DecimalPipe, PercentPipe, ErrorState, LoadingState],
  providers: [TutorSchedulerStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './tutor-scheduler-panel.html',
  styleUrl: './tutor-scheduler-panel.scss',
})
export class TutorSchedulerPanel {
  protected readonly store = inject(TutorSchedulerStore);
  protected readonly overview = this.store.overview;

  constructor() {
    this.store.reload();
  }
}
