/**
 * Monophonic pitch tracking with voicing.
 *
 * Per frame, McLeod's normalised square difference function (NSDF; McLeod & Wyvill 2005, the method of `pitchy`)
 * gives every key maximum as a pitch candidate with its clarity. Instead of deciding each frame alone (MPM's
 * "first peak above k·max"), the candidates and an unvoiced state go into a Viterbi search over the whole take, in the
 * manner of Boersma's (1993) path finder in Praat: a candidate's strength is its clarity plus a small bonus per octave
 * up (against period-doubling), the unvoiced state's strength grows as the frame gets quiet relative to the take, and
 * moving between frames costs in proportion to the octave distance (voiced → voiced) or a fixed amount (voicing
 * change). Octave jumps and one-frame voicing flips are therefore paid for by the whole neighbourhood, which is what
 * keeps vibrato, breathy onsets, noise and reverb tails from breaking the track.
 *
 * Analysis runs at 16 kHz whatever the input rate (8–48 kHz are resampled), so one parameter set serves every rate. A
 * search that reaches above A6 runs at 32 or 48 kHz instead (`analysisRateFor`): the shortest period searched keeps
 * at least as many samples as A6 has at 16 kHz, so the lag interpolation is as precise at C8 as at A6. The window
 * holds at least `minPeriods` periods of the lowest fundamental searched (40 ms down to 50 Hz, 82 ms at 24.5 Hz).
 */
import { PairAutocorrelator } from '../audio/fft';
import { resample } from '../audio/resample';
import type { MonoAudio } from '../audio/wav-input';
import { PITCH_TRACKER_DEFAULTS, type PitchTrackerParameters } from './pitch-parameters';

/** The analysis sample rate (Hz) every input is resampled to (when the search stays at or below A6, 1760 Hz). */
export const ANALYSIS_RATE = 16000;
/** Analysis rates (Hz) in order of preference; the first whose shortest searched period is long enough is used. */
const ANALYSIS_RATES = [ANALYSIS_RATE, 32000, 48000] as const;
/** Samples per period of the highest fundamental searched (A6 at 16 kHz has 9.09). */
const MIN_SAMPLES_PER_PERIOD = 9;

/** The analysis rate (Hz) for a search up to `maxHz`: 16 kHz up to A6 (1778 Hz), 32 kHz up to 3.5 kHz, else 48 kHz. */
export function analysisRateFor(maxHz: number): number {
  return ANALYSIS_RATES.find((rate) => rate >= MIN_SAMPLES_PER_PERIOD * maxHz) ?? ANALYSIS_RATES[ANALYSIS_RATES.length - 1];
}

/** Mel bands of the spectral-flux onset feature. */
const FLUX_BANDS = 24;

/** A pitch track: one frame every `hopSec`, frame i centred at i·hopSec seconds from the start of the audio. */
export interface PitchTrack {
  /** Seconds between frames. */
  hopSec: number;
  /** Fundamental frequency per frame (Hz); 0 where the frame is unvoiced. */
  f0Hz: Float32Array;
  /** NSDF clarity 0–1 of the chosen candidate (of the best one when unvoiced). */
  clarity: Float32Array;
  /** Frame RMS level (dBFS; −120 for digital silence). */
  levelDb: Float32Array;
  /** Positive spectral flux per frame (mean log-energy rise over 24 mel bands, 60 Hz–5 kHz): onset evidence for re-attacks. */
  flux: Float32Array;
  /** Median level of the loudest tenth of the frames (dBFS), the take's reference level. */
  referenceDb: number;
}

/** Fractional MIDI pitch of a frequency (A4 = 440 Hz = 69). */
export function hzToMidi(hz: number): number {
  return 69 + 12 * Math.log2(hz / 440);
}

/** Frequency (Hz) of a fractional MIDI pitch. */
export function midiToHz(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}

/** FFT bin edges of FLUX_BANDS bands spaced evenly on the mel scale between 60 Hz and 5 kHz. */
function fluxBandEdges(fftSize: number, fs: number): Int32Array {
  const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
  const hz = (m: number) => 700 * (10 ** (m / 2595) - 1);
  const lo = mel(60);
  const hi = mel(5000);
  const edges = new Int32Array(FLUX_BANDS + 1);
  for (let b = 0; b <= FLUX_BANDS; b++) edges[b] = Math.min(fftSize / 2, Math.round((hz(lo + ((hi - lo) * b) / FLUX_BANDS) * fftSize) / fs));
  for (let b = 1; b <= FLUX_BANDS; b++) edges[b] = Math.max(edges[b], edges[b - 1] + 1);
  return edges;
}

function quantile(values: Float32Array, q: number): number {
  if (values.length === 0) return -120;
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Tracks the pitch of a monophonic recording (voice or instrument) at any rate from 8 to 48 kHz, searching
 * `minHz`–`maxHz` (55–1760 Hz by default).
 */
export function trackPitch(audio: MonoAudio, parameters: Partial<PitchTrackerParameters> = {}): PitchTrack {
  const p = { ...PITCH_TRACKER_DEFAULTS, ...parameters };
  const fs = analysisRateFor(p.maxHz);
  const x = audio.sampleRate === fs ? audio.samples : resample(audio.samples, audio.sampleRate, fs);
  const hop = Math.max(1, Math.round(p.hopSec * fs));
  const window = Math.round(Math.max(p.windowSec, p.minPeriods / p.minHz) * fs);
  const minLag = Math.max(2, Math.floor(fs / p.maxHz));
  const maxLag = Math.ceil(fs / p.minHz);
  const bonusFromHz = p.octaveBonusFromHz ?? p.minHz;
  const fftSize = nextPow2(window + maxLag + 2);
  const frames = Math.max(1, Math.floor(x.length / hop) + 1);
  const K = p.maxCandidates;

  const candHz = new Float32Array(frames * K);
  const candClarity = new Float32Array(frames * K);
  const candStrength = new Float32Array(frames * K);
  const candCount = new Uint8Array(frames);
  const levelDb = new Float32Array(frames);
  const flux = new Float32Array(frames);

  const correlator = new PairAutocorrelator(fftSize);
  const bufA = new Float64Array(window);
  const bufB = new Float64Array(window);
  const acfA = new Float64Array(maxLag + 2);
  const acfB = new Float64Array(maxLag + 2);
  const powA = new Float64Array(fftSize / 2 + 1);
  const powB = new Float64Array(fftSize / 2 + 1);
  const nsdf = new Float64Array(maxLag + 2);
  const bandEdges = fluxBandEdges(fftSize, fs);
  const prevBandLog = new Float64Array(bandEdges.length - 1);

  const fill = (frame: number, buf: Float64Array): number => {
    const start = frame * hop - (window >> 1);
    let sum = 0;
    for (let j = 0; j < window; j++) {
      const k = start + j;
      const v = k >= 0 && k < x.length ? x[k] : 0;
      buf[j] = v;
      sum += v;
    }
    const mean = sum / window;
    let energy = 0;
    for (let j = 0; j < window; j++) {
      buf[j] -= mean;
      energy += buf[j] * buf[j];
    }
    return energy;
  };

  const analyse = (frame: number, buf: Float64Array, acf: Float64Array, pow: Float64Array, energy: number) => {
    const rms = Math.sqrt(energy / window);
    levelDb[frame] = rms > 1e-6 ? 20 * Math.log10(rms) : -120;
    let rise = 0;
    for (let b = 0; b + 1 < bandEdges.length; b++) {
      let sum = 1e-9;
      for (let k = bandEdges[b]; k < bandEdges[b + 1]; k++) sum += pow[k];
      const lm = Math.log(sum);
      const d = lm - prevBandLog[b];
      if (d > 0 && frame > 0) rise += d;
      prevBandLog[b] = lm;
    }
    flux[frame] = rise / (bandEdges.length - 1);
    if (rms < 1e-5) return;
    // NSDF n(τ) = 2 r(τ) / m(τ), m(τ) = Σ x_j² + x_{j+τ}² over the overlap (computed incrementally).
    let m = 2 * acf[0];
    for (let t = 0; t <= maxLag + 1; t++) {
      nsdf[t] = m > 1e-12 ? (2 * acf[t]) / m : 0;
      m -= buf[t] * buf[t] + buf[window - 1 - t] * buf[window - 1 - t];
    }
    // Key maxima: the highest point between each positive-going and the next negative-going zero crossing.
    let count = 0;
    let t = 1;
    while (t <= maxLag && nsdf[t] > 0) t++; // skip the lobe around lag 0
    let best = -1;
    let bestAt = -1;
    const base = frame * K;
    const push = (at: number) => {
      if (at < minLag || at > maxLag) return;
      const y0 = nsdf[at - 1];
      const y1 = nsdf[at];
      const y2 = nsdf[at + 1];
      const denom = y0 - 2 * y1 + y2;
      const shift = denom < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (y0 - y2)) / denom)) : 0;
      const clarity = Math.min(1, y1 - 0.25 * (y0 - y2) * shift);
      if (clarity < p.candidateFloor) return;
      const hz = fs / (at + shift);
      const strength = clarity + p.octaveBonus * Math.log2(hz / bonusFromHz);
      // Keep the K strongest.
      if (count < K) {
        candHz[base + count] = hz;
        candClarity[base + count] = clarity;
        candStrength[base + count] = strength;
        count++;
        return;
      }
      let weakest = 0;
      for (let c = 1; c < K; c++) if (candStrength[base + c] < candStrength[base + weakest]) weakest = c;
      if (strength > candStrength[base + weakest]) {
        candHz[base + weakest] = hz;
        candClarity[base + weakest] = clarity;
        candStrength[base + weakest] = strength;
      }
    };
    for (; t <= maxLag + 1; t++) {
      const v = nsdf[t];
      if (v > 0) {
        if (v > best) {
          best = v;
          bestAt = t;
        }
      } else if (bestAt >= 0) {
        push(bestAt);
        best = -1;
        bestAt = -1;
      }
    }
    if (bestAt >= 0 && bestAt <= maxLag) push(bestAt);
    candCount[frame] = count;
  };

  for (let f = 0; f < frames; f += 2) {
    const hasB = f + 1 < frames;
    const eA = fill(f, bufA);
    const eB = hasB ? fill(f + 1, bufB) : 0;
    correlator.run(bufA, hasB ? bufB : undefined, acfA, hasB ? acfB : undefined, powA, hasB ? powB : undefined);
    analyse(f, bufA, acfA, powA, eA);
    if (hasB) analyse(f + 1, bufB, acfB, powB, eB);
  }

  const referenceDb = quantile(levelDb, 0.9);
  const { f0Hz, clarity } = viterbi(frames, K, candHz, candClarity, candStrength, candCount, levelDb, referenceDb, p);
  return { hopSec: hop / fs, f0Hz, clarity, levelDb, flux, referenceDb };
}

function viterbi(
  frames: number,
  K: number,
  candHz: Float32Array,
  candClarity: Float32Array,
  candStrength: Float32Array,
  candCount: Uint8Array,
  levelDb: Float32Array,
  referenceDb: number,
  p: PitchTrackerParameters,
): { f0Hz: Float32Array; clarity: Float32Array } {
  const S = K + 1; // state 0 = unvoiced
  const timeScale = 0.01 / p.hopSec; // costs are per 10 ms, as in Praat
  const jumpCost = p.octaveJumpCost * timeScale;
  const switchCost = p.voicingSwitchCost * timeScale;
  const score = new Float64Array(frames * S).fill(-Infinity);
  const back = new Int8Array(frames * S);
  const logHz = new Float32Array(frames * K);
  for (let i = 0; i < frames * K; i++) logHz[i] = candHz[i] > 0 ? Math.log2(candHz[i]) : 0;

  const unvoicedStrength = (f: number) => {
    const below = referenceDb - levelDb[f];
    const quiet = Math.max(0, Math.min(1, (below - p.quietStartDb) / (p.quietFullDb - p.quietStartDb)));
    return p.voicingThreshold + p.quietWeight * quiet;
  };

  for (let f = 0; f < frames; f++) {
    const n = candCount[f];
    const base = f * S;
    const uv = unvoicedStrength(f);
    if (f === 0) {
      score[base] = uv;
      for (let c = 0; c < n; c++) score[base + 1 + c] = candStrength[c];
      continue;
    }
    const prev = (f - 1) * S;
    const np = candCount[f - 1];
    // Unvoiced now.
    let bestScore = score[prev];
    let bestFrom = 0;
    for (let c = 0; c < np; c++) {
      const s = score[prev + 1 + c] - switchCost;
      if (s > bestScore) {
        bestScore = s;
        bestFrom = 1 + c;
      }
    }
    score[base] = bestScore + uv;
    back[base] = bestFrom;
    // Voiced candidate c now.
    for (let c = 0; c < n; c++) {
      const lc = logHz[f * K + c];
      let bs = score[prev] - switchCost;
      let bf = 0;
      for (let d = 0; d < np; d++) {
        const s = score[prev + 1 + d] - jumpCost * Math.abs(lc - logHz[(f - 1) * K + d]);
        if (s > bs) {
          bs = s;
          bf = 1 + d;
        }
      }
      score[base + 1 + c] = bs + candStrength[f * K + c];
      back[base + 1 + c] = bf;
    }
  }

  const f0Hz = new Float32Array(frames);
  const clarity = new Float32Array(frames);
  let state = 0;
  const last = (frames - 1) * S;
  for (let s = 1; s < S; s++) if (score[last + s] > score[last + state]) state = s;
  for (let f = frames - 1; f >= 0; f--) {
    if (state > 0) {
      f0Hz[f] = candHz[f * K + state - 1];
      clarity[f] = candClarity[f * K + state - 1];
    } else {
      let best = 0;
      for (let c = 0; c < candCount[f]; c++) best = Math.max(best, candClarity[f * K + c]);
      clarity[f] = best;
    }
    state = back[f * S + state];
  }
  return { f0Hz, clarity };
}
