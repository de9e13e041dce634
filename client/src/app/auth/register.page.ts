import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { AbstractControl, NonNullableFormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { Router, RouterLink } from '@angular/router';
import { AuthStore } from '../core/auth/auth.store';
import { toProblem } from '../core/errors/problem';
import { showServerErrors } from '../core/forms/server-errors';
import { emailValidator, requiredValidator } from '../core/forms/validators';
import { safeReturnUrl } from './return-url';

/** Mirrors the server's rule so the user learns it before submitting; the server still decides. */
export const PASSWORD_MIN_LENGTH = 8;

function passwordsMatch(group: AbstractControl): ValidationErrors | null {
  const password = group.get('password')?.value as string | undefined;
  const confirm = group.get('confirmPassword')?.value as string | undefined;
  return confirm && password !== confirm ? { passwordMismatch: true } : null;
}

/** Create an account; the new user is signed in straight away. */
@Component({
  selector: 'xy-register-page',
  imports: [ReactiveFormsModule, RouterLink, MatCardModule, MatFormFieldModule, MatInputModule, MatButtonModule, MatIconModule, MatProgressSpinnerModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './register.page.html',
  styleUrl: './auth-card.scss',
})
export class RegisterPage {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);

  readonly returnUrl = input<string>();

  protected readonly passwordMinLength = PASSWORD_MIN_LENGTH;
  protected readonly submitting = signal(false);
  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      email: ['', [requiredValidator, emailValidator]],
      password: ['', [requiredValidator, Validators.minLength(PASSWORD_MIN_LENGTH)]],
      confirmPassword: ['', [requiredValidator]],
    },
    { validators: passwordsMatch },
  );

  protected async submit(): Promise<void> {
    if (this.submitting()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.submitting.set(true);
    try {
      const { email, password } = this.form.getRawValue();
      await this.auth.register({ email, password });
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    } catch (error: unknown) {
      // Under the fields the server named (an address it does not accept, one already registered); the toast says it too.
      showServerErrors(this.form, toProblem(error), 'email');
    } finally {
      this.submitting.set(false);
    }
  }
}
