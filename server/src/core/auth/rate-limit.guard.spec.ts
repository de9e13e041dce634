import { Controller, Get, HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { Response } from 'express';
import { loadConfig } from '../config/app-config';
import { ProblemException } from '../errors/problem';
import { AuthRateLimited, SkipRateLimit } from './auth.decorators';
import { FixedWindowCounter } from './fixed-window-counter';
import { clientKey, RateLimitGuard } from './rate-limit.guard';
import { RoutePolicies } from './route-policy';

@Controller()
class Routes {
  @Get('songs')
  songs(this: void): void {}

  @AuthRateLimited()
  @Get('login')
  login(this: void): void {}
}

@SkipRateLimit()
@Controller()
class Probes {
  @Get('live')
  live(this: void): void {}
}

describe('RateLimitGuard', () => {
  let counter: FixedWindowCounter;
  let guard: RateLimitGuard;
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    counter = new FixedWindowCounter();
    guard = new RateLimitGuard(loadConfig({ NODE_ENV: 'test', API_RATE_LIMIT: '3', AUTH_RATE_LIMIT: '2' }), new RoutePolicies(new Reflector()), counter);
  });
  afterEach(() => {
    counter.onApplicationShutdown();
    jest.useRealTimers();
  });

  /** Runs the guard for one request from `ip` and returns the headers it set. */
  function call(controller: object, handler: () => void, ip = '10.0.0.1'): Record<string, string> {
    const headers: Record<string, string> = {};
    const response = { setHeader: (name: string, value: string) => (headers[name] = value) } as unknown as Response;
    expect(guard.canActivate(new ExecutionContextHost([{ ip }, response], controller as never, handler))).toBe(true);
    return headers;
  }
  const rejection = (run: () => unknown): ProblemException => {
    try {
      run();
    } catch (error) {
      if (error instanceof ProblemException) return error;
    }
    throw new Error('expected a 429 ProblemException');
  };

  it('answers with the API limit headers, counting down per client address', () => {
    expect(call(Routes, Routes.prototype.songs)).toEqual({ 'X-RateLimit-Limit-api': '3', 'X-RateLimit-Remaining-api': '2', 'X-RateLimit-Reset-api': '60' });
    expect(call(Routes, Routes.prototype.songs)['X-RateLimit-Remaining-api']).toBe('1');
    expect(call(Routes, Routes.prototype.songs, '10.0.0.2')['X-RateLimit-Remaining-api']).toBe('2');
  });

  it('refuses the request over the limit with 429 and the seconds to wait', () => {
    for (let i = 0; i < 3; i++) call(Routes, Routes.prototype.songs);
    const refused = rejection(() => call(Routes, Routes.prototype.songs));
    expect(refused.getStatus()).toBe(429);
    expect(refused.problem.retryAfterSec).toBe(60);
    expect(refused).toBeInstanceOf(HttpException);
  });

  it('adds the auth limit on @AuthRateLimited() routes only', () => {
    expect(call(Routes, Routes.prototype.login)).toMatchObject({
      'X-RateLimit-Limit-auth': '2',
      'X-RateLimit-Remaining-auth': '1',
      'X-RateLimit-Remaining-api': '2',
    });
    call(Routes, Routes.prototype.login);
    expect(call(Routes, Routes.prototype.songs)['X-RateLimit-Limit-auth']).toBeUndefined();
    expect(rejection(() => call(Routes, Routes.prototype.login)).getStatus()).toBe(429);
  });

  it('leaves @SkipRateLimit() routes uncounted', () => {
    for (let i = 0; i < 5; i++) expect(call(Probes, Probes.prototype.live)).toEqual({});
    expect(call(Routes, Routes.prototype.songs)['X-RateLimit-Remaining-api']).toBe('2');
  });
});

describe('clientKey', () => {
  it('keys IPv4 by address, IPv4-mapped IPv6 as IPv4, and IPv6 by its /64 network', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:DB8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('2001:db8:0:1::1')).not.toBe(clientKey('2001:db8::1'));
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKey(undefined)).toBe('unknown');
  });
});
