import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
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

/** Sign in with e-mail and password; wrong credentials come back as a problem toast. */
@Component({
  selector: 'xy-login-page',
  imports: [ReactiveFormsModule, RouterLink, MatCardModule, MatFormFieldModule, MatInputModule, MatButtonModule, MatIconModule, MatProgressSpinnerModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './login.page.html',
  styleUrl: './auth-card.scss',
})
export class LoginPage {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);

  /** Query parameters, bound by `withComponentInputBinding()`. */
  readonly returnUrl = input<string>();
  readonly expired = input<string>();

  protected readonly submitting = signal(false);
  protected readonly hidePassword = signal(true);
  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [requiredValidator, emailValidator]],
    password: ['', [requiredValidator]],
  });

  protected async submit(): Promise<void> {
    if (this.submitting()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.submitting.set(true);
    try {
      await this.auth.login(this.form.getRawValue());
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    } catch (error: unknown) {
      // The problem toast explains what went wrong, and a field the server named says it too; the input stays so
      // that a typo can be fixed.
      showServerErrors(this.form, toProblem(error));
    } finally {
      this.submitting.set(false);
    }
  }
}
