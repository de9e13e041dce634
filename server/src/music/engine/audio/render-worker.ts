/**
 * Worker-thread entry of the audio renderer: holds the parsed SoundFont for the life of the thread
 * and serves one request at a time, so synthesis never blocks the HTTP/queue event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { masterPcm } from './master';
import { encodeMp3 } from './mp3';
import type { MasterRequest, RenderWorkerData, RenderWorkerMessage, RenderWorkerRequest } from './render-protocol';
import { DEFAULT_SYNTHESIS, loadSoundBank, synthesizeMidi } from './synthesize';
import type { StereoPcm } from './types';
import { encodeWav } from './wav';

const port = parentPort;
if (!port) throw new Error('render-worker must run in a worker thread');
const { soundFontPath } = workerData as RenderWorkerData;
const bank = loadSoundBank(soundFontPath);
const post = (message: RenderWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

let queue: Promise<void> = Promise.resolve();
port.on('message', (request: RenderWorkerRequest) => {
  // handle() answers every failure with an `error` message; should even that post fail, the rejection ends this
  // thread, and the pool (render-pool.ts, on the worker's `error` event) fails the task and starts a new worker.
  queue = queue.then(() => handle(request));
});
post({ type: 'ready' });

async function handle(request: RenderWorkerRequest): Promise<void> {
  const { id } = request;
  try {
    if (request.type === 'synthesize') {
      const t = performance.now();
      const pcm = await synthesizeMidi(bank, request.midi, DEFAULT_SYNTHESIS);
      post({ type: 'pcm', id, sampleRate: pcm.sampleRate, left: pcm.left, right: pcm.right, synthMs: performance.now() - t }, [
        pcm.left.buffer as ArrayBuffer,
        pcm.right.buffer as ArrayBuffer,
      ]);
      post({ type: 'done', id });
      return;
    }
    if (request.type === 'render') {
      post({ type: 'stage', id, stage: 'rendering' });
      const t = performance.now();
      const pcm = await synthesizeMidi(bank, request.midi, DEFAULT_SYNTHESIS);
      await finish(id, pcm, performance.now() - t, request.compressed);
      return;
    }
    await finish(id, mix(request), request.synthMs, request.compressed);
  } catch (error) {
    post({ type: 'error', id, message: error instanceof Error ? error.message : String(error) });
  }
}

/** Sums the parts of a split render (they come from the same MIDI, so lengths agree; pad if not). */
function mix(request: MasterRequest): StereoPcm {
  const frames = Math.max(...request.parts.map((p) => p.left.length));
  const [first, ...rest] = request.parts;
  const left = first.left.length === frames ? first.left : padTo(first.left, frames);
  const right = first.right.length === frames ? first.right : padTo(first.right, frames);
  for (const part of rest) {
    for (let i = 0; i < part.left.length; i++) {
      left[i] += part.left[i];
      right[i] += part.right[i];
    }
  }
  return { sampleRate: request.sampleRate, left, right };
}

function padTo(x: Float32Array, frames: number): Float32Array {
  const out = new Float32Array(frames);
  out.set(x);
  return out;
}

async function finish(id: number, pcm: StereoPcm, synthMs: number, compressed: boolean): Promise<void> {
  let t = performance.now();
  const mastering = masterPcm(pcm);
  const masterMs = performance.now() - t;
  t = performance.now();
  const wav = encodeWav(pcm);
  const wavMs = performance.now() - t;
  post({ type: 'wav', id, wav, durationSec: pcm.left.length / pcm.sampleRate, sampleRate: pcm.sampleRate, mastering, timings: { synthMs, masterMs, wavMs } }, [
    wav.buffer as ArrayBuffer,
  ]);
  if (compressed) {
    post({ type: 'stage', id, stage: 'encoding' });
    t = performance.now();
    const mp3 = await encodeMp3(pcm);
    post({ type: 'compressed', id, mp3, encodeMs: performance.now() - t }, [mp3.buffer as ArrayBuffer]);
  }
  post({ type: 'done', id });
}
