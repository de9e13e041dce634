import { HttpErrorResponse, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { ErrorHandler, inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { ANONYMOUS_REQUEST } from '../http/request-context';
import { AuthStore } from './auth.store';

function withBearer<T>(req: HttpRequest<T>, token: string | null): HttpRequest<T> {
  return token ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req;
}

/** Only our own API gets the token: relative `/api/...` URLs (the generated client's rootUrl is ''). */
function isApiRequest(req: HttpRequest<unknown>): boolean {
  return req.url.startsWith('/api/');
}

/**
 * Adds the bearer token to API calls. On a 401 it refreshes the token pair once (shared by concurrent
 * requests) and retries; when the refresh is refused the session is over: sign out and go to the login page.
 * A refresh that cannot reach the server leaves the session as it is.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  if (!isApiRequest(req) || req.context.get(ANONYMOUS_REQUEST)) return next(req);

  const auth = inject(AuthStore);
  const router = inject(Router);
  const errorHandler = inject(ErrorHandler);
  const sentToken = auth.accessToken();

  return next(withBearer(req, sentToken)).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse) || error.status !== 401 || sentToken === null) {
        return throwError(() => error);
      }
      // Another request already refreshed while this one was in flight: just retry with the new token.
      const current = auth.accessToken();
      if (current !== null && current !== sentToken) return next(withBearer(req, current));

      return from(auth.refresh()).pipe(
        switchMap((refreshed) => {
          // The server could not be reached to refresh: the session stands, the request fails with its 401.
          if (!refreshed && auth.isAuthenticated()) return throwError(() => error);
          if (!refreshed) {
            // The request fails with its 401 either way; a login page that cannot load is reported, not dropped.
            router
              .navigate(['/login'], { queryParams: { returnUrl: router.url, expired: 1 } })
              .catch((navigationError: unknown) => errorHandler.handleError(navigationError));
            return throwError(() => error);
          }
          return next(withBearer(req, auth.accessToken()));
        }),
      );
    }),
  );
};
