import type { StereoPcm } from '../engine/audio/types';
import { decodeWavToStereo } from '../engine/audio/wav';
import type { MusicAudioRenderer } from '../music-audio.renderer';
import { CircuitBreaker } from './circuit-breaker';
import type { GeneratedMusic, MusicProvider, MusicProviderRequest } from './music-provider';

export interface HttpMusicProviderOptions {
  /** Recorded with the generation ('neural', 'music-api'). */
  name: string;
  url?: string;
  apiKey?: string;
  timeoutMs: number;
  /** Consecutive failures that open the circuit. */
  failureThreshold?: number;
  /** How long an open circuit fails fast before a trial call (ms). */
  resetAfterMs?: number;
  now?: () => number;
}

/** Largest audio body accepted from a provider (a 300 s stereo 48 kHz float WAV is ~115 MB). */
const MAX_AUDIO_BYTES = 128 * 1024 * 1024;

export class MusicProviderError extends Error {
  override readonly name = 'MusicProviderError';
}

/**
 * A text-to-music HTTP service: a self-hosted neural model server (MusicGen-style, MUSIC_NEURAL_URL)
 * or a third-party API (MUSIC_API_URL + MUSIC_API_KEY). Contract: POST JSON
 * `{ prompt, durationSec, seed, tempo, key, mode, emotion, valence, arousal }`; the answer is a WAV
 * body (`audio/wav`) or JSON `{ "audio": "<base64 WAV>" }`. The audio is then mastered like ours.
 */
export class HttpMusicProvider implements MusicProvider {
  readonly name: string;
  readonly breaker: CircuitBreaker;

  constructor(
    private readonly options: HttpMusicProviderOptions,
    private readonly renderer: Pick<MusicAudioRenderer, 'master'>,
  ) {
    this.name = options.name;
    this.breaker = new CircuitBreaker({ failureThreshold: options.failureThreshold ?? 3, resetAfterMs: options.resetAfterMs ?? 60_000, now: options.now });
  }

  isConfigured(): boolean {
    return Boolean(this.options.url);
  }

  async generate(request: MusicProviderRequest): Promise<GeneratedMusic> {
    if (!this.options.url) throw new MusicProviderError(`${this.name} is not configured`);
    request.onStage('composing');
    // Decoding is inside the breaker: garbage audio is a provider failure like a 500.
    const pcm = await this.breaker.execute(async () => this.decode(await this.fetchAudio(request)));
    const job = this.renderer.master(pcm, (stage) => request.onStage(stage));
    const wav = await job.wav;
    const compressed = await job.compressed;
    return { wav: wav.wav, mp3: compressed?.mp3, mastering: wav.mastering, durationSec: wav.durationSec };
  }

  /** One HTTP call within the timeout; anything but a decodable WAV counts as a failure. */
  private async fetchAudio(request: MusicProviderRequest): Promise<Uint8Array> {
    const { plan } = request;
    const body = {
      prompt: request.prompt,
      durationSec: request.durationSec,
      seed: request.seed,
      tempo: plan.tempo,
      key: plan.key,
      mode: plan.mode,
      emotion: plan.emotion,
      valence: plan.valence,
      arousal: plan.arousal,
    };
    let response: Response;
    try {
      response = await fetch(this.options.url!, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'audio/wav, application/json',
          ...(this.options.apiKey ? { Authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw this.transportError(error, 'unreachable');
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new MusicProviderError(`${this.name} answered HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > MAX_AUDIO_BYTES) {
      await response.body?.cancel();
      throw new MusicProviderError(`${this.name} sent ${declared} bytes, over the limit`);
    }
    const type = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    let bytes: Uint8Array | undefined;
    try {
      bytes = await readAtMost(response.body, MAX_AUDIO_BYTES);
    } catch (error) {
      throw this.transportError(error, 'body failed');
    }
    if (!bytes) throw new MusicProviderError(`${this.name} sent too much audio (over ${MAX_AUDIO_BYTES} bytes)`);
    if (type === 'application/json') bytes = this.audioFromJson(bytes);
    else if (!['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave', 'application/octet-stream'].includes(type)) {
      throw new MusicProviderError(`${this.name} answered ${type || 'without a content type'}, not audio/wav`);
    }
    return bytes;
  }

  /** fetch rejects with a DOMException (not always `instanceof Error` across realms): check by name. */
  private transportError(error: unknown, what: string): MusicProviderError {
    const name = (error as { name?: string } | undefined)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') return new MusicProviderError(`${this.name} timed out after ${this.options.timeoutMs} ms`);
    return new MusicProviderError(`${this.name} ${what}: ${(error as { message?: string } | undefined)?.message ?? String(error)}`);
  }

  private decode(bytes: Uint8Array): StereoPcm {
    try {
      return decodeWavToStereo(bytes);
    } catch (error) {
      throw new MusicProviderError(`${this.name} sent audio that is not a usable WAV: ${(error as Error).message}`);
    }
  }

  private audioFromJson(bytes: Uint8Array): Uint8Array {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch {
      throw new MusicProviderError(`${this.name} sent invalid JSON`);
    }
    const audio = (parsed as { audio?: unknown })?.audio;
    if (typeof audio !== 'string' || audio.length === 0) throw new MusicProviderError(`${this.name} JSON has no "audio" (base64 WAV)`);
    return new Uint8Array(Buffer.from(audio, 'base64'));
  }
}

/**
 * A response body, read as it arrives up to `limit` bytes; past that it stops reading (the rest is never held in
 * memory: a body without a Content-Length could otherwise stream gigabytes into the worker) and answers undefined.
 */
async function readAtMost(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array | undefined> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
