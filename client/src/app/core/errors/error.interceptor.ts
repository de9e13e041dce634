import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, throwError } from 'rxjs';
import { AuthStore } from '../auth/auth.store';
import { ANONYMOUS_REQUEST, SILENT_ERRORS } from '../http/request-context';
import { ProblemToast } from './problem-toast';

/**
 * Shows every failed API call as a problem toast, unless the caller marked it with `silentErrors()`.
 * It runs outside the auth interceptor, so it only sees what is left after a token refresh and retry.
 * A 401 that ended the session stays quiet too: the login page says the session expired.
 */
export const errorInterceptor: HttpInterceptorFn = (req, next) => {
  const toast = inject(ProblemToast);
  const auth = inject(AuthStore);
  return next(req).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse) || req.context.get(SILENT_ERRORS)) return throwError(() => error);
      const sessionEnded = error.status === 401 && !req.context.get(ANONYMOUS_REQUEST) && !auth.isAuthenticated();
      if (!sessionEnded) toast.showError(error);
      return throwError(() => error);
    }),
  );
};
