/** The one interface every source of music implements; MusicGenerationService tries them in order. */
import type { Composition, MusicPlan } from '../engine';
import type { MasteringReport } from '../engine/audio/types';

export type ProviderStage = 'composing' | 'rendering' | 'encoding';

export interface MusicProviderRequest {
  plan: MusicPlan;
  seed: number;
  durationSec: number;
  /** The plan in words, for text-to-music models. */
  prompt: string;
  onStage: (stage: ProviderStage) => void;
}

export interface GeneratedMusic {
  /** Mastered 16-bit stereo WAV. */
  wav: Uint8Array;
  /** CBR MP3 of the same audio. */
  mp3?: Uint8Array;
  mastering: MasteringReport;
  durationSec: number;
  /** Symbolic output, only from the built-in composer. */
  midi?: Uint8Array;
  composition?: Composition;
}

export interface MusicProvider {
  /** Recorded with each generation: 'built-in', 'neural' or 'music-api'. */
  readonly name: string;
  /** Unconfigured providers are skipped. */
  isConfigured(): boolean;
  generate(request: MusicProviderRequest): Promise<GeneratedMusic>;
}

/** Injection token of the ordered provider chain (external ones first, built-in last). */
export const MUSIC_PROVIDERS = Symbol('MUSIC_PROVIDERS');

/** A plan as a short English prompt (what text-to-music models such as MusicGen expect). */
export function describePlanAsPrompt(plan: MusicPlan): string {
  const instruments = plan.instruments.filter((i) => i.role !== 'drums').map((i) => i.name.toLowerCase());
  const drums = plan.drums === 'none' ? 'no drums' : `${plan.drums} drums`;
  return `${plan.emotion} ${plan.style} instrumental in ${plan.key} ${plan.mode}, ${plan.tempo} BPM, ${instruments.join(', ')}, ${drums}`;
}
