import { ChangeDetectionStrategy, Component, Injectable, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_SNACK_BAR_DATA, MatSnackBar, MatSnackBarAction, MatSnackBarActions, MatSnackBarLabel, MatSnackBarRef } from '@angular/material/snack-bar';
import { Problem, formatProblem, toProblem, visibleDetail } from './problem';

/** What the toast shows: the problem, plus its plain-text form for screen readers and logs. */
export interface ProblemToastData {
  problem: Problem;
  text: string;
}

/** Title in bold, the detail, then one line per invalid field. */
@Component({
  selector: 'xy-problem-toast',
  imports: [MatButtonModule, MatSnackBarLabel, MatSnackBarActions, MatSnackBarAction],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div matSnackBarLabel class="body" [attr.aria-label]="data.text">
      <strong class="title">{{ data.problem.title }}</strong>
      @if (detail) {
        <span class="detail">{{ detail }}</span>
      }
      @if (data.problem.errors?.length) {
        <ul class="fields">
          @for (error of data.problem.errors; track $index) {
            <li>
              @if (error.field) {
                <span class="field">{{ error.field }}</span>:
              }
              {{ error.message }}
            </li>
          }
        </ul>
      }
      @if (data.problem.requestId && data.problem.status >= 500) {
        <span class="request-id">Request id: {{ data.problem.requestId }}</span>
      }
    </div>
    <div matSnackBarActions>
      <button mat-button matSnackBarAction type="button" (click)="ref.dismissWithAction()">Dismiss</button>
    </div>
  `,
  styles: `
    :host {
      display: flex;
      align-items: center;
    }
    .body {
      display: flex;
      flex-direction: column;
      gap: 2px;
    }
    .title {
      font: var(--mat-sys-title-small);
    }
    .fields {
      margin: 4px 0 0;
      padding-left: 18px;
    }
    .field {
      font-weight: 500;
    }
    .request-id {
      font: var(--mat-sys-body-small);
      opacity: 0.8;
    }
  `,
})
export class ProblemToastView {
  protected readonly data = inject<ProblemToastData>(MAT_SNACK_BAR_DATA);
  protected readonly ref = inject(MatSnackBarRef);
  protected readonly detail = visibleDetail(this.data.problem);
}

/** Shows problem+json errors as a readable toast: title, detail and one line per invalid field. */
@Injectable({ providedIn: 'root' })
export class ProblemToast {
  private readonly snackBar = inject(MatSnackBar);

  show(problem: Problem): void {
    this.snackBar.openFromComponent<ProblemToastView, ProblemToastData>(ProblemToastView, {
      data: { problem, text: formatProblem(problem) },
      duration: problem.errors?.length ? 10_000 : 6_000,
      panelClass: 'xy-problem-toast',
      politeness: 'assertive',
    });
  }

  showError(error: unknown): void {
    this.show(toProblem(error));
  }
}
