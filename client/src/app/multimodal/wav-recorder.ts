import { encodeWav, joinChunks } from './wav-encoding';

/** The longest recording the server analyses. */
export const MAX_RECORDING_SEC = 30;

/**
 * Records the microphone as mono PCM and hands back a WAV. Uses a ScriptProcessorNode, which every browser
 * still runs, so no worklet module has to be served; stops by itself at MAX_RECORDING_SEC.
 */
export class WavRecorder {
  private context: AudioContext | null = null;
  private stream: MediaStream | null = null;
  private processor: ScriptProcessorNode | null = null;
  private chunks: Float32Array[] = [];
  private frames = 0;
  private released = false;

  /** Called with the seconds recorded so far, and when the limit is reached (then stop() gives the WAV). */
  constructor(private readonly onProgress: (seconds: number, full: boolean) => void) {}

  /** Asks for the microphone (the browser prompts) and starts recording; false when released while the prompt was open. */
  async start(): Promise<boolean> {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
    if (this.released) {
      stream.getTracks().forEach((track) => track.stop());
      return false;
    }
    this.stream = stream;
    this.context = new AudioContext();
    const source = this.context.createMediaStreamSource(this.stream);
    this.processor = this.context.createScriptProcessor(4096, 1, 1);
    const limit = MAX_RECORDING_SEC * this.context.sampleRate;
    this.processor.onaudioprocess = (event) => {
      if (this.frames >= limit) return;
      const input = event.inputBuffer.getChannelData(0);
      const take = Math.min(input.length, limit - this.frames);
      this.chunks.push(input.slice(0, take));
      this.frames += take;
      this.onProgress(this.frames / (this.context?.sampleRate ?? 1), this.frames >= limit);
    };
    source.connect(this.processor);
    this.processor.connect(this.context.destination);
    return true;
  }

  /** Stops and returns the recording as a WAV (null when nothing was recorded). */
  stop(): Promise<{ wav: Blob; seconds: number } | null> {
    const rate = this.context?.sampleRate ?? 48000;
    this.release();
    const samples = joinChunks(this.chunks);
    this.chunks = [];
    this.frames = 0;
    return Promise.resolve(samples.length === 0 ? null : { wav: encodeWav(samples, rate), seconds: samples.length / rate });
  }

  /** Lets go of the microphone and the audio context (also when the page goes away mid-recording, or mid-prompt). */
  release(): void {
    this.released = true;
    if (this.processor) this.processor.onaudioprocess = null;
    this.processor?.disconnect();
    this.processor = null;
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.context?.close().catch(() => undefined);
    this.context = null;
  }
}
