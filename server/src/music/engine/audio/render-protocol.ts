/** Messages between AudioRenderPool (main thread) and render-worker.ts. */
import type { MasteringReport } from './types';

export interface RenderWorkerRequest {
  id: number;
  midi: Uint8Array;
  /** Also produce the compressed (MP3) file after the WAV. */
  compressed: boolean;
}

export interface RenderTimings {
  /** Synthesizer time (ms). */
  synthMs: number;
  /** Loudness normalisation + limiter (ms). */
  masterMs: number;
  /** WAV quantisation (ms). */
  wavMs: number;
}

export type RenderWorkerMessage =
  | { type: 'ready' }
  | { type: 'stage'; id: number; stage: 'rendering' | 'encoding' }
  | { type: 'wav'; id: number; wav: Uint8Array; durationSec: number; sampleRate: number; mastering: MasteringReport; timings: RenderTimings }
  | { type: 'compressed'; id: number; mp3: Uint8Array; encodeMs: number }
  | { type: 'done'; id: number }
  | { type: 'error'; id: number; message: string };

export interface RenderWorkerData {
  soundFontPath: string;
}
