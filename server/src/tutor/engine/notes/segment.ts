/**
 * Note segmentation: a pitch track → the notes that were sung or played.
 *
 * 1. Voiced stretches of the track (the pitch tracker's Viterbi path already decided voicing).
 * 2. Inside each stretch, pitch change points by optimal partitioning (Jackson et al. 2005): the split of the
 *    fractional-MIDI contour into constant-pitch segments minimising squared deviation + a penalty per segment, with
 *    a minimum note length. The penalty sits above what vibrato of ±70 cents gains by splitting and below what a
 *    semitone step between two 100 ms notes gains.
 * 3. Re-articulations (a repeated pitch re-attacked, a consonant between syllables) from energy: a level rise of a
 *    few dB with a spectral-flux peak splits a segment; a pitch boundary near such an onset moves onto it.
 * 4. Clean-up: neighbours closer than 0.4 semitone with no articulation between them merge, chains of short segments
 *    alternating up and down (vibrato the penalty did not absorb) merge, a short piece an octave (or a twelfth, two
 *    octaves) below the note it runs into is that note's onset, pieces shorter than the minimum note go.
 * Each note's pitch is the median of its frames, so scoops and glides at the edges do not move it.
 */
import { hzToMidi, type PitchTrack } from '../pitch/pitch-tracker';
import { SEGMENT_DEFAULTS, type SegmentParameters } from './segment-parameters';

/** A note found in a recording. */
export interface DetectedNote {
  /** Median pitch (fractional MIDI, A4 = 69). */
  pitch: number;
  /** Onset (seconds from the start of the recording). */
  start: number;
  /** Length (seconds). */
  duration: number;
  /** Mean NSDF clarity 0–1 of its frames (how periodic it sounded). */
  clarity: number;
  /** Loudest frame (dBFS). */
  levelDb: number;
}

interface Segment {
  from: number;
  to: number; // exclusive
  /** Whether an articulation onset starts this segment (it is not a continuation of its neighbour). */
  articulated: boolean;
}

/** Cuts a pitch track into notes (see the file header for the method). */
export function segmentNotes(track: PitchTrack, parameters: Partial<SegmentParameters> = {}): DetectedNote[] {
  const p = { ...SEGMENT_DEFAULTS, ...parameters };
  const hop = track.hopSec;
  const frames = track.f0Hz.length;
  const minFrames = Math.max(2, Math.round(p.minNoteSec / hop));
  const midi = new Float64Array(frames).fill(Number.NaN);
  for (let i = 0; i < frames; i++) if (track.f0Hz[i] > 0 && track.levelDb[i] > track.referenceDb - p.floorDb) midi[i] = hzToMidi(track.f0Hz[i]);
  const smooth = median5(midi);
  const onsets = articulationOnsets(track, midi, p);

  const segments: Segment[] = [];
  for (let i = 0; i < frames;) {
    if (Number.isNaN(smooth[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < frames && !Number.isNaN(smooth[j])) j++;
    if (j - i >= minFrames) {
      const cuts = partition(smooth, i, j, minFrames, (p.changePenalty * 0.01) / hop);
      const runSegments: Segment[] = [];
      for (let c = 0; c + 1 < cuts.length; c++) runSegments.push({ from: cuts[c], to: cuts[c + 1], articulated: c === 0 });
      segments.push(...splitAtArticulations(snapToArticulations(runSegments, onsets, Math.round(p.snapSec / hop), minFrames), onsets, minFrames, hop));
    }
    i = j;
  }
  const merged = resolveTransients(
    mergeVibratoChains(mergeNeighbours(segments, smooth, p.mergeSemitones), smooth, Math.round(p.vibratoSegmentSec / hop), p.vibratoSemitones),
    smooth,
    Math.round(p.transientSec / hop),
    p,
  );

  const notes: DetectedNote[] = [];
  for (const s of merged) {
    if (s.to - s.from < minFrames) continue;
    const values: number[] = [];
    let clarity = 0;
    let level = -Infinity;
    for (let f = s.from; f < s.to; f++) {
      if (!Number.isNaN(smooth[f])) values.push(smooth[f]);
      clarity += track.clarity[f];
      level = Math.max(level, track.levelDb[f]);
    }
    values.sort((a, b) => a - b);
    notes.push({
      pitch: values[Math.floor(values.length / 2)],
      start: s.from * hop,
      duration: (s.to - s.from) * hop,
      clarity: clarity / (s.to - s.from),
      levelDb: level,
    });
  }
  return notes;
}

/** Five-point median over voiced frames (NaN = unvoiced stays NaN); removes one- and two-frame spikes. */
function median5(x: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  const w: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i])) {
      out[i] = Number.NaN;
      continue;
    }
    w.length = 0;
    for (let k = i - 2; k <= i + 2; k++) if (k >= 0 && k < x.length && !Number.isNaN(x[k])) w.push(x[k]);
    w.sort((a, b) => a - b);
    out[i] = w[w.length >> 1];
  }
  return out;
}

/**
 * Optimal partitioning of y[from..to) into constant segments of at least `minLen` frames; returns the cut points
 * (from, …, to). Cost = Σ squared deviation from each segment's mean + `penalty` per segment.
 */
function partition(y: Float64Array, from: number, to: number, minLen: number, penalty: number): number[] {
  const n = to - from;
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    s1[i + 1] = s1[i] + y[from + i];
    s2[i + 1] = s2[i] + y[from + i] * y[from + i];
  }
  const best = new Float64Array(n + 1).fill(Infinity);
  const prev = new Int32Array(n + 1).fill(-1);
  best[0] = 0;
  // Long notes need no split: a cap on the searched segment length keeps the search linear for long takes.
  const maxLen = 400;
  for (let j = minLen; j <= n; j++) {
    const lo = Math.max(0, j - maxLen);
    for (let i = lo; i <= j - minLen; i++) {
      if (best[i] === Infinity || (i > 0 && i < minLen)) continue;
      const len = j - i;
      const sum = s1[j] - s1[i];
      const cost = s2[j] - s2[i] - (sum * sum) / len;
      const total = best[i] + cost + penalty;
      if (total < best[j]) {
        best[j] = total;
        prev[j] = i;
      }
    }
  }
  const cuts: number[] = [];
  let j = n;
  if (best[n] === Infinity) return [from, to];
  while (j > 0) {
    cuts.push(from + j);
    j = prev[j];
  }
  cuts.push(from);
  return cuts.reverse();
}

/** Frames where a note is re-attacked: the level rises by `articulationRiseDb` and the spectral flux peaks. */
function articulationOnsets(track: PitchTrack, midi: Float64Array, p: SegmentParameters): Uint8Array {
  const n = track.levelDb.length;
  const onset = new Uint8Array(n);
  const voicedFlux: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(midi[i])) voicedFlux.push(track.flux[i]);
  if (voicedFlux.length === 0) return onset;
  voicedFlux.sort((a, b) => a - b);
  const fluxFloor = Math.max(1e-3, voicedFlux[voicedFlux.length >> 1] * p.articulationFluxRatio);
  const reach = Math.max(1, Math.round(0.03 / track.hopSec));
  const rise = new Float64Array(n);
  for (let i = reach; i + reach < n; i++) {
    let lowest = Infinity;
    for (let k = i - reach; k <= i; k++) lowest = Math.min(lowest, track.levelDb[k]);
    let peakFlux = 0;
    for (let k = i; k <= i + reach; k++) peakFlux = Math.max(peakFlux, track.flux[k]);
    // A re-attack also disturbs the periodicity for a frame or two; steady tremolo does not.
    let clarityDip = 0;
    for (let k = i - 1; k <= i + reach; k++) clarityDip = Math.max(clarityDip, track.clarity[i - reach] - track.clarity[k]);
    const r = track.levelDb[i + reach] - lowest;
    rise[i] = peakFlux >= fluxFloor && (r >= p.articulationStrongRiseDb || clarityDip >= p.articulationClarityDip) ? r : 0;
  }
  for (let i = 1; i + 1 < n; i++) {
    if (rise[i] >= p.articulationRiseDb && rise[i] >= rise[i - 1] && rise[i] > rise[i + 1]) onset[i] = 1;
  }
  return onset;
}

/** Moves each pitch boundary of a voiced stretch onto an articulation onset within `reach` frames. */
function snapToArticulations(segments: Segment[], onsets: Uint8Array, reach: number, minLen: number): Segment[] {
  for (let s = 1; s < segments.length; s++) {
    const cut = segments[s].from;
    let best = -1;
    for (let d = 0; d <= reach && best < 0; d++) {
      if (onsets[cut - d]) best = cut - d;
      else if (onsets[cut + d]) best = cut + d;
    }
    if (best < 0) continue;
    if (best - segments[s - 1].from >= minLen && segments[s].to - best >= minLen) {
      segments[s - 1].to = best;
      segments[s].from = best;
      segments[s].articulated = true;
    }
  }
  return segments;
}

/**
 * Splits segments at articulation onsets inside them when both parts are long enough. Onsets that recur at a vibrato
 * rate (three or more, spaced by multiples of one 110–260 ms period) are the level pulsing of vibrato through formants
 * and room reverb, not re-attacks, and are ignored (a real repeat the reference asks for is recovered by the
 * score-informed step of the assessment).
 */
function splitAtArticulations(segments: Segment[], onsets: Uint8Array, minLen: number, hop: number): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const inside: number[] = [];
    for (let f = s.from + minLen; f <= s.to - minLen; f++) if (onsets[f]) inside.push(f);
    const usable = isVibratoPulse(inside, hop) ? [] : inside;
    let from = s.from;
    let articulated = s.articulated;
    for (const f of usable) {
      if (f - from < minLen) continue;
      out.push({ from, to: f, articulated });
      from = f;
      articulated = true;
    }
    out.push({ from, to: s.to, articulated });
  }
  return out;
}

/** Three or more onsets whose spacings are whole multiples (one may skip a cycle) of a 110–260 ms period. */
function isVibratoPulse(frames: number[], hop: number): boolean {
  if (frames.length < 3) return false;
  const gaps = frames.slice(1).map((f, i) => (f - frames[i]) * hop);
  const period = Math.min(...gaps);
  if (period < 0.11 || period > 0.26) return false;
  const regular = gaps.filter((g) => Math.abs(g / period - Math.round(g / period)) <= 0.2).length;
  return regular >= 0.8 * gaps.length;
}

function spreadOf(y: Float64Array, s: Segment): number {
  const v: number[] = [];
  for (let f = s.from; f < s.to; f++) if (!Number.isNaN(y[f])) v.push(y[f]);
  v.sort((a, b) => a - b);
  return v.length ? v[Math.floor(0.9 * (v.length - 1))] - v[Math.floor(0.1 * (v.length - 1))] : 0;
}

/**
 * Short segments that are not steady notes: a glide between two notes is dropped (the next note starts after it); a
 * scoop up to the first note after a silence (within `scoopSemitones`) joins that note, so its onset stays at the start
 * of the sound; a steady piece (up to twice `maxLen`) at a subharmonic of the note it runs into (the new note's period
 * doubled while it builds up under the previous one: a bowed note, a plucked string) joins that note; any other short
 * piece far from its neighbour at either end of a sound (a tracking transient) is dropped.
 */
function resolveTransients(segments: Segment[], y: Float64Array, maxLen: number, p: SegmentParameters): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    const next = segments[i + 1];
    const prev = out.at(-1);
    const short = s.to - s.from <= maxLen;
    const startsSound = !prev || prev.to !== s.from;
    const nextContiguous = next !== undefined && next.from === s.to && !next.articulated;
    // A new note's doubled period can last longer than a transient (a plucked note's attack under the ringing one).
    const subharmonicOfNext = nextContiguous && s.to - s.from <= 2 * maxLen && isSubharmonic(meanOf(y, s), meanOf(y, next));
    if (!short && !subharmonicOfNext) {
      out.push({ ...s });
      continue;
    }
    const unsteady = spreadOf(y, s) > p.glideSemitones;
    const neighbour = nextContiguous ? next : !startsSound ? prev : undefined;
    const far = neighbour !== undefined && Math.abs(meanOf(y, s) - meanOf(y, neighbour)) > p.scoopSemitones;
    if (startsSound && nextContiguous && !far && (unsteady || Math.abs(meanOf(y, s) - meanOf(y, next)) > p.mergeSemitones)) {
      // A scoop into the first note of a sound: that note starts here.
      next.from = s.from;
      next.articulated = s.articulated;
      continue;
    }
    if (subharmonicOfNext && !unsteady) {
      // The new note's period doubled or tripled while it builds up under the previous one: it starts here.
      next.from = s.from;
      next.articulated = next.articulated || s.articulated;
      continue;
    }
    if (unsteady || far) continue;
    out.push({ ...s });
  }
  return out;
}

/** Whether `low` lies an octave, an octave and a fifth or two octaves below `high` (within half a semitone). */
function isSubharmonic(low: number, high: number): boolean {
  return [12, 19, 24].some((d) => Math.abs(high - low - d) <= 0.5);
}

function meanOf(y: Float64Array, s: Segment): number {
  let sum = 0;
  let count = 0;
  for (let f = s.from; f < s.to; f++) {
    if (!Number.isNaN(y[f])) {
      sum += y[f];
      count++;
    }
  }
  return count ? sum / count : Number.NaN;
}

/** Merges contiguous neighbours whose mean pitches differ by less than `semitones` when no articulation separates them. */
function mergeNeighbours(segments: Segment[], y: Float64Array, semitones: number): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out.at(-1);
    if (last && last.to === s.from && !s.articulated && Math.abs(meanOf(y, last) - meanOf(y, s)) < semitones) last.to = s.to;
    else out.push({ ...s });
  }
  return out;
}

/**
 * Merges chains of ≥ 4 contiguous segments that alternate up/down around a common centre and whose inner segments are
 * all short (wide vibrato the penalty did not absorb); the first and last may be longer (a steady start or end).
 */
function mergeVibratoChains(segments: Segment[], y: Float64Array, maxLen: number, spread: number): Segment[] {
  const out: Segment[] = [];
  const len = (s: Segment) => s.to - s.from;
  let i = 0;
  while (i < segments.length) {
    let j = i + 1;
    const means = [meanOf(y, segments[i])];
    while (j < segments.length && segments[j].from === segments[j - 1].to && !segments[j].articulated && (j === i + 1 || len(segments[j - 1]) <= maxLen)) {
      const m = meanOf(y, segments[j]);
      const k = means.length;
      if (k >= 2 && Math.sign(m - means[k - 1]) === Math.sign(means[k - 1] - means[k - 2])) break;
      means.push(m);
      j++;
    }
    // The last accepted segment may be long; an inner one may not.
    const centre = means.reduce((a, b) => a + b, 0) / means.length;
    if (j - i >= 4 && means.every((m) => Math.abs(m - centre) <= spread)) {
      out.push({ from: segments[i].from, to: segments[j - 1].to, articulated: segments[i].articulated });
      i = j;
    } else {
      out.push({ ...segments[i] });
      i++;
    }
  }
  return out;
}
