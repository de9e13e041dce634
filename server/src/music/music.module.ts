import { Module } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { MusicAudioRenderer } from './music-audio.renderer';
import { MusicGenerationRunner } from './music-generation.runner';
import { MusicTopicAnalyser } from './music-topic.analyser';
import { MusicController } from './music.controller';
import { MusicMetrics } from './music.metrics';
import { MusicGenerationProcessor } from './music.processor';
import { MusicRenderService } from './music-render.service';
import { MusicRepository } from './music.repository';
import { MusicGenerationService } from './music.service';
import { MusicStorage } from './music.storage';
import { BuiltInComposerProvider } from './providers/built-in-composer.provider';
import { HttpMusicProvider } from './providers/http-music.provider';
import { MUSIC_PROVIDERS, type MusicProvider } from './providers/music-provider';

/**
 * Music generation: emotion/topic → plan → provider chain (neural server, music API, built-in
 * composer; unconfigured ones skipped) → mastered WAV + MP3 + MIDI, on the music-generation queue.
 */
@Module({
  controllers: [MusicController],
  providers: [
    MusicGenerationService,
    MusicGenerationRunner,
    MusicMetrics,
    MusicRepository,
    MusicStorage,
    MusicTopicAnalyser,
    MusicAudioRenderer,
    MusicRenderService,
    MusicGenerationProcessor,
    BuiltInComposerProvider,
    {
      provide: MUSIC_PROVIDERS,
      inject: [AppConfig, MusicAudioRenderer, BuiltInComposerProvider],
      useFactory: (config: AppConfig, renderer: MusicAudioRenderer, builtIn: BuiltInComposerProvider): MusicProvider[] => [
        new HttpMusicProvider({ name: 'neural', url: config.MUSIC_NEURAL_URL, timeoutMs: config.MUSIC_PROVIDER_TIMEOUT_MS }, renderer),
        new HttpMusicProvider(
          { name: 'music-api', url: config.MUSIC_API_URL, apiKey: config.MUSIC_API_KEY, timeoutMs: config.MUSIC_PROVIDER_TIMEOUT_MS },
          renderer,
        ),
        builtIn,
      ],
    },
  ],
  exports: [MusicGenerationService, MusicRenderService],
})
export class MusicModule {}
