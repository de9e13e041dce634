import { createHash } from 'node:crypto';
import { mkdir, readdir, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { MusicRenderService } from '../music/music-render.service';
import { writeFileAtomically } from '../core/files/write-file-atomically';

export interface CachedClip {
  path: string;
  size: number;
}

/** A sweep runs after this many renders (each hands out a new clip: most exercises are one of a kind). */
const SWEEP_EVERY_RENDERS = 20;
/** A sweep deletes down to this share of the budget, so that the next one is not due at once. */
const SWEEP_DOWN_TO = 0.8;

/**
 * Deletes the least recently used clips of `dir` (by modification time, which a cache hit renews) until they take at
 * most `SWEEP_DOWN_TO` of `budgetBytes`, when they take more than the budget. Answers what is left.
 */
export async function sweepClips(dir: string, budgetBytes: number): Promise<{ files: number; bytes: number }> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.mp3'));
  const clips = (await Promise.all(names.map(async (name) => ({ path: join(dir, name), info: await stat(join(dir, name)).catch(() => undefined) })))).flatMap(
    ({ path, info }) => (info ? [{ path, size: info.size, usedAt: info.mtimeMs }] : []),
  );
  let bytes = clips.reduce((sum, clip) => sum + clip.size, 0);
  let files = clips.length;
  if (bytes <= budgetBytes) return { files, bytes };
  for (const clip of clips.sort((a, b) => a.usedAt - b.usedAt)) {
    if (bytes <= budgetBytes * SWEEP_DOWN_TO) break;
    // Another replica sweeping the shared directory may have deleted it already.
    await unlink(clip.path).catch(() => undefined);
    bytes -= clip.size;
    files -= 1;
  }
  return { files, bytes };
}

/**
 * Exercise audio rendered once per distinct MIDI by the music module's synthesizer and kept on disk (content-addressed),
 * so that replaying a clip or another learner's identical exercise costs nothing. Concurrent requests for one clip share
 * one render; `prefetch` starts rendering when an exercise is handed out, before the page asks for the audio. The
 * clips take at most TUTOR_AUDIO_CACHE_BYTES: every few renders the least recently played ones are deleted.
 */
@Injectable()
export class TutorAudioCache {
  private readonly logger = new Logger(TutorAudioCache.name);
  private readonly dir: string;
  private readonly rendering = new Map<string, Promise<CachedClip>>();
  private readonly budgetBytes: number;
  private rendersSinceSweep = 0;
  private sweeping?: Promise<unknown>;

  constructor(
    config: AppConfig,
    private readonly renderer: MusicRenderService,
  ) {
    this.dir = join(config.dataDir, 'tutor-audio');
    this.budgetBytes = config.TUTOR_AUDIO_CACHE_BYTES;
  }

  keyOf(midi: Uint8Array): string {
    return createHash('sha256').update(midi).digest('hex').slice(0, 40);
  }

  async clip(midi: Uint8Array): Promise<CachedClip> {
    const key = this.keyOf(midi);
    const path = join(this.dir, `${key}.mp3`);
    const existing = await stat(path).catch(() => undefined);
    if (existing) {
      // Played again: the sweep keeps it over clips nobody played for longer.
      const now = new Date();
      await utimes(path, now, now).catch(() => undefined);
      return { path, size: existing.size };
    }
    let pending = this.rendering.get(key);
    if (!pending) {
      pending = this.render(midi, path).finally(() => this.rendering.delete(key));
      this.rendering.set(key, pending);
    }
    return pending;
  }

  prefetch(midi: Uint8Array): void {
    this.clip(midi).catch((error: Error) => this.logger.warn(`Exercise audio could not be rendered ahead: ${error.message}`));
  }

  private async render(midi: Uint8Array, path: string): Promise<CachedClip> {
    const { mp3 } = await this.renderer.render(midi);
    if (!mp3) throw new Error('the renderer produced no MP3');
    await mkdir(this.dir, { recursive: true });
    // Another replica may render the same clip into the shared directory meanwhile: both writes finish whole.
    await writeFileAtomically(path, mp3);
    this.rendersSinceSweep += 1;
    if (this.rendersSinceSweep >= SWEEP_EVERY_RENDERS && !this.sweeping) {
      this.rendersSinceSweep = 0;
      this.sweeping = sweepClips(this.dir, this.budgetBytes)
        .catch((error: Error) => this.logger.warn(`Exercise audio sweep: ${error.message}`))
        .finally(() => (this.sweeping = undefined));
    }
    return { path, size: mp3.length };
  }
}
