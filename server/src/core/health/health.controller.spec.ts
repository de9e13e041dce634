import { ServiceUnavailableException } from '@nestjs/common';
import type { HealthCheckService, HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth.decorators';
import { HealthController } from './health.controller';
import { HealthRegistry } from './health.registry';

/** Terminus' behaviour in small: runs the indicators, 503 (ServiceUnavailableException) when one is down. */
const terminus = {
  async check(indicators: HealthIndicatorFunction[]) {
    const results = await Promise.all(indicators.map((indicator) => Promise.resolve(indicator())));
    const body = { status: results.every((r) => Object.values(r)[0].status === 'up') ? 'ok' : 'error', details: Object.assign({}, ...results) as object };
    if (body.status !== 'ok') throw new ServiceUnavailableException(body);
    return body;
  },
} as unknown as HealthCheckService;
const indicators = {
  check: (key: string) => ({
    up: (details = {}) => ({ [key]: { status: 'up', ...details } }),
    down: (details = {}) => ({ [key]: { status: 'down', ...details } }),
  }),
} as unknown as HealthIndicatorService;
/** A response that records the status it was given. */
function response(): Response & { statuses: number[] } {
  const statuses: number[] = [];
  return { statuses, status: (code: number) => statuses.push(code), setHeader: () => undefined } as unknown as Response & { statuses: number[] };
}

const admin: AuthUser = { id: 'admin-1', email: 'ops@example.com', role: 'admin' };
const user: AuthUser = { id: 'user-1', email: 'user@example.com', role: 'user' };

describe('HealthController', () => {
  it('runs one round of checks for requests that arrive while it runs, and a new round after it', async () => {
    const registry = new HealthRegistry();
    let rounds = 0;
    let release = () => {};
    registry.register('database', async () => {
      rounds++;
      await new Promise<void>((resolve) => (release = resolve));
      return { up: true };
    });
    const controller = new HealthController(terminus, indicators, registry);
    const answers = [controller.full(admin, response()), controller.ready(response()), controller.full(user, response())];
    await Promise.resolve();
    release();
    expect((await Promise.all(answers)).map((a) => a.status)).toEqual(['ok', 'ok', 'ok']);
    expect(rounds).toBe(1);
    const next = controller.ready(response());
    await Promise.resolve();
    release();
    await next;
    expect(rounds).toBe(2);
  });

  it('answers every waiting request 503 when the shared round finds a dependency down', async () => {
    const registry = new HealthRegistry();
    registry.register('redis', () => Promise.resolve({ up: false, details: { message: 'connection refused' } }));
    const controller = new HealthController(terminus, indicators, registry);
    const [a, b] = [response(), response()];
    await Promise.all([controller.ready(a), controller.full(user, b)]);
    expect([a.statuses, b.statuses]).toEqual([[503], [503]]);
  });

  it('tells the public only up or down, signed-in users the details, and admins what failed and why', async () => {
    const registry = new HealthRegistry();
    registry.register('database', () => Promise.resolve({ up: true, details: { engine: 'postgresql', latencyMs: 2 } }));
    registry.register('redis', () => Promise.reject(new Error('connect ECONNREFUSED 10.0.3.7:6379')));
    registry.register('models', () => Promise.resolve({ up: false, details: { loaded: ['text'], failed: { face: '/etc/xiaoyu/face.json: bad JSON' } } }));
    const controller = new HealthController(terminus, indicators, registry);
    const ready = await controller.ready(response());
    expect(ready.details).toEqual({ database: { status: 'up' }, redis: { status: 'down' }, models: { status: 'down' } });
    const forUser = await controller.full(user, response());
    expect(forUser.details).toEqual({
      database: { status: 'up', engine: 'postgresql', latencyMs: 2 },
      redis: { status: 'down', message: 'check failed' },
      models: { status: 'down', loaded: ['text'], message: 'check failed' },
    });
    const forAdmin = await controller.full(admin, response());
    expect(forAdmin.details.redis).toEqual({ status: 'down', message: 'connect ECONNREFUSED 10.0.3.7:6379' });
    expect(forAdmin.details.models).toMatchObject({ failed: { face: '/etc/xiaoyu/face.json: bad JSON' } });
  });

  it('leaves an optional feature out of readiness: reported down in the details, the replica still ready', async () => {
    const registry = new HealthRegistry();
    registry.register('database', () => Promise.resolve({ up: true }));
    registry.register('log-shipping', () => Promise.resolve({ up: false, details: { dropped: 12 } }), { readiness: false });
    const controller = new HealthController(terminus, indicators, registry);
    const [probe, page] = [response(), response()];
    expect(await controller.ready(probe)).toEqual({ status: 'ok', info: { database: { status: 'up' } }, error: {}, details: { database: { status: 'up' } } });
    expect(probe.statuses).toEqual([]);
    expect(await controller.full(admin, page)).toMatchObject({ status: 'error', details: { 'log-shipping': { status: 'down', dropped: 12 } } });
    expect(page.statuses).toEqual([503]);
  });
});
