import type { FormGroup } from '@angular/forms';
import type { Problem } from '../errors/problem';

/**
 * Puts the server's field errors (problem+json `errors`) on the form's controls of the same name as a `server` error
 * carrying the message, so that each shows under its field (`mat-error`) and marks it invalid; a 409 (a value that
 * must be unique is taken) goes on `conflictField`. The error lasts until the user edits the field (its validators
 * run again). Answers whether any control got one.
 */
export function showServerErrors(form: FormGroup, problem: Problem, conflictField?: string): boolean {
  const placed: [string, string][] = (problem.errors ?? []).map((error) => [error.field, error.message]);
  if (problem.status === 409 && conflictField) placed.push([conflictField, problem.detail ?? problem.title]);
  let shown = false;
  for (const [field, message] of placed) {
    const control = form.get(field);
    if (!control) continue;
    control.setErrors({ ...control.errors, server: message });
    control.markAsTouched();
    shown = true;
  }
  return shown;
}
