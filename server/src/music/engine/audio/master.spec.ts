import { masterPcm } from './master';
import { limitPeaks } from './limiter';
import { integratedLoudness, samplePeak, toDb, truePeak } from './loudness';
import type { StereoPcm } from './types';

// Worker start-up and whole-file DSP are slow on a busy CI machine; this is a hang guard, not a speed check.
jest.setTimeout(60_000);

/** A decaying plucked-like test signal with sharp transients (peak-to-loudness ratio ≈ music). */
function plucks(sampleRate: number, seconds: number, amplitude: number): StereoPcm {
  const n = Math.round(sampleRate * seconds);
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  const period = Math.round(sampleRate * 0.5);
  for (let i = 0; i < n; i++) {
    const t = (i % period) / sampleRate;
    const env = Math.exp(-t * 6);
    const hz = 220 * (1 + (Math.floor(i / period) % 3));
    left[i] = amplitude * env * Math.sin(2 * Math.PI * hz * t);
    right[i] = amplitude * env * Math.sin(2 * Math.PI * hz * 1.5 * t);
  }
  return { sampleRate, left, right };
}

describe('masterPcm', () => {
  it('brings a quiet piece up to -16 LUFS with the true peak at or under -1 dBTP', () => {
    const pcm = plucks(44100, 6, 0.05);
    const report = masterPcm(pcm);
    expect(report.gainDb).toBeGreaterThan(10);
    expect(report.outputLufs).toBeGreaterThan(-17);
    expect(report.outputLufs).toBeLessThan(-15.5);
    expect(toDb(truePeak(pcm))).toBeLessThanOrEqual(-0.99);
    expect(report.truePeakDb).toBeLessThanOrEqual(-1);
    // The report's loudness is what a meter reads on the result (measured or, for a pure gain, exact).
    expect(report.outputLufs).toBeCloseTo(integratedLoudness(pcm), 1);
  });

  it('reports the exact output loudness when only a gain was applied', () => {
    const pcm = plucks(44100, 6, 0.01);
    const report = masterPcm(pcm, { targetLufs: -30, truePeakCeilingDb: -1, maxGainDb: 30 });
    expect(report.limiterMaxReductionDb).toBe(0);
    expect(report.outputLufs).toBeCloseTo(-30, 1);
    expect(integratedLoudness(pcm)).toBeCloseTo(-30, 1);
  });

  it('turns a clipping-hot piece down without any sample over full scale', () => {
    const pcm = plucks(44100, 6, 3);
    const report = masterPcm(pcm);
    expect(report.gainDb).toBeLessThan(0);
    expect(samplePeak(pcm)).toBeLessThan(1);
    expect(report.outputLufs).toBeCloseTo(-16, 0);
  });

  it('uses the limiter when loudness gain would push transients over the ceiling', () => {
    // Short bursts over a quiet bed: loudness is low, peaks are high.
    const pcm = plucks(44100, 6, 0.02);
    for (let i = 0; i < pcm.left.length; i += 44100) pcm.left[i] = pcm.right[i] = 0.9;
    const report = masterPcm(pcm);
    expect(report.limiterMaxReductionDb).toBeGreaterThan(3);
    expect(report.truePeakDb).toBeLessThanOrEqual(-1);
    expect(report.outputLufs).toBeCloseTo(integratedLoudness(pcm), 1);
  });

  it('leaves silence silent instead of amplifying it', () => {
    const pcm: StereoPcm = { sampleRate: 44100, left: new Float32Array(44100 * 3), right: new Float32Array(44100 * 3) };
    const report = masterPcm(pcm);
    expect(report.gainDb).toBe(0);
    expect(samplePeak(pcm)).toBe(0);
  });
});

describe('limitPeaks', () => {
  it('keeps every sample under the ceiling and leaves quiet parts untouched', () => {
    const pcm = plucks(44100, 4, 0.3);
    pcm.left[30000] = 1.8;
    const before = pcm.left[10];
    limitPeaks(pcm, { ceiling: 0.5, lookaheadMs: 3, releaseMs: 50 });
    expect(samplePeak(pcm)).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(pcm.left[10]).toBeCloseTo(before, 6);
    expect(integratedLoudness(pcm)).toBeGreaterThan(-40);
  });
});
