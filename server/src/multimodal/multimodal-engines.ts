import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { ServiceUnavailableProblem } from '../core/errors/problem';
import { HealthRegistry } from '../core/health/health.registry';
import type {
  ArcShape,
  Emotion,
  FaceAnalysis,
  FaceEmotionEngine,
  FusedAffect,
  TextAffectEngine,
  TextAnalysis,
  VoiceAnalysis,
  VoiceEmotionEngine,
} from './engine/types';

/** The present modalities' analyses → the fused result (the engine's late fusion). */
export type AffectFusion = (parts: { face?: FaceAnalysis; voice?: VoiceAnalysis; text?: TextAnalysis }) => FusedAffect;

/** The stages the storyteller goes through before its piece is rendered. */
export type StoryStage = 'scenes' | 'arc' | 'composing';

/** A story turned into scenes, an emotion arc and a symbolic piece that follows it. */
export interface ToldStory {
  language: 'en' | 'zh';
  scenes: { start: number; end: number; emotion: Emotion; valence: number; arousal: number }[];
  arc: { shape: ArcShape; fit: number; valence: number[]; arousal: number[] };
  /** The piece as a Standard MIDI File, to be rendered by the music pipeline. */
  midi: Uint8Array;
  /** Where each scene plays in the piece, with the section's key, tempo and instruments. */
  timeline: { scene: number; startSec: number; endSec: number; key: string; tempo: number; instruments?: string[] }[];
  explanation: string[];
}

/** The storyteller (MusicalStoryTeller): a story → its scenes, arc and piece, reporting each stage as it starts. */
export type StoryTeller = (
  text: string,
  options: { seed: number; durationSec?: number; onStage: (stage: StoryStage) => void },
) => ToldStory | Promise<ToldStory>;

/** How each model is loaded (weights read, networks built): once per process, on first use or at start. */
export interface MultimodalEngineLoaders {
  face(): Promise<FaceEmotionEngine>;
  voice(): Promise<VoiceEmotionEngine>;
  text(): Promise<TextAffectEngine>;
  fusion(): Promise<AffectFusion>;
  storyteller(): Promise<StoryTeller>;
}

export const MULTIMODAL_ENGINE_LOADERS = Symbol('MULTIMODAL_ENGINE_LOADERS');

type EngineName = keyof MultimodalEngineLoaders;
type Loaded = { [K in EngineName]: Awaited<ReturnType<MultimodalEngineLoaders[K]>> };

const RETRY_AFTER_SEC = 30;

/**
 * The recognisers of the process, each loaded once and shared by every request. An API process loads them in the
 * background at start so the first request does not pay for it; a request that comes first waits for the same load.
 * A load that fails is reported (503, health) and tried again by the next request.
 */
@Injectable()
export class MultimodalEngines implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(MultimodalEngines.name);
  private readonly loading = new Map<EngineName, Promise<unknown>>();
  private readonly failures = new Map<EngineName, string>();

  constructor(
    @Inject(MULTIMODAL_ENGINE_LOADERS) private readonly loaders: MultimodalEngineLoaders,
    private readonly config: AppConfig,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    // A model that cannot load makes its own endpoints answer 503; the rest of the service goes on.
    this.health.register(
      'multimodal-models',
      () => Promise.resolve({ up: this.failures.size === 0, details: { loaded: [...this.loading.keys()], failed: Object.fromEntries(this.failures) } }),
      { readiness: false },
    );
  }

  onApplicationBootstrap(): void {
    // Tests start many short-lived apps: there each model loads with its first request.
    if (!this.config.servesHttp || this.config.NODE_ENV === 'test') return;
    const started = performance.now();
    Promise.allSettled((['text', 'voice', 'face', 'fusion'] as const).map((name) => this.get(name))).then(
      (outcomes) => {
        const failed = outcomes.filter((o) => o.status === 'rejected').length;
        if (failed === 0) this.logger.log(`Multimodal models ready in ${Math.round(performance.now() - started)} ms`);
      },
      () => undefined,
    );
  }

  face(): Promise<FaceEmotionEngine> {
    return this.get('face');
  }

  voice(): Promise<VoiceEmotionEngine> {
    return this.get('voice');
  }

  text(): Promise<TextAffectEngine> {
    return this.get('text');
  }

  fusion(): Promise<AffectFusion> {
    return this.get('fusion');
  }

  storyteller(): Promise<StoryTeller> {
    return this.get('storyteller');
  }

  private get<K extends EngineName>(name: K): Promise<Loaded[K]> {
    let pending = this.loading.get(name) as Promise<Loaded[K]> | undefined;
    if (!pending) {
      pending = (this.loaders[name]() as Promise<Loaded[K]>).then(
        (engine) => {
          this.failures.delete(name);
          return engine;
        },
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          this.logger.error(`The ${name} model could not be loaded: ${reason}`);
          this.failures.set(name, reason);
          this.loading.delete(name);
          throw new ServiceUnavailableProblem(`The ${name} model is not available (${reason}); retry shortly.`, RETRY_AFTER_SEC);
        },
      );
      this.loading.set(name, pending);
    }
    return pending;
  }
}
