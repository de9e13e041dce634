import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { UserRole } from '../db/schema';
import { currentRequest } from '../logging/logger-options';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_ROLE = 'auth:role';
export const ALLOW_QUERY_TOKEN = 'auth:query-token';
export const AUTH_RATE_LIMITED = 'auth:rate-limited';
export const SKIP_RATE_LIMIT = 'auth:skip-rate-limit';

/** The authenticated caller, taken from the access token. */
export interface AuthUser {
  id: string;
  email: string;
  role: UserRole;
}

/** Marks a route as reachable without a token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Operator routes: the caller must have the admin role. */
export const AdminOnly = () => SetMetadata(REQUIRED_ROLE, 'admin' satisfies UserRole);
/** Lets EventSource clients, which cannot send headers, pass the token as `?access_token=`. */
export const AllowQueryToken = () => SetMetadata(ALLOW_QUERY_TOKEN, true);

/** Login-style routes: limited to AUTH_RATE_LIMIT attempts per IP per minute (on top of API_RATE_LIMIT). */
export const AuthRateLimited = () => SetMetadata(AUTH_RATE_LIMITED, true);
/** Probes and scrapes (health, metrics): outside every rate limit. */
export const SkipRateLimit = () => SetMetadata(SKIP_RATE_LIMIT, true);

/** A request that passed AuthGuard: `user` is the caller, whose token expires at `tokenExpiresAtMs`. */
export type AuthenticatedRequest = Request & { user: AuthUser; tokenExpiresAtMs: number };

/**
 * The caller of the request being served, read from the request context: for the hottest route, whose handler then takes
 * no parameter and Nest skips its parameter chain (about six promises per request, even for `@Req()`). Only inside a
 * route behind the AuthGuard; anywhere else it throws.
 */
export function currentUser(): AuthUser {
  const user = (currentRequest() as Partial<AuthenticatedRequest> | undefined)?.user;
  if (!user) throw new Error('currentUser() outside an authenticated request');
  return user;
}

/**
 * The caller, as a handler parameter: the way every route takes it. Nest runs the global pipes (ValidationPipe) on
 * every custom parameter decorator, about twelve promises per request; a hot route that takes nothing else can take
 * no parameter and call `currentUser()` instead (docs/performance.md).
 */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser => {
  return context.switchToHttp().getRequest<{ user: AuthUser }>().user;
});

/** When the caller's access token expires (ms since the epoch): a long-lived answer (a stream) ends then. */
export const TokenExpiresAt = createParamDecorator((_: unknown, context: ExecutionContext): number => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().tokenExpiresAtMs;
});
