import { Injectable, inject } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Problem, formatProblem, toProblem } from './problem';

/** Shows problem+json errors as a readable toast: title, detail and one line per invalid field. */
@Injectable({ providedIn: 'root' })
export class ProblemToast {
  private readonly snackBar = inject(MatSnackBar);

  show(problem: Problem): void {
    this.snackBar.open(formatProblem(problem), 'Dismiss', {
      duration: problem.errors?.length ? 10_000 : 6_000,
      panelClass: 'xy-problem-toast',
      politeness: 'assertive',
    });
  }

  showError(error: unknown): void {
    this.show(toProblem(error));
  }
}
