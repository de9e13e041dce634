/**
 * Section 3 of bench:music: a repeat request answered from MusicGenerationService's result cache.
 * Boots the real application (embedded PGlite in a temporary DATA_DIR, Redis at REDIS_URL or
 * 127.0.0.1:6379), generates one piece through the queue, then times identical requests.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthUser } from '../src/core/auth/auth.decorators';
import { AuthService } from '../src/core/auth/auth.service';
import { loadConfig } from '../src/core/config/app-config';
import { createApp } from '../src/bootstrap';
import { MusicGenerationService } from '../src/music/music.service';

export async function benchCachedRepeat(durationSec: number, seed: number): Promise<void> {
  console.log('\ncached repeat through MusicGenerationService (real app: PGlite + Redis + BullMQ worker):');
  const dataDir = mkdtempSync(join(tmpdir(), 'music-bench-app-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: `bench-${randomUUID().slice(0, 8)}`,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
  });
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  try {
    app = await createApp(config);
    await app.init();
    const music = app.get(MusicGenerationService);
    const tokens = await app.get(AuthService).register(`bench-${randomUUID().slice(0, 8)}@xiaoyu.test`, 'bench-password-1');
    const user: AuthUser = { id: tokens.user.id, email: tokens.user.email, role: tokens.user.role };
    const body = { emotion: 'happy', durationSec, seed };

    let t = performance.now();
    const first = await music.generateFromEmotion(user, body);
    for (;;) {
      const status = await music.status(user, first.accepted.id);
      if (status.state === 'completed') break;
      if (status.state === 'failed') throw new Error(status.error);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const firstMs = performance.now() - t;
    console.log(`  first request (queued job, ${durationSec} s piece) until completed: ${firstMs.toFixed(0)} ms`);

    const repeats: number[] = [];
    for (let i = 0; i < 20; i++) {
      t = performance.now();
      const again = await music.generateFromEmotion(user, body);
      repeats.push(performance.now() - t);
      if (!again.cached || again.accepted.id !== first.accepted.id) throw new Error('expected a cache hit');
    }
    repeats.sort((a, b) => a - b);
    const median = repeats[Math.floor(repeats.length / 2)];
    console.log(
      `  identical repeat (cache hit, completed at once): median ${median.toFixed(1)} ms, p95 ${repeats[Math.floor(repeats.length * 0.95)].toFixed(1)} ms over 20 (target < 50 ms)`,
    );
  } catch (error) {
    console.log(`  skipped: ${(error as Error).message} (is Redis running at ${config.REDIS_URL}?)`);
  } finally {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
