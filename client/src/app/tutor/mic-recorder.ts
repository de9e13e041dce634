import { detectPitch, type LivePitch } from './live-pitch';
import { encodeWav } from './wav';

/** The worklet module, served from client/public (same origin, so the CSP allows it). */
const WORKLET_URL = 'tutor/recorder-worklet.js';
const PITCH_WINDOW = 2048;
const WARM_UP_CHUNKS = 8;
/** The server assesses at most 60 s. */
export const MAX_RECORDING_SEC = 60;

export interface RecorderStats {
  /** The audio context's rate (Hz): chunks of 2048 samples last 2048 / sampleRate s. */
  sampleRate: number;
  /** Pitch estimates made (one per worklet chunk). */
  frames: number;
  /** Audio covered by those chunks (s). */
  audioSec: number;
  /** Time spent estimating (ms): mean and worst per chunk. */
  meanMs: number;
  maxMs: number;
  /**
   * How far the analysed audio fell behind the audio clock at worst, beyond the smallest gap seen, after the first
   * chunks (ms): about one chunk's length means every chunk was analysed as it arrived; a growing backlog shows here.
   */
  backlogMs: number;
}

export interface Recording {
  wav: Blob;
  durationSec: number;
  sampleRate: number;
  stats: RecorderStats;
}

/**
 * Captures the microphone as PCM through an AudioWorklet (no lossy codec, no MediaRecorder), moves a live pitch
 * estimate to `onPitch` for every chunk, and writes a mono 16-bit WAV when stopped. The microphone is opened on
 * `start` and released on `stop`.
 */
export class MicRecorder {
  private context?: AudioContext;
  private stream?: MediaStream;
  private node?: AudioWorkletNode;
  private chunks: Float32Array[] = [];
  private frames = 0;
  private analysisMs = 0;
  private maxMs = 0;
  private recent = new Float32Array(PITCH_WINDOW);
  private startedAt = 0;
  private minLag = Infinity;
  private maxLag = -Infinity;
  private timer?: ReturnType<typeof setTimeout>;
  private cancelled = false;

  constructor(
    private readonly onPitch: (pitch: LivePitch, atSec: number) => void,
    private readonly onLimit: () => void = () => undefined,
  ) {}

  static supported(): boolean {
    return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia && typeof AudioWorkletNode !== 'undefined';
  }

  /** Asks for the microphone and starts; false when cancelled meanwhile (the page moved on while the browser asked). */
  async start(): Promise<boolean> {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
    this.stream = stream;
    if (this.cancelled) {
      this.release();
      return false;
    }
    const context = new AudioContext();
    this.context = context;
    await context.audioWorklet.addModule(new URL(WORKLET_URL, document.baseURI).toString());
    if (this.cancelled) {
      this.release();
      await context.close().catch(() => undefined);
      return false;
    }
    const source = context.createMediaStreamSource(this.stream);
    const node = new AudioWorkletNode(context, 'xy-tutor-recorder', { numberOfOutputs: 1 });
    this.node = node;
    node.port.onmessage = (event: MessageEvent<Float32Array>) => this.take(event.data);
    // A silent route to the output keeps the graph pulling the worklet in every browser.
    const mute = context.createGain();
    mute.gain.value = 0;
    source.connect(node).connect(mute).connect(context.destination);
    if (context.state === 'suspended') await context.resume();
    this.startedAt = context.currentTime;
    this.timer = setTimeout(() => this.onLimit(), MAX_RECORDING_SEC * 1000);
    return true;
  }

  private take(chunk: Float32Array): void {
    this.chunks.push(chunk);
    // Keep the latest PITCH_WINDOW samples for the needle.
    if (chunk.length >= PITCH_WINDOW) this.recent = chunk.slice(chunk.length - PITCH_WINDOW);
    else {
      this.recent.copyWithin(0, chunk.length);
      this.recent.set(chunk, PITCH_WINDOW - chunk.length);
    }
    // The first chunks arrive while the graph and the page warm up; the backlog counts from the ninth on.
    if (this.context && this.frames >= WARM_UP_CHUNKS) {
      const lag = this.context.currentTime - this.startedAt - this.samples() / this.context.sampleRate;
      this.minLag = Math.min(this.minLag, lag);
      this.maxLag = Math.max(this.maxLag, lag);
    }
    const started = performance.now();
    const pitch = detectPitch(this.recent, this.context?.sampleRate ?? 48_000);
    const spent = performance.now() - started;
    this.frames++;
    this.analysisMs += spent;
    this.maxMs = Math.max(this.maxMs, spent);
    this.onPitch(pitch, this.samples() / (this.context?.sampleRate ?? 48_000));
  }

  private samples(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }

  /** How the live pitch estimate keeps up: chunks analysed, audio covered, time spent per chunk. */
  stats(): RecorderStats {
    return this.statsAt(this.context?.sampleRate ?? 48_000);
  }

  private statsAt(sampleRate: number): RecorderStats {
    return {
      sampleRate,
      frames: this.frames,
      audioSec: this.samples() / sampleRate,
      meanMs: this.frames ? this.analysisMs / this.frames : 0,
      maxMs: this.maxMs,
      backlogMs: this.frames > WARM_UP_CHUNKS ? 1000 * (this.maxLag - this.minLag) : 0,
    };
  }

  /** Stops capturing and returns the take as a WAV. */
  async stop(): Promise<Recording> {
    clearTimeout(this.timer);
    const context = this.context;
    if (!context) throw new Error('the recorder was not started');
    // Ask the worklet for its partial chunk, then let its answer arrive.
    this.node?.port.postMessage('flush');
    await new Promise((resolve) => setTimeout(resolve, 60));
    this.release();
    const sampleRate = context.sampleRate;
    await context.close();
    const stats = this.statsAt(sampleRate);
    return { wav: encodeWav(this.chunks, sampleRate), durationSec: stats.audioSec, sampleRate, stats };
  }

  /** Releases the microphone without producing a take. */
  cancel(): void {
    this.cancelled = true;
    clearTimeout(this.timer);
    this.release();
    this.context?.close().catch(() => undefined);
  }

  private release(): void {
    this.node?.port.close();
    this.node?.disconnect();
    this.stream?.getTracks().forEach((t) => t.stop());
  }
}
