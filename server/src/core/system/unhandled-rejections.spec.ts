import { Registry } from 'prom-client';
import { keepRunningOnUnhandledRejections, unhandledRejectionHandler } from './unhandled-rejections';

describe('unhandled rejections', () => {
  it('logs each one with its error and counts it', async () => {
    const registry = new Registry();
    const logged: unknown[] = [];
    const handle = unhandledRejectionHandler(registry, { error: (entry: unknown) => logged.push(entry) });
    const error = new Error('Connection is closed.');
    handle(error);
    handle('a reason that is not an Error');
    expect(logged).toEqual([{ err: error }, { err: 'a reason that is not an Error' }]);
    expect(await registry.metrics()).toMatch(/^process_unhandled_rejections_total 2$/m);
  });

  it('is installed on the process and removed again', () => {
    const before = process.listenerCount('unhandledRejection');
    const remove = keepRunningOnUnhandledRejections(new Registry(), { error: () => undefined });
    expect(process.listenerCount('unhandledRejection')).toBe(before + 1);
    remove();
    expect(process.listenerCount('unhandledRejection')).toBe(before);
  });
});
