/**
 * A recording → one vector of prosodic and spectral statistics, the classifier's input.
 *
 * Pitch contour: the tutor engine's tracker (McLeod's NSDF, the method of pitchy, with a Viterbi path over the take),
 * run for speech (60–600 Hz); statistics of F0 in semitones. Energy: frame level in dB relative to the take's own
 * reference, so the microphone's gain does not matter. Rate: syllable nuclei (peaks of the smoothed level) and voiced
 * stretches per second of speech, and the share of pauses between the first and the last speech. Spectrum (32 ms
 * frames every 20 ms at 16 kHz, speech frames only): MFCC 1–12 means and deviations and their frame-to-frame change,
 * spectral centroid, spread, roll-off, flatness, slope and zero-crossing rate. Absolute level (MFCC 0, dBFS) is left
 * out on purpose: it measures the microphone, not the speaker. The recording is first cut to its speech and a quarter
 * second either side (speech-span.ts), so that the silence people leave around a take does not lower its level
 * reference or count as pauses.
 */
import { resample } from '../../../tutor/engine/audio/resample';
import type { MonoAudio } from '../../../tutor/engine/audio/wav-input';
import { ANALYSIS_RATE, trackPitch } from '../../../tutor/engine/pitch/pitch-tracker';
import { MEL_BAND_COUNT, MFCC_COUNT, SpectralAnalyser } from './spectral-frames';
import { trimToSpeech } from './speech-span';

/** 32 ms frames every 20 ms at 16 kHz (statistics over a clip do not need a finer step, and it halves the cost). */
const FRAME = 512;
const HOP = 320;
const HOP_SEC = HOP / ANALYSIS_RATE;
const MFCCS = MFCC_COUNT;
/** Frames quieter than the take's reference by more than this are pauses. */
const SPEECH_FLOOR_DB = 30;

const SPECTRAL = ['centroidHz', 'spreadHz', 'rolloffHz', 'flatness', 'slopeDbPerKhz', 'zcr'] as const;

export const VOICE_FEATURE_NAMES: readonly string[] = [
  'f0.mean',
  'f0.sd',
  'f0.p10',
  'f0.p90',
  'f0.range',
  'f0.slope',
  'f0.delta',
  'voiced.share',
  'clarity.mean',
  'clarity.sd',
  'level.sd',
  'level.range',
  'level.delta',
  'pause.share',
  'rate.syllables',
  'rate.voicedRuns',
  ...Array.from({ length: MFCCS - 1 }, (_, i) => `mfcc${i + 1}.mean`),
  ...Array.from({ length: MFCCS - 1 }, (_, i) => `mfcc${i + 1}.sd`),
  ...Array.from({ length: MFCCS - 1 }, (_, i) => `mfcc${i + 1}.delta`),
  ...SPECTRAL.flatMap((s) => [`${s}.mean`, `${s}.sd`]),
  ...Array.from({ length: MEL_BAND_COUNT }, (_, i) => `band${i}.relative`),
  ...Array.from({ length: MEL_BAND_COUNT }, (_, i) => `band${i}.sd`),
  'level.p25',
  'level.p75',
  'f0.rise',
  'f0.fall',
  'clarity.p90',
  'hnr.mean',
  'hnr.sd',
  'hnr.p20',
  'hnr.p80',
  'jitter',
  'shimmer',
  'f0.p50',
  'f0.iqr',
  'level.p50',
  'level.rise',
  'level.fall',
  'voicedRun.meanSec',
  'voicedRun.sdSec',
  'unvoicedRun.meanSec',
  'unvoicedRun.sdSec',
  'flux.mean',
  'flux.sd',
  'alphaRatio.voiced.mean',
  'alphaRatio.voiced.sd',
  'alphaRatio.unvoiced.mean',
  'hammarberg.voiced.mean',
  'hammarberg.voiced.sd',
  'hammarberg.unvoiced.mean',
  'slopeDbPerKhz.unvoiced.mean',
  'f1.mean',
  'f1.sd',
  'f2.mean',
  'f2.sd',
  'f3.mean',
  'f3.sd',
  ...Array.from({ length: MFCCS - 1 }, (_, i) => `mfcc${i + 1}.voicedMean`),
];

function mean(x: readonly number[]): number {
  return x.length ? x.reduce((s, v) => s + v, 0) / x.length : 0;
}
function sd(x: readonly number[]): number {
  const m = mean(x);
  return x.length > 1 ? Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1)) : 0;
}
function quantile(x: readonly number[], q: number): number {
  if (!x.length) return 0;
  const sorted = [...x].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
function meanAbsDelta(x: readonly number[]): number {
  let s = 0;
  for (let i = 1; i < x.length; i++) s += Math.abs(x[i] - x[i - 1]);
  return x.length > 1 ? s / (x.length - 1) : 0;
}
/** Least-squares slope of y over t. */
function slope(t: readonly number[], y: readonly number[]): number {
  const mt = mean(t);
  const my = mean(y);
  let num = 0;
  let den = 0;
  for (let i = 0; i < t.length; i++) {
    num += (t[i] - mt) * (y[i] - my);
    den += (t[i] - mt) ** 2;
  }
  return den > 0 ? num / den : 0;
}

/** Lengths (seconds) of the runs of `flag` frames, leaving out runs that touch either end when `inner`. */
function runLengths(flags: readonly boolean[], flag: boolean, hopSec: number, inner: boolean): number[] {
  const out: number[] = [];
  let start = -1;
  for (let i = 0; i <= flags.length; i++) {
    const on = i < flags.length && flags[i] === flag;
    if (on && start < 0) start = i;
    if (!on && start >= 0) {
      if (!inner || (start > 0 && i < flags.length)) out.push((i - start) * hopSec);
      start = -1;
    }
  }
  return out;
}

/** Harmonics-to-noise ratio (dB) of an autocorrelation peak: Boersma's (1993) 10·log10(r / (1 − r)). */
function hnrDb(clarity: number): number {
  const r = Math.min(0.999, Math.max(0.001, clarity));
  return 10 * Math.log10(r / (1 - r));
}

/** Peaks of a smoothed level curve at least `prominenceDb` above the dips on both sides and 100 ms apart. */
function countNuclei(levelDb: readonly number[], floorDb: number, minGap: number, prominenceDb = 4): number {
  const smooth = levelDb.map((_, i) => mean(levelDb.slice(Math.max(0, i - 1), i + 2)));
  let count = 0;
  let lastPeak = -Infinity;
  let valley = Infinity;
  let candidate = -Infinity;
  let candidateAt = -1;
  for (let i = 0; i < smooth.length; i++) {
    const v = smooth[i];
    if (v > candidate) {
      candidate = v;
      candidateAt = i;
    }
    if (candidate - v >= prominenceDb && candidate - valley >= prominenceDb && candidate > floorDb) {
      if (candidateAt - lastPeak >= minGap) {
        count++;
        lastPeak = candidateAt;
      }
      valley = v;
      candidate = -Infinity;
    }
    valley = Math.min(valley, v);
  }
  return count;
}

let shared: SpectralAnalyser | undefined;
const spectralAnalyser = () => (shared ??= new SpectralAnalyser(FRAME, ANALYSIS_RATE));

/** The feature vector (in VOICE_FEATURE_NAMES order) of a recording at any supported rate. */
export function extractVoiceFeatures(audio: MonoAudio): Float64Array {
  const x = trimToSpeech(audio.sampleRate === ANALYSIS_RATE ? audio.samples : resample(audio.samples, audio.sampleRate, ANALYSIS_RATE), ANALYSIS_RATE);
  const track = trackPitch({ sampleRate: ANALYSIS_RATE, samples: x }, { minHz: 60, maxHz: 600, hopSec: HOP_SEC });
  const level = Array.from(track.levelDb, (db) => db - track.referenceDb);
  const speech = level.map((db) => db > -SPEECH_FLOOR_DB);
  const speechFrames = speech.filter(Boolean).length;
  const speechSec = Math.max(0.1, speechFrames * track.hopSec);

  const times: number[] = [];
  const semitones: number[] = [];
  const clarity: number[] = [];
  let voicedRuns = 0;
  for (let i = 0; i < track.f0Hz.length; i++) {
    if (track.f0Hz[i] > 0) {
      times.push(i * track.hopSec);
      semitones.push(12 * Math.log2(track.f0Hz[i] / 100));
      clarity.push(track.clarity[i]);
      if (i === 0 || track.f0Hz[i - 1] <= 0) voicedRuns++;
    }
  }
  const speechLevels = level.filter((_, i) => speech[i]);
  const voicedFlags = Array.from(track.f0Hz, (f) => f > 0);
  // Frame-level jitter and shimmer: period and level changes between neighbouring voiced frames (a 20 ms-scale
  // version of the cycle-to-cycle measures; the tracker does not mark glottal cycles).
  const periodSteps: number[] = [];
  const levelSteps: number[] = [];
  const levelSlopes: number[] = [];
  for (let i = 1; i < track.f0Hz.length; i++) {
    if (voicedFlags[i] && voicedFlags[i - 1]) {
      periodSteps.push(Math.abs(1 / track.f0Hz[i] - 1 / track.f0Hz[i - 1]) * Math.sqrt(track.f0Hz[i] * track.f0Hz[i - 1]));
      levelSteps.push(Math.abs(level[i] - level[i - 1]));
    }
    if (speech[i] && speech[i - 1]) levelSlopes.push((level[i] - level[i - 1]) / track.hopSec);
  }
  const voicedLevels = level.filter((_, i) => voicedFlags[i]);
  const hnr = clarity.map(hnrDb);

  const analyser = spectralAnalyser();
  const mfcc: number[][] = Array.from({ length: MFCCS - 1 }, () => []);
  const spectral: number[][] = SPECTRAL.map(() => []);
  const bandSums = new Float64Array(MEL_BAND_COUNT);
  const bandSquares = new Float64Array(MEL_BAND_COUNT);
  let speechSpectra = 0;
  const voicedMfcc = new Float64Array(MFCCS - 1);
  const alpha: [number[], number[]] = [[], []];
  const hammarberg: [number[], number[]] = [[], []];
  const unvoicedSlope: number[] = [];
  const formants: [number[], number[], number[]] = [[], [], []];
  const flux: number[] = [];
  let previousBands: Float64Array | undefined;
  for (let start = 0; start + FRAME <= x.length; start += HOP) {
    // The tracker's level frame i is centred at i·hop: use the level at this frame's centre.
    const centre = Math.min(speech.length - 1, Math.round((start + FRAME / 2) / ANALYSIS_RATE / track.hopSec));
    if (!speech[centre]) {
      previousBands = undefined;
      continue;
    }
    const f = analyser.analyse(x, start);
    for (let c = 1; c < MFCCS; c++) mfcc[c - 1].push(f.mfcc[c]);
    SPECTRAL.forEach((name, k) => spectral[k].push(f[name]));
    for (let b = 0; b < MEL_BAND_COUNT; b++) {
      bandSums[b] += f.bands[b];
      bandSquares[b] += f.bands[b] ** 2;
    }
    if (previousBands) {
      let d = 0;
      for (let b = 0; b < MEL_BAND_COUNT; b++) d += (f.bands[b] - previousBands[b]) ** 2;
      flux.push(Math.sqrt(d / MEL_BAND_COUNT));
    }
    previousBands = f.bands;
    const voiced = voicedFlags[centre] ? 0 : 1;
    alpha[voiced].push(f.alphaRatioDb);
    hammarberg[voiced].push(f.hammarbergDb);
    if (voiced === 0) {
      for (let c = 1; c < MFCCS; c++) voicedMfcc[c - 1] += f.mfcc[c];
      const found = analyser.formants(x, start);
      found.forEach((hz, k) => Number.isFinite(hz) && formants[k].push(hz));
    } else unvoicedSlope.push(f.slopeDbPerKhz);
    speechSpectra++;
  }
  // The long-term spectral envelope, relative to its own mean level (so the gain cancels): voice quality and effort.
  const bandMeans = Array.from(bandSums, (v) => v / Math.max(1, speechSpectra));
  const bandLevel = mean(bandMeans);
  const bandSds = bandMeans.map((m, b) => Math.sqrt(Math.max(0, bandSquares[b] / Math.max(1, speechSpectra) - m * m)));
  // Pitch movement within voiced stretches: mean rise and mean fall (semitones per second).
  const steps = semitones.slice(1).map((v, i) => ((v - semitones[i]) / track.hopSec) * (times[i + 1] - times[i] < 1.5 * track.hopSec ? 1 : 0));

  const values = [
    mean(semitones),
    sd(semitones),
    quantile(semitones, 0.1),
    quantile(semitones, 0.9),
    quantile(semitones, 0.9) - quantile(semitones, 0.1),
    slope(times, semitones),
    meanAbsDelta(semitones),
    semitones.length / Math.max(1, speechFrames),
    mean(clarity),
    sd(clarity),
    sd(speechLevels),
    quantile(speechLevels, 0.9) - quantile(speechLevels, 0.1),
    meanAbsDelta(speechLevels),
    1 - speechFrames / Math.max(1, speech.lastIndexOf(true) - speech.indexOf(true) + 1),
    countNuclei(level, -SPEECH_FLOOR_DB, Math.round(0.1 / track.hopSec)) / speechSec,
    voicedRuns / speechSec,
    ...mfcc.map(mean),
    ...mfcc.map(sd),
    ...mfcc.map(meanAbsDelta),
    ...spectral.flatMap((s) => [mean(s), sd(s)]),
    ...bandMeans.map((b) => b - bandLevel),
    ...bandSds,
    quantile(speechLevels, 0.25),
    quantile(speechLevels, 0.75),
    mean(steps.filter((x) => x > 0)),
    mean(steps.filter((x) => x < 0)),
    quantile(clarity, 0.9),
    mean(hnr),
    sd(hnr),
    quantile(hnr, 0.2),
    quantile(hnr, 0.8),
    mean(periodSteps),
    mean(levelSteps),
    quantile(semitones, 0.5),
    quantile(semitones, 0.8) - quantile(semitones, 0.2),
    quantile(voicedLevels.length ? voicedLevels : speechLevels, 0.5),
    mean(levelSlopes.filter((v) => v > 0)),
    mean(levelSlopes.filter((v) => v < 0)),
    mean(runLengths(voicedFlags, true, track.hopSec, false)),
    sd(runLengths(voicedFlags, true, track.hopSec, false)),
    mean(runLengths(voicedFlags, false, track.hopSec, true)),
    sd(runLengths(voicedFlags, false, track.hopSec, true)),
    mean(flux),
    sd(flux),
    mean(alpha[0]),
    sd(alpha[0]),
    mean(alpha[1]),
    mean(hammarberg[0]),
    sd(hammarberg[0]),
    mean(hammarberg[1]),
    mean(unvoicedSlope),
    ...formants.flatMap((f) => [mean(f), sd(f)]),
    ...Array.from(voicedMfcc, (v) => v / Math.max(1, alpha[0].length)),
  ];
  return Float64Array.from(values, (v) => (Number.isFinite(v) ? v : 0));
}
