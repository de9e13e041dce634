import { Worker } from 'node:worker_threads';
import { AudioRenderError, AudioRenderPool } from './render-pool';
import { bundledSoundFontPath } from './soundfont';
import { writeSmf as testMidi } from './smf-writer';
import { decodeWav } from './wav';
import { integratedLoudness, samplePeak, toDb, truePeak } from './loudness';

// Worker start-up and whole-file DSP are slow on a busy CI machine; this is a hang guard, not a speed check.
jest.setTimeout(60_000);

/** C major arpeggio on piano then a held chord: 4 s at 120 BPM. */
const arpeggio = testMidi([
  { pitch: 60, startBeat: 0, beats: 1 },
  { pitch: 64, startBeat: 1, beats: 1 },
  { pitch: 67, startBeat: 2, beats: 1 },
  { pitch: 72, startBeat: 3, beats: 1 },
  { pitch: 48, startBeat: 4, beats: 4, channel: 1, program: 32 },
  { pitch: 60, startBeat: 4, beats: 4 },
  { pitch: 64, startBeat: 4, beats: 4 },
  { pitch: 67, startBeat: 4, beats: 4 },
]);

describe('AudioRenderPool (spessasynth_core + FluidR3Mono in a worker thread)', () => {
  const pool = new AudioRenderPool({ soundFontPath: bundledSoundFontPath(), workers: 1, timeoutMs: 60_000 });
  afterAll(() => pool.close());

  it('renders MIDI to a mastered WAV (-16 LUFS, ≤ -1 dBTP) and then an MP3', async () => {
    const stages: string[] = [];
    const job = pool.render(arpeggio, { compressed: true, onStage: (s) => stages.push(s) });
    const rendered = await job.wav;
    const pcm = decodeWav(rendered.wav);
    expect(pcm.sampleRate).toBe(44100);
    // 8 beats at 120 BPM = 4 s, plus the release/reverb tail.
    expect(rendered.durationSec).toBeGreaterThan(4);
    expect(rendered.durationSec).toBeLessThan(6.5);
    expect(integratedLoudness(pcm)).toBeCloseTo(-16, 0);
    expect(toDb(truePeak(pcm))).toBeLessThanOrEqual(-0.9);
    expect(rendered.mastering.outputLufs).toBeCloseTo(-16, 0);
    // Something is actually sounding in the first second (the first note), not just noise.
    expect(samplePeak({ ...pcm, left: pcm.left.subarray(0, 44100), right: pcm.right.subarray(0, 44100) })).toBeGreaterThan(0.05);

    const compressed = await job.compressed;
    expect(compressed).toBeDefined();
    const mp3 = compressed!.mp3;
    // MPEG-1 Layer III frame sync at the start; CBR 160 kbit/s ≈ 20 kB per second.
    expect(mp3[0]).toBe(0xff);
    expect(mp3[1] & 0xe0).toBe(0xe0);
    expect(mp3.length / rendered.durationSec).toBeGreaterThan(15_000);
    expect(mp3.length / rendered.durationSec).toBeLessThan(25_000);
    expect(stages).toEqual(['rendering', 'encoding']);
  });

  it('is deterministic: the same MIDI gives byte-identical WAV', async () => {
    const a = await pool.render(arpeggio, { compressed: false }).wav;
    const b = await pool.render(arpeggio, { compressed: false }).wav;
    expect(Buffer.from(a.wav).equals(Buffer.from(b.wav))).toBe(true);
  });

  it('skips the MP3 when not asked', async () => {
    const job = pool.render(arpeggio, { compressed: false });
    await job.wav;
    await expect(job.compressed).resolves.toBeUndefined();
  });

  it('rejects bytes that are not MIDI and keeps serving afterwards', async () => {
    await expect(pool.render(new Uint8Array([1, 2, 3, 4, 5]), { compressed: false }).wav).rejects.toBeInstanceOf(AudioRenderError);
    await expect(pool.render(arpeggio, { compressed: false }).wav).resolves.toHaveProperty('sampleRate', 44100);
  });

  it('splits a piece by notes over two workers and mixes to the same audio as one worker', async () => {
    const parallel = new AudioRenderPool({ soundFontPath: bundledSoundFontPath(), workers: 2, timeoutMs: 60_000 });
    try {
      await parallel.warmUp({ render: true });
      const stages: string[] = [];
      const job = parallel.render(arpeggio, { compressed: true, onStage: (s) => stages.push(s) });
      const split = decodeWav((await job.wav).wav);
      await job.compressed;
      const single = decodeWav((await pool.render(arpeggio, { compressed: false }).wav).wav);
      expect(split.left.length).toBe(single.left.length);
      let maxDiff = 0;
      for (let i = 0; i < single.left.length; i++)
        maxDiff = Math.max(maxDiff, Math.abs(split.left[i] - single.left[i]), Math.abs(split.right[i] - single.right[i]));
      expect(maxDiff).toBeLessThan(0.002);
      expect(stages).toEqual(['rendering', 'encoding']);
    } finally {
      await parallel.close();
    }
  });

  it('abandons a render that exceeds its time limit and replaces the worker', async () => {
    const impatient = new AudioRenderPool({ soundFontPath: bundledSoundFontPath(), workers: 1, timeoutMs: 1 });
    try {
      await expect(impatient.render(arpeggio, { compressed: false }).wav).rejects.toThrow(/longer than 1 ms/);
    } finally {
      await impatient.close();
    }
  });

  it('reports a replaced worker that will not stop instead of crashing', async () => {
    const warnings: string[] = [];
    const impatient = new AudioRenderPool({ soundFontPath: bundledSoundFontPath(), workers: 1, timeoutMs: 1, onWarning: (m) => warnings.push(m) });
    const terminate = jest.spyOn(Worker.prototype, 'terminate').mockRejectedValueOnce(new Error('thread did not exit'));
    let stuck: Worker | undefined;
    try {
      await expect(impatient.render(arpeggio, { compressed: false }).wav).rejects.toThrow(/longer than 1 ms/);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual(['A render worker could not be stopped: thread did not exit']);
    } finally {
      stuck = terminate.mock.contexts[0] as Worker | undefined;
      terminate.mockRestore();
      await stuck?.terminate();
      await impatient.close();
    }
  });
});
