import { ServiceUnavailableException } from '@nestjs/common';
import type { HealthCheckService, HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';
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
    const answers = [controller.full(response()), controller.ready(response()), controller.full(response())];
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
    await Promise.all([controller.ready(a), controller.full(b)]);
    expect([a.statuses, b.statuses]).toEqual([[503], [503]]);
  });
});
