import { basename } from 'node:path';
import { existsSync } from 'node:fs';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { HealthRegistry } from '../core/health/health.registry';
import { AudioRenderJob, AudioRenderPool, RenderStage } from './engine/audio/render-pool';
import { resolveSoundFontPath } from './engine/audio/soundfont';
import type { StereoPcm } from './engine/audio/types';

/** Longest a single render may take before its worker is replaced (a 300 s piece needs ~10 s). */
const RENDER_TIMEOUT_MS = 120_000;

/**
 * The process's render workers (each holding the parsed SoundFont), shared by every generation.
 * Worker processes warm the pool at start so the first request does not pay the SoundFont parse.
 */
@Injectable()
export class MusicAudioRenderer implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MusicAudioRenderer.name);
  private readonly pool: AudioRenderPool;
  readonly soundFontPath: string;

  constructor(
    private readonly config: AppConfig,
    private readonly health: HealthRegistry,
  ) {
    this.soundFontPath = resolveSoundFontPath(config.MUSIC_SOUNDFONT_PATH);
    this.pool = new AudioRenderPool({
      soundFontPath: this.soundFontPath,
      workers: config.MUSIC_RENDER_WORKERS,
      timeoutMs: RENDER_TIMEOUT_MS,
      onWarning: (message) => this.logger.warn(message),
    });
  }

  onModuleInit(): void {
    this.health.register('music-soundfont', () => Promise.resolve({ up: existsSync(this.soundFontPath), details: { file: basename(this.soundFontPath) } }));
  }

  onApplicationBootstrap(): void {
    // Tests start many short-lived apps: there the workers start lazily with the first render.
    if (!this.config.runsWorkers || this.config.NODE_ENV === 'test') return;
    const started = performance.now();
    this.pool
      .warmUp({ render: true })
      .then(() =>
        this.logger.log(
          `${this.config.MUSIC_RENDER_WORKERS} render worker(s) ready with ${this.soundFontPath} in ${Math.round(performance.now() - started)} ms`,
        ),
      )
      .catch((error: Error) => this.logger.error(`Render workers failed to start: ${error.message}`));
  }

  /** After the HTTP server has closed (requests render exercise audio) and the queue workers drained. */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }

  /** MIDI → mastered WAV (+ MP3). */
  render(midi: Uint8Array, onStage?: (stage: RenderStage) => void): AudioRenderJob {
    return this.pool.render(midi, { compressed: true, onStage });
  }

  /** Decoded audio from an external provider → mastered WAV (+ MP3). */
  master(pcm: StereoPcm, onStage?: (stage: RenderStage) => void): AudioRenderJob {
    return this.pool.master(pcm, { compressed: true, onStage });
  }
}
