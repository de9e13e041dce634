/**
 * Worker-thread entry of the audio renderer: holds the parsed SoundFont for the life of the thread
 * and serves one render at a time, so synthesis never blocks the HTTP/queue event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { masterPcm } from './master';
import { encodeMp3 } from './mp3';
import type { RenderWorkerData, RenderWorkerMessage, RenderWorkerRequest } from './render-protocol';
import { DEFAULT_SYNTHESIS, loadSoundBank, synthesizeMidi } from './synthesize';
import { encodeWav } from './wav';

const port = parentPort;
if (!port) throw new Error('render-worker must run in a worker thread');
const { soundFontPath } = workerData as RenderWorkerData;
const bank = loadSoundBank(soundFontPath);
const post = (message: RenderWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

let queue: Promise<void> = Promise.resolve();
port.on('message', (request: RenderWorkerRequest) => {
  queue = queue.then(() => handle(request));
});
post({ type: 'ready' });

async function handle(request: RenderWorkerRequest): Promise<void> {
  const { id } = request;
  try {
    post({ type: 'stage', id, stage: 'rendering' });
    let t = performance.now();
    const pcm = await synthesizeMidi(bank, request.midi, DEFAULT_SYNTHESIS);
    const synthMs = performance.now() - t;
    t = performance.now();
    const mastering = masterPcm(pcm);
    const masterMs = performance.now() - t;
    t = performance.now();
    const wav = encodeWav(pcm);
    const wavMs = performance.now() - t;
    post(
      { type: 'wav', id, wav, durationSec: pcm.left.length / pcm.sampleRate, sampleRate: pcm.sampleRate, mastering, timings: { synthMs, masterMs, wavMs } },
      [wav.buffer as ArrayBuffer],
    );
    if (request.compressed) {
      post({ type: 'stage', id, stage: 'encoding' });
      t = performance.now();
      const mp3 = await encodeMp3(pcm);
      post({ type: 'compressed', id, mp3, encodeMs: performance.now() - t }, [mp3.buffer as ArrayBuffer]);
    }
    post({ type: 'done', id });
  } catch (error) {
    post({ type: 'error', id, message: error instanceof Error ? error.message : String(error) });
  }
}
