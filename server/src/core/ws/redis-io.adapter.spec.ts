import { Redis } from 'ioredis';
import { handlePublishFailures } from './redis-io.adapter';

describe('handlePublishFailures', () => {
  it('reports a publish on a closed client instead of leaving its rejection unhandled', async () => {
    const failures: string[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const client = handlePublishFailures(new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true }), (error) => failures.push(error.message));
    try {
      client.disconnect();
      // What the Socket.IO adapter does: publish and drop the promise.
      // eslint-disable-next-line @typescript-eslint/no-floating-promises
      client.publish('xiaoyu:test', 'note');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(failures).toEqual(['Connection is closed.']);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
