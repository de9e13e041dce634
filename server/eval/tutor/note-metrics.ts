/**
 * Note-level transcription F1 as mir_eval.transcription with offsets ignored: a reference and an estimated note match
 * when their onsets are within 50 ms and their pitches within 50 cents; the matching is a maximum bipartite matching.
 */

/** A note: onset (s), pitch (fractional MIDI). */
export interface OnsetPitch {
  start: number;
  pitch: number;
}

export interface NoteScores {
  precision: number;
  recall: number;
  f1: number;
  /** F1 on onsets alone (any pitch). */
  onsetF1: number;
  reference: number;
  estimated: number;
}

/** Size of a maximum matching between `a` and `b` under `ok` (augmenting paths; a few hundred notes at most). */
function maxMatching(a: number, b: number, ok: (i: number, j: number) => boolean): number {
  const matchB = new Int32Array(b).fill(-1);
  const adj: number[][] = [];
  for (let i = 0; i < a; i++) {
    adj.push([]);
    for (let j = 0; j < b; j++) if (ok(i, j)) adj[i].push(j);
  }
  const tryAssign = (i: number, seen: Uint8Array): boolean => {
    for (const j of adj[i]) {
      if (seen[j]) continue;
      seen[j] = 1;
      if (matchB[j] < 0 || tryAssign(matchB[j], seen)) {
        matchB[j] = i;
        return true;
      }
    }
    return false;
  };
  let count = 0;
  for (let i = 0; i < a; i++) if (tryAssign(i, new Uint8Array(b))) count++;
  return count;
}

const f1 = (p: number, r: number) => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

/** Onset/pitch precision, recall and F1 (onset ± `onsetTolSec`, pitch ± `pitchTolCents`). */
export function scoreNotes(reference: OnsetPitch[], estimate: OnsetPitch[], onsetTolSec = 0.05, pitchTolCents = 50): NoteScores {
  const both = maxMatching(
    reference.length,
    estimate.length,
    (i, j) =>
      Math.abs(reference[i].start - estimate[j].start) <= onsetTolSec + 1e-9 && Math.abs(reference[i].pitch - estimate[j].pitch) * 100 <= pitchTolCents + 1e-9,
  );
  const onsets = maxMatching(reference.length, estimate.length, (i, j) => Math.abs(reference[i].start - estimate[j].start) <= onsetTolSec + 1e-9);
  const precision = estimate.length ? both / estimate.length : 0;
  const recall = reference.length ? both / reference.length : 0;
  const op = estimate.length ? onsets / estimate.length : 0;
  const or = reference.length ? onsets / reference.length : 0;
  return { precision, recall, f1: f1(precision, recall), onsetF1: f1(op, or), reference: reference.length, estimated: estimate.length };
}
