import type { AddressInfo } from 'node:net';
import { closeAgent } from './http-client';
import { loginAdmin, registerUser, startTestApp, type TestApp } from '../support/test-app';

export interface FuzzTarget {
  app: TestApp;
  baseUrl: string;
  tokens: { admin: string; user: string };
  close(): Promise<void>;
}

/**
 * The real application on a real port (PostgreSQL, Redis), in the API role so queued work stays queued (the fuzzer
 * checks answers, not renders), with rate limits and quotas out of the way so every request reaches validation.
 */
export async function startFuzzTarget(env: Record<string, string> = {}): Promise<FuzzTarget> {
  const app = await startTestApp({
    env: { ROLE: 'api', API_RATE_LIMIT: '1000000', AUTH_RATE_LIMIT: '1000000', MUSIC_QUOTA_PER_HOUR: '1000000', ...env },
  });
  await new Promise<void>((resolve) => app.http.listen(0, '127.0.0.1', resolve));
  const { port } = app.http.address() as AddressInfo;
  const admin = await loginAdmin(app.http);
  const user = await registerUser(app.http);
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    tokens: { admin: admin.accessToken, user: user.accessToken },
    async close() {
      closeAgent();
      await app.close();
    },
  };
}

/** Heap and resident memory in MB. */
export function memoryMb(): { heapUsed: number; rss: number } {
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed: Math.round(heapUsed / 2 ** 20), rss: Math.round(rss / 2 ** 20) };
}
