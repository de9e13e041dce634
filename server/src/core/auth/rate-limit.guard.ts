import { isIPv6 } from 'node:net';
import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { ProblemException } from '../errors/problem';
import { FixedWindowCounter } from './fixed-window-counter';
import { RoutePolicies } from './route-policy';

interface RateLimit {
  /** Suffix of the X-RateLimit-* headers and prefix of the counter key. */
  name: 'api' | 'auth';
  limit: number;
}

const WINDOW_MS = 60_000;

/**
 * The documented limits, counted per client IP across all routes: API_RATE_LIMIT requests a minute on every route,
 * and AUTH_RATE_LIMIT more on @AuthRateLimited() routes; @SkipRateLimit() routes are outside both. Each counted limit
 * answers with X-RateLimit-Limit-<name>, -Remaining-<name> and -Reset-<name> (seconds); going over it answers 429
 * problem+json with Retry-After.
 *
 * Synchronous, unlike @nestjs/throttler's guard, which this replaces: that one awaited about twenty promises per request
 * (each option was resolved through an async function), and every promise costs more while the request log context
 * (AsyncLocalStorage) is on.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly api: RateLimit;
  private readonly auth: RateLimit;

  constructor(
    config: AppConfig,
    private readonly policies: RoutePolicies,
    private readonly counter: FixedWindowCounter,
  ) {
    this.api = { name: 'api', limit: config.API_RATE_LIMIT };
    this.auth = { name: 'auth', limit: config.AUTH_RATE_LIMIT };
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const policy = this.policies.of(context);
    if (policy.skipRateLimit) return true;
    const http = context.switchToHttp();
    const client = clientKey(http.getRequest<Request>().ip);
    const response = http.getResponse<Response>();
    this.count(this.api, client, response);
    if (policy.authRateLimited) this.count(this.auth, client, response);
    return true;
  }

  private count({ name, limit }: RateLimit, client: string, response: Response): void {
    const state = this.counter.hit(`${name}:${client}`, limit, WINDOW_MS);
    if (state.blocked) {
      throw new ProblemException(HttpStatus.TOO_MANY_REQUESTS, `Too many requests from this address; retry in ${state.retryAfterSec} s.`, {
        retryAfterSec: state.retryAfterSec,
      });
    }
    response.setHeader(`X-RateLimit-Limit-${name}`, String(limit));
    response.setHeader(`X-RateLimit-Remaining-${name}`, String(Math.max(0, limit - state.hits)));
    response.setHeader(`X-RateLimit-Reset-${name}`, String(state.resetInSec));
  }
}

/**
 * The rate-limit key of a client address: an IPv4 address as it is, an IPv6 address by its /64 network (one
 * subscriber's allocation, within which a client can pick a fresh address for every request).
 */
export function clientKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  // The common case, on every request: an IPv4 address (no colon) is its own key.
  if (!ip.includes(':')) return ip;
  const address = ip.split('%')[0].toLowerCase();
  if (!isIPv6(address)) return address;
  const mappedIPv4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mappedIPv4) return mappedIPv4[1];
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
