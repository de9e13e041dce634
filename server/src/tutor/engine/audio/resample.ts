/**
 * Band-limited resampling by windowed-sinc interpolation (Kaiser window, β = 6, 6 zero crossings each side), for any
 * pair of rates. Downsampling lowers the cut-off to 92% of the new Nyquist frequency so nothing aliases.
 */
const ZERO_CROSSINGS = 6;
const KAISER_BETA = 6;
/** Kernel table resolution (entries per unit of the sinc argument). */
const TABLE_STEPS = 512;
const PASSBAND = 0.92;

let kernelTable: Float64Array | undefined;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 30; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

/** Windowed sinc h(u) for u in [0, ZERO_CROSSINGS] (symmetric), tabulated once. */
function table(): Float64Array {
  if (kernelTable) return kernelTable;
  const n = ZERO_CROSSINGS * TABLE_STEPS + 2;
  kernelTable = new Float64Array(n);
  const norm = besselI0(KAISER_BETA);
  for (let i = 0; i < n; i++) {
    const u = i / TABLE_STEPS;
    const sinc = u === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
    const r = u / ZERO_CROSSINGS;
    kernelTable[i] = r >= 1 ? 0 : (sinc * besselI0(KAISER_BETA * Math.sqrt(1 - r * r))) / norm;
  }
  return kernelTable;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Most phases a polyphase filter bank may have before the table path is used instead. */
const MAX_PHASES = 1024;

/** Resamples `input` from `fromRate` to `toRate` (Hz); returns a new array of round(length·toRate/fromRate) samples. */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (!(fromRate > 0) || !(toRate > 0)) throw new RangeError('sample rates must be positive');
  if (fromRate === toRate) return input.slice();
  const ratio = toRate / fromRate;
  // Cut-off as a fraction of the input rate's Nyquist: 1 when upsampling, the output's Nyquist when downsampling.
  const cutoff = Math.min(1, ratio) * PASSBAND;
  const halfWidth = ZERO_CROSSINGS / cutoff;
  const outLength = Math.round(input.length * ratio);
  const up = Number.isInteger(fromRate) && Number.isInteger(toRate) ? toRate / gcd(toRate, fromRate) : Infinity;
  return up <= MAX_PHASES
    ? polyphase(input, fromRate / gcd(toRate, fromRate), up, cutoff, halfWidth, outLength)
    : interpolated(input, ratio, cutoff, halfWidth, outLength);
}

/**
 * Rational ratio up/down: output n sits at input position n·down/up, whose fractional part takes one of `up` values,
 * so each phase's taps are computed once.
 */
function polyphase(input: Float32Array, down: number, up: number, cutoff: number, halfWidth: number, outLength: number): Float32Array {
  const h = table();
  const taps = 2 * Math.ceil(halfWidth) + 1;
  const bank = new Float64Array(up * taps);
  const scale = cutoff * TABLE_STEPS;
  for (let phase = 0; phase < up; phase++) {
    const frac = phase / up;
    for (let j = 0; j < taps; j++) {
      // Tap j multiplies input[floor(t) - ceil(halfWidth) + j].
      const u = Math.abs(frac + Math.ceil(halfWidth) - j) * scale;
      const i = u | 0;
      bank[phase * taps + j] = i + 1 < h.length ? (h[i] + (u - i) * (h[i + 1] - h[i])) * cutoff : 0;
    }
  }
  const out = new Float32Array(outLength);
  const reach = Math.ceil(halfWidth);
  const n = input.length;
  for (let o = 0; o < outLength; o++) {
    const num = o * down;
    const base = Math.floor(num / up);
    const phase = num - base * up;
    const first = base - reach;
    const offset = phase * taps;
    let acc = 0;
    if (first >= 0 && first + taps <= n) {
      for (let j = 0; j < taps; j++) acc += input[first + j] * bank[offset + j];
    } else {
      for (let j = 0; j < taps; j++) {
        const k = first + j;
        if (k >= 0 && k < n) acc += input[k] * bank[offset + j];
      }
    }
    out[o] = acc;
  }
  return out;
}

function interpolated(input: Float32Array, ratio: number, cutoff: number, halfWidth: number, outLength: number): Float32Array {
  const h = table();
  const out = new Float32Array(outLength);
  const last = input.length - 1;
  const scale = cutoff * TABLE_STEPS;
  for (let n = 0; n < outLength; n++) {
    const t = n / ratio;
    const lo = Math.max(0, Math.ceil(t - halfWidth));
    const hi = Math.min(last, Math.floor(t + halfWidth));
    let acc = 0;
    for (let k = lo; k <= hi; k++) {
      const u = Math.abs(t - k) * scale;
      const i = u | 0;
      const f = u - i;
      acc += input[k] * (h[i] + f * (h[i + 1] - h[i]));
    }
    out[n] = acc * cutoff;
  }
  return out;
}
