/**
 * A recording cut to its speech and a short margin. People start a recorder before they speak and stop it after; the
 * silence (or room tone) either side would otherwise count as pauses and lower the take's level statistics, which
 * the classifier reads as emotion (slow, hesitant speech). The training clips keep at most `EDGE_SEC` either side too,
 * so the edge a model learned from is the edge it is given.
 */

/** Silence kept before the first and after the last speech frame (seconds). */
export const EDGE_SEC = 0.25;
const FRAME_SEC = 0.01;
/** Loudness is judged on 110 ms (±5 frames) so that a click does not set the reference and a plosive's gap does not end speech. */
const SMOOTH_FRAMES = 5;
/** Speech is louder than the loudest stretch minus this... */
const BELOW_LOUDEST_DB = 35;
/** ...and than the quietest tenth of the recording (its noise floor, when it has silence) plus this. */
const ABOVE_FLOOR_DB = 6;

/** Below this spread between the loudest stretch and the quietest tenth, nothing in a take stands out as speech. */
export const MIN_SPEECH_RANGE_DB = 3;

/** Each 10 ms frame's mean power, with the hop in samples. */
function framePowers(samples: Float32Array, sampleRate: number): { power: Float64Array; hop: number } {
  const hop = Math.max(1, Math.round(sampleRate * FRAME_SEC));
  const power = new Float64Array(Math.floor(samples.length / hop));
  for (let f = 0; f < power.length; f++) {
    let energy = 0;
    for (let i = f * hop; i < (f + 1) * hop; i++) energy += samples[i] * samples[i];
    power[f] = energy / hop + 1e-20;
  }
  return { power, hop };
}

/** Each 10 ms frame's level (dB), averaged over ±SMOOTH_FRAMES frames, with the hop in samples. */
function smoothedLevels(samples: Float32Array, sampleRate: number): { levels: Float64Array; hop: number } {
  const { power, hop } = framePowers(samples, sampleRate);
  const frames = power.length;
  const levels = new Float64Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    const from = Math.max(0, f - SMOOTH_FRAMES);
    const to = Math.min(frames - 1, f + SMOOTH_FRAMES);
    for (let g = from; g <= to; g++) sum += power[g];
    levels[f] = 10 * Math.log10(sum / (to - from + 1));
  }
  return { levels, hop };
}

/** Frames quieter than this (dBFS) are digital silence (a gate, a muted input), not a room: they set no floor. */
const DIGITAL_SILENCE_DB = -120;

/** The quietest twentieth of a take's frames within this of its quietest frame is a steady floor (dB). */
const STEADY_FLOOR_DB = 3;

/** Frames this far or less below the take's loud frames are its speech (dB)... */
const SPEECH_BAND_DB = 12;
/** ...frames down to this far below are where other voices in the room sit; below it, pauses (dB). */
const BACKGROUND_BAND_DB = 35;
/** A stretch of background-level frames is judged on 50 ms (±2 frames). */
const STRETCH_FRAMES = 2;

/**
 * What the take's quiet frames say about voices talking in the background (people in the room, a television), in
 * this order: the share of frames 12–35 dB below the loud frames (background speech fills the speaker's pauses at
 * that level; a studio take's pauses fall below it); the share more than 35 dB below; the median level step between
 * consecutive frames both more than 12 dB below (several voices mixed change more smoothly than one voice's word
 * edges); the longest stretch (s) whose 50 ms level stays 12–35 dB below (others talking before and after the
 * speaker and through their pauses); and the 95th minus the 25th percentile of the levels (dB, over 10).
 */
export const BACKGROUND_TALK_CUES = ['backgroundShare', 'pauseShare', 'quietStepDb', 'longestBackgroundSec', 'quarterRangeDb'] as const;

/**
 * What the take's falling edges say about the room's reverberation: each cue is a high percentile of how far the
 * level falls over a span of frames, starting within REVERB_LOUD_DB of the take's loud frames. A word's end falls
 * 20–30 dB in 30 ms in a dry room, but a reverberant room's tail decays at 60 dB per RT60 (12 dB per 100 ms at
 * 0.5 s), so every fall is slow; noise under the speech caps the falls at its margin, not their speed. In this order:
 * the 98th percentile of the fall over 30 ms, over 100 ms and over 200 ms, and the 90th over 30 ms (dB, over 10).
 */
export const REVERBERATION_CUES = ['steepFall30ms', 'steepFall100ms', 'steepFall200ms', 'typicalFall30ms'] as const;
/** Falls are measured from frames at most this far below the take's loud frames (dB)... */
const REVERB_LOUD_DB = 10;
/** ...down to at most this far below them (a gate's digital silence is a dry room's fall, not an infinite one). */
const REVERB_DEPTH_DB = 60;
const REVERBERATION_SPANS: readonly { frames: number; quantile: number }[] = [
  { frames: 3, quantile: 0.98 },
  { frames: 10, quantile: 0.98 },
  { frames: 20, quantile: 0.98 },
  { frames: 3, quantile: 0.9 },
];

/** What a take's quietest frames say about the room it was recorded in. */
export interface NoiseFloor {
  /**
   * How far the take's loud frames (the 95th percentile of its 10 ms levels) stand above its quietest frame that is
   * not digital silence (dB). A room's noise fills every pause, so the quietest frame is the noise: about 30 dB for
   * speech 25 dB above white noise, while 99% of emodb-dev's studio clips measure above 32 dB (the quietest frame is
   * a pause between words). Infinity when every frame is digital silence.
   */
  marginDb: number;
  /**
   * Whether the quietest twentieth of the frames lies within STEADY_FLOOR_DB of the quietest: a steady noise (a fan,
   * a room's hum, hiss: 10 ms of it varies by about half a dB) rather than the quiet parts of speech, which spread
   * over 10 dB or more (emodb-dev's studio clips: median 10 dB, 1% under 3.3 dB).
   */
  steady: boolean;
  /** The BACKGROUND_TALK_CUES of the take, in that order (zeros when every frame is digital silence). */
  backgroundTalk: number[];
  /** The REVERBERATION_CUES of the take, in that order (zeros when every frame is digital silence). */
  reverberation: number[];
}

export function noiseFloor(samples: Float32Array, sampleRate: number): NoiseFloor {
  const allLevels = Array.from(framePowers(samples, sampleRate).power, (p) => 10 * Math.log10(p));
  const levels = allLevels.filter((l) => l > DIGITAL_SILENCE_DB);
  if (levels.length === 0)
    return { marginDb: Infinity, steady: false, backgroundTalk: BACKGROUND_TALK_CUES.map(() => 0), reverberation: REVERBERATION_CUES.map(() => 0) };
  const sorted = Float64Array.from(levels).sort();
  const at = (q: number) => sorted[Math.floor(q * (sorted.length - 1))];
  const loud = at(0.95);
  return {
    marginDb: loud - sorted[0],
    steady: at(0.05) - sorted[0] < STEADY_FLOOR_DB,
    backgroundTalk: backgroundTalkCues(levels, loud, at(0.25)),
    reverberation: reverberationCues(allLevels, loud),
  };
}

/** REVERBERATION_CUES of a take's frame levels (every frame, in time order; a fall ends at most REVERB_DEPTH_DB below the loud frames). */
function reverberationCues(levels: readonly number[], loud: number): number[] {
  const bottom = loud - REVERB_DEPTH_DB;
  return REVERBERATION_SPANS.map(({ frames, quantile }) => {
    const falls: number[] = [];
    for (let f = 0; f + frames < levels.length; f++) if (levels[f] >= loud - REVERB_LOUD_DB) falls.push(levels[f] - Math.max(bottom, levels[f + frames]));
    falls.sort((a, b) => a - b);
    return falls.length ? falls[Math.floor(quantile * (falls.length - 1))] / 10 : 0;
  });
}

/** BACKGROUND_TALK_CUES of a take's frame levels (in time order, digital silence left out). */
function backgroundTalkCues(levels: readonly number[], loud: number, quarter: number): number[] {
  const quiet = loud - SPEECH_BAND_DB;
  const pause = loud - BACKGROUND_BAND_DB;
  let background = 0;
  let pauses = 0;
  const steps: number[] = [];
  levels.forEach((level, f) => {
    if (level < pause) pauses++;
    else if (level < quiet) background++;
    if (f > 0 && level < quiet && levels[f - 1] < quiet) steps.push(Math.abs(level - levels[f - 1]));
  });
  steps.sort((a, b) => a - b);
  let run = 0;
  let longest = 0;
  for (let f = STRETCH_FRAMES; f < levels.length - STRETCH_FRAMES; f++) {
    let power = 0;
    for (let g = f - STRETCH_FRAMES; g <= f + STRETCH_FRAMES; g++) power += 10 ** (levels[g] / 10);
    const level = 10 * Math.log10(power / (2 * STRETCH_FRAMES + 1));
    run = level < quiet && level >= pause ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return [background / levels.length, pauses / levels.length, steps.length ? steps[steps.length >> 1] : 0, longest * FRAME_SEC, (loud - quarter) / 10];
}

/** The level of the take's quietest tenth (its floor when it has silence) and of its loudest stretch (dB). */
function floorAndPeak(levels: Float64Array): { floor: number; peak: number } {
  const sorted = Float64Array.from(levels).sort();
  return { floor: sorted[Math.floor(0.1 * (sorted.length - 1))], peak: sorted[sorted.length - 1] };
}

/** Whether anything in the take rises out of its own floor (not silence, steady noise or a steady tone). */
export function speechStandsOut(samples: Float32Array, sampleRate: number): boolean {
  const { levels } = smoothedLevels(samples, sampleRate);
  if (levels.length === 0) return false;
  const { floor, peak } = floorAndPeak(levels);
  return peak - floor >= MIN_SPEECH_RANGE_DB;
}

/**
 * [start, end) in samples of the speech itself (its loudness is smoothed, so up to 50 ms wider each side); undefined
 * when no stretch is louder than both the loudest − BELOW_LOUDEST_DB and the floor + ABOVE_FLOOR_DB.
 */
export function findSpeech(samples: Float32Array, sampleRate: number): [number, number] | undefined {
  const { levels, hop } = smoothedLevels(samples, sampleRate);
  if (levels.length < 2 * SMOOTH_FRAMES + 1) return undefined;
  const { floor, peak } = floorAndPeak(levels);
  const threshold = Math.max(peak - BELOW_LOUDEST_DB, floor + ABOVE_FLOOR_DB);
  let first = -1;
  let last = -1;
  levels.forEach((level, f) => {
    if (level > threshold) {
      if (first < 0) first = f;
      last = f;
    }
  });
  if (first < 0) return undefined;
  return [first * hop, last === levels.length - 1 ? samples.length : (last + 1) * hop];
}

/** [start, end) in samples of the speech with up to `edgeSec` either side; the whole recording when none is found. */
export function speechSpan(samples: Float32Array, sampleRate: number, edgeSec = EDGE_SEC): [number, number] {
  const speech = findSpeech(samples, sampleRate);
  if (!speech) return [0, samples.length];
  const edge = Math.round(edgeSec * sampleRate);
  return [Math.max(0, speech[0] - edge), Math.min(samples.length, speech[1] + edge)];
}

/** The recording cut to `speechSpan` (a view, not a copy). */
export function trimToSpeech(samples: Float32Array, sampleRate: number, edgeSec = EDGE_SEC): Float32Array {
  const [start, end] = speechSpan(samples, sampleRate, edgeSec);
  return start === 0 && end === samples.length ? samples : samples.subarray(start, end);
}
