import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { MusicRenderService } from '../music/music-render.service';
import { writeFileAtomically } from '../core/files/write-file-atomically';

export interface CachedClip {
  path: string;
  size: number;
}

/**
 * Exercise audio rendered once per distinct MIDI by the music module's synthesizer and kept on disk (content-addressed),
 * so that replaying a clip or another learner's identical exercise costs nothing. Concurrent requests for one clip share
 * one render; `prefetch` starts rendering when an exercise is handed out, before the page asks for the audio.
 */
@Injectable()
export class TutorAudioCache {
  private readonly logger = new Logger(TutorAudioCache.name);
  private readonly dir: string;
  private readonly rendering = new Map<string, Promise<CachedClip>>();

  constructor(
    config: AppConfig,
    private readonly renderer: MusicRenderService,
  ) {
    this.dir = join(config.dataDir, 'tutor-audio');
  }

  keyOf(midi: Uint8Array): string {
    return createHash('sha256').update(midi).digest('hex').slice(0, 40);
  }

  async clip(midi: Uint8Array): Promise<CachedClip> {
    const key = this.keyOf(midi);
    const path = join(this.dir, `${key}.mp3`);
    const existing = await stat(path).catch(() => undefined);
    if (existing) return { path, size: existing.size };
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
    return { path, size: mp3.length };
  }
}
