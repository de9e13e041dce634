/**
 * Pitch for the live needle while the learner sings: McLeod's normalised square difference function (the method of
 * the server's tracker, without its path search) on the latest window, 55–1760 Hz. Cheap enough to run on every
 * recorder chunk in the page (a 2048-sample window costs well under a millisecond at 48 kHz after halving the rate).
 */
export interface LivePitch {
  /** Fractional MIDI pitch, or null when unvoiced or too quiet. */
  midi: number | null;
  /** Periodicity 0–1 of the chosen peak. */
  clarity: number;
  /** Window RMS level (dBFS). */
  levelDb: number;
}

const MIN_HZ = 55;
const MAX_HZ = 1760;
const CLARITY_THRESHOLD = 0.8;
const SILENCE_DB = -50;

/** Estimates the pitch of `window` (mono samples at `sampleRate`). */
export function detectPitch(window: Float32Array, sampleRate: number): LivePitch {
  // Above 32 kHz, halve the rate (average pairs): the needle does not need the top octave, and the cost is quadratic.
  let x = window;
  let rate = sampleRate;
  if (sampleRate > 32_000) {
    x = new Float32Array(window.length >> 1);
    for (let i = 0; i < x.length; i++) x[i] = 0.5 * (window[2 * i] + window[2 * i + 1]);
    rate = sampleRate / 2;
  }
  const n = x.length;
  let energy = 0;
  for (let i = 0; i < n; i++) energy += x[i] * x[i];
  const levelDb = 10 * Math.log10(energy / n + 1e-12);
  if (levelDb < SILENCE_DB) return { midi: null, clarity: 0, levelDb };
  const minLag = Math.floor(rate / MAX_HZ);
  const maxLag = Math.min(n - 1, Math.ceil(rate / MIN_HZ));
  const nsdf = new Float32Array(maxLag + 2);
  for (let tau = minLag; tau <= maxLag + 1 && tau < n; tau++) {
    let acf = 0;
    let m = 0;
    for (let i = 0; i + tau < n; i++) {
      acf += x[i] * x[i + tau];
      m += x[i] * x[i] + x[i + tau] * x[i + tau];
    }
    nsdf[tau] = m > 0 ? (2 * acf) / m : 0;
  }
  // Key maxima: the highest point of each positive lobe after the first negative-going zero crossing.
  const peaks: number[] = [];
  let tau = minLag;
  while (tau <= maxLag && nsdf[tau] > 0) tau++;
  while (tau <= maxLag) {
    while (tau <= maxLag && nsdf[tau] <= 0) tau++;
    let best = tau;
    while (tau <= maxLag && nsdf[tau] > 0) {
      if (nsdf[tau] > nsdf[best]) best = tau;
      tau++;
    }
    if (best <= maxLag && nsdf[best] > 0) peaks.push(best);
  }
  if (!peaks.length) return { midi: null, clarity: 0, levelDb };
  const highest = Math.max(...peaks.map((p) => nsdf[p]));
  const chosen = peaks.find((p) => nsdf[p] >= 0.9 * highest)!;
  const clarity = nsdf[chosen];
  if (clarity < CLARITY_THRESHOLD) return { midi: null, clarity, levelDb };
  // Parabolic interpolation around the peak.
  const a = nsdf[chosen - 1] ?? clarity;
  const b = clarity;
  const c = nsdf[chosen + 1] ?? clarity;
  const shift = a - 2 * b + c === 0 ? 0 : (0.5 * (a - c)) / (a - 2 * b + c);
  const hz = rate / (chosen + shift);
  return { midi: 69 + 12 * Math.log2(hz / 440), clarity, levelDb };
}

const NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

/** "A4" for 69. */
export function noteName(midi: number): string {
  const rounded = Math.round(midi);
  return `${NAMES[((rounded % 12) + 12) % 12]}${Math.floor(rounded / 12) - 1}`;
}
