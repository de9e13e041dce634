import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/**
 * Counts each named limit per client IP across all routes, as API_RATE_LIMIT and AUTH_RATE_LIMIT are documented
 * (the library's default key is per route and costs a SHA-256 per request).
 */
@Injectable()
export class IpThrottlerGuard extends ThrottlerGuard {
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }
}
