import { HttpContext, HttpContextToken } from '@angular/common/http';

/**
 * Marks a request that must not carry the bearer token nor trigger a refresh on 401
 * (login, register, refresh, logout). A 401 there means "wrong credentials", not "expired session".
 */
export const ANONYMOUS_REQUEST = new HttpContextToken<boolean>(() => false);

/**
 * Marks a request whose errors the caller presents itself (for example the health check,
 * whose 503 body is a normal "something is down" answer). The problem toast stays quiet.
 */
export const SILENT_ERRORS = new HttpContextToken<boolean>(() => false);

export function anonymousRequest(context = new HttpContext()): HttpContext {
  return context.set(ANONYMOUS_REQUEST, true);
}

export function silentErrors(context = new HttpContext()): HttpContext {
  return context.set(SILENT_ERRORS, true);
}
