/**
 * Score-informed re-attacks. A repeated pitch played legato (or blurred by room reverb) often leaves only a faint
 * re-attack, below what blind segmentation accepts. When the reference says a note starts inside a played note that is
 * already matched to an earlier reference note, and the played note has this note's pitch (a repeat the reference asks
 * for, a third repeat in one breath, or a wrong note that happened to be the next note's pitch and was held into it) —
 * or when the alignment gave such a held note to the later reference note although it started at the earlier one — the
 * evidence is looked for there only (±150 ms of the aligned onset), with a lower bar: a level rise of 1.5 dB over 30 ms
 * together with a spectral-flux peak of 1.5 times the take's median, or a dip in periodicity. If found, the played note
 * is split there; if not, the note stays whole and the later note is `missed` (it really was held).
 */
import type { DetectedNote } from '../notes/segment';
import { hzToMidi, type PitchTrack } from '../pitch/pitch-tracker';
import { align } from './align';
import type { ReferenceNote } from './types';

const SEARCH_SEC = 0.15;
const MIN_PART_SEC = 0.06;
const RISE_DB = 1.5;
const FLUX_RATIO = 1.5;
const CLARITY_DIP = 0.03;

/** Splits played notes where the reference has a repeated pitch and the recording shows a faint re-attack. */
export function splitRepeatedNotes(reference: ReferenceNote[], detected: DetectedNote[], track: PitchTrack): DetectedNote[] {
  const sorted = [...reference].sort((a, b) => a.start - b.start);
  const { offsetSec, tempoRatio, pairs } = align(sorted, detected);
  const matched = new Map(pairs);
  const hop = track.hopSec;
  const voicedFlux = Array.from(track.flux)
    .filter((_, i) => track.f0Hz[i] > 0)
    .sort((a, b) => a - b);
  const fluxFloor = FLUX_RATIO * (voicedFlux[voicedFlux.length >> 1] ?? 0);
  const cuts = new Map<number, number[]>();
  const matchedTo = new Map(pairs.map(([k, j]) => [j, k]));
  const onsetOf = (k: number) => offsetSec + tempoRatio * sorted[k].start;
  const covers = (d: DetectedNote, t: number, k: number) =>
    t - d.start >= MIN_PART_SEC && d.start + d.duration - t >= MIN_PART_SEC && Math.abs(d.pitch - sorted[k].pitch) <= 0.5;
  for (let k = 1; k < sorted.length; k++) {
    const t = onsetOf(k);
    let j = matched.get(k) ?? -1;
    if (j < 0) {
      // The played note sounding at the expected onset, already matched to an earlier reference note, at this note's pitch.
      j = detected.findIndex((d, i) => (matchedTo.get(i) ?? k) < k && covers(d, t, k));
    } else if (matched.has(k - 1) || !covers(detected[j], t, k) || Math.abs(detected[j].start - onsetOf(k - 1)) >= Math.abs(detected[j].start - t)) {
      // Or the note matched here started at the previous (unmatched) note's time: the previous note was held into this one.
      j = -1;
    }
    if (j < 0) continue;
    const d = detected[j];
    const lo = Math.max(Math.ceil((d.start + MIN_PART_SEC) / hop), Math.round((t - SEARCH_SEC) / hop));
    const hi = Math.min(Math.floor((d.start + d.duration - MIN_PART_SEC) / hop), Math.round((t + SEARCH_SEC) / hop));
    let best = -1;
    let bestScore = 0;
    for (let f = Math.max(3, lo); f <= hi && f + 3 < track.levelDb.length; f++) {
      const rise = track.levelDb[f + 3] - Math.min(track.levelDb[f - 3], track.levelDb[f - 2], track.levelDb[f - 1], track.levelDb[f]);
      const flux = Math.max(track.flux[f], track.flux[f + 1], track.flux[f + 2]);
      const dip = track.clarity[f - 3] - Math.min(track.clarity[f], track.clarity[f + 1], track.clarity[f + 2]);
      const evidence = (rise >= RISE_DB && flux >= fluxFloor) || dip >= CLARITY_DIP ? rise / RISE_DB + dip / CLARITY_DIP + flux / Math.max(fluxFloor, 1e-9) : 0;
      // Prefer evidence near the expected onset.
      const score = evidence / (1 + Math.abs(f * hop - t) / SEARCH_SEC);
      if (score > bestScore) {
        bestScore = score;
        best = f;
      }
    }
    if (best >= 0) cuts.set(j, [...(cuts.get(j) ?? []), best * hop]);
  }
  if (cuts.size === 0) return detected;
  const out: DetectedNote[] = [];
  detected.forEach((d, j) => {
    const at = cuts.get(j);
    if (!at) {
      out.push(d);
      return;
    }
    const bounds = [d.start, ...at.sort((a, b) => a - b), d.start + d.duration];
    for (let b = 0; b + 1 < bounds.length; b++) {
      const from = bounds[b];
      const to = bounds[b + 1];
      out.push({ ...d, start: from, duration: to - from, pitch: medianPitch(track, from, to) ?? d.pitch });
    }
  });
  return out;
}

function medianPitch(track: PitchTrack, from: number, to: number): number | undefined {
  const values: number[] = [];
  for (let f = Math.ceil(from / track.hopSec); f < Math.floor(to / track.hopSec); f++) if (track.f0Hz[f] > 0) values.push(hzToMidi(track.f0Hz[f]));
  values.sort((a, b) => a - b);
  return values.length ? values[values.length >> 1] : undefined;
}
