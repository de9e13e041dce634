import { ValidatorFn, Validators } from '@angular/forms';

// Angular declares its validators as static methods of `Validators`, so passing `Validators.required` as a value
// trips typescript-eslint's unbound-method (angular/angular#40571). These are plain functions with the same rules.

/** The control has a non-empty value. */
export const requiredValidator: ValidatorFn = (control) => Validators.required(control);

/** The control's value looks like an e-mail address; an empty value passes (combine with `required`). */
export const emailValidator: ValidatorFn = (control) => Validators.email(control);
