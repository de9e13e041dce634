/** Messages between AudioRenderPool (main thread) and render-worker.ts. */
import type { MasteringReport } from './types';

/** Full pipeline in one worker: synthesize, master, WAV, optionally MP3. */
export interface RenderRequest {
  type: 'render';
  id: number;
  midi: Uint8Array;
  compressed: boolean;
}

/** Synthesize only (one half of a split render). */
export interface SynthesizeRequest {
  type: 'synthesize';
  id: number;
  midi: Uint8Array;
}

/** Mix already synthesized parts, then master, WAV, optionally MP3. */
export interface MasterRequest {
  type: 'master';
  id: number;
  sampleRate: number;
  parts: { left: Float32Array; right: Float32Array }[];
  synthMs: number;
  compressed: boolean;
}

export type RenderWorkerRequest = RenderRequest | SynthesizeRequest | MasterRequest;

export interface RenderTimings {
  /** Synthesizer time (ms; the slower half when split). */
  synthMs: number;
  /** Loudness normalisation + limiter (ms). */
  masterMs: number;
  /** WAV quantisation (ms). */
  wavMs: number;
}

export type RenderWorkerMessage =
  | { type: 'ready' }
  | { type: 'stage'; id: number; stage: 'rendering' | 'encoding' }
  | { type: 'pcm'; id: number; sampleRate: number; left: Float32Array; right: Float32Array; synthMs: number }
  | { type: 'wav'; id: number; wav: Uint8Array; durationSec: number; sampleRate: number; mastering: MasteringReport; timings: RenderTimings }
  | { type: 'compressed'; id: number; mp3: Uint8Array; encodeMs: number }
  | { type: 'done'; id: number }
  | { type: 'error'; id: number; message: string };

export interface RenderWorkerData {
  soundFontPath: string;
}
