import { harmonySchemeFor, TRIAD_INTERVALS } from '../../music/engine/harmony-table';
import { mod12, tonicName } from '../../music/engine/theory';
import { SoundingNotes } from './sounding-notes';
import { ChordEstimate, ChordQuality, EnsembleNote, KeyMode } from './types';

/**
 * Chord model of the listener (data). A chord "emits" pitch classes: its three tones carry most of the weight, the
 * seventh above the root some (dominant and minor sevenths are everyday colour), every other pitch class a little
 * (passing and neighbour notes). A note counts as one draw when it starts and two more per second it is held, so a
 * held chord convinces faster than a passing note; hand-set, not fitted to any corpus.
 */
export const CHORD_MODEL = {
  qualities: ['maj', 'min', 'dim'] as const,
  /** Share of each chord tone: root, third, fifth. */
  toneShares: [0.26, 0.24, 0.22],
  /** Share of the seventh above the root (minor seventh; diminished seventh for a diminished triad). */
  seventhShare: 0.06,
  /** Share of the chromatic floor: the transition mass that ignores the harmony model (any chord can follow). */
  chromaticShare: 0.1,
  /**
   * Harmony changes where notes are struck: the chance of a change at a new onset, and the extra chance for each
   * further note struck with it (a struck chord is the likeliest place for a new harmony). Between onsets the chord
   * drifts only slowly (`meanChordMs`).
   */
  onsetChange: 0.15,
  clusterChange: 0.2,
  /** Notes this close together are struck together, ms. */
  clusterMs: 30,
  /**
   * Template matching on a struck chord (three notes or more at once): each tone of a candidate chord missing from
   * it multiplies that chord's odds by this factor, since a player striking a chord strikes its tones.
   */
  missingTone: 0.3,
};

const SEVENTH: Record<ChordQuality, number> = { maj: 10, min: 10, dim: 9 };
const QUALITY_OF_DEF: Record<string, ChordQuality> = { maj: 'maj', dom7: 'maj', min: 'min', dim: 'dim' };

/** Number of chord states: 12 roots × 3 qualities. */
export const CHORD_STATES = 36;

const stateOf = (root: number, quality: ChordQuality) => CHORD_MODEL.qualities.indexOf(quality) * 12 + mod12(root);

/** The chord of a state index (root + 12 × quality). */
export function chordOfState(state: number): { root: number; quality: ChordQuality; pitchClasses: number[]; name: string } {
  const root = state % 12;
  const quality = CHORD_MODEL.qualities[Math.floor(state / 12)];
  const pitchClasses = TRIAD_INTERVALS[quality].map((i) => mod12(root + i));
  const suffix = quality === 'maj' ? '' : quality === 'min' ? 'm' : 'dim';
  return { root, quality, pitchClasses, name: `${tonicName(root, quality === 'maj' ? 'major' : 'minor')}${suffix}` };
}

/** log P(pitch class | chord) for every state: 36 rows of 12. */
function emissionTable(): Float64Array[] {
  return Array.from({ length: CHORD_STATES }, (_, s) => {
    const { root, quality, pitchClasses } = chordOfState(s);
    const p = new Float64Array(12);
    const toneMass = CHORD_MODEL.toneShares.reduce((a, b) => a + b, 0);
    const rest = (1 - toneMass - CHORD_MODEL.seventhShare) / 8;
    p.fill(rest);
    pitchClasses.forEach((pc, i) => (p[pc] = CHORD_MODEL.toneShares[i]));
    p[mod12(root + SEVENTH[quality])] = CHORD_MODEL.seventhShare;
    return p.map(Math.log);
  });
}

/**
 * Chord-change probabilities in a key, from the music engine's harmony model (first-order Roman-numeral transitions
 * of its major or minor scheme) mapped onto the 36 chord states, blended with a uniform chromatic floor. Row = from,
 * column = to, diagonal 0 (staying is handled by the listener's chord duration). Without a key: uniform.
 */
export function chordChangeMatrix(key: { tonic: number; mode: KeyMode } | undefined): Float64Array[] {
  const n = CHORD_STATES;
  const uniform = 1 / (n - 1);
  const rows = Array.from({ length: n }, (_, i) => new Float64Array(n).map((_, j) => (i === j ? 0 : uniform)));
  if (!key) return rows;
  const scheme = harmonySchemeFor(key.mode, 'diatonic');
  const numeralState = new Map<string, number>();
  for (const [numeral, def] of Object.entries(scheme.chords)) numeralState.set(numeral, stateOf(key.tonic + def.root, QUALITY_OF_DEF[def.quality]));
  const diatonic = [...new Set(numeralState.values())];
  const harmonic = Array.from({ length: n }, () => new Float64Array(n));
  for (const [from, targets] of Object.entries(scheme.transitions)) {
    const i = numeralState.get(from)!;
    for (const [to, w] of Object.entries(targets)) {
      const j = numeralState.get(to)!;
      if (i !== j) harmonic[i][j] += w;
    }
  }
  for (let i = 0; i < n; i++) {
    let total = harmonic[i].reduce((s, w) => s + w, 0);
    if (total <= 0) {
      // A chord outside the key (or one the model never leaves): return to any of the key's chords.
      for (const j of diatonic) if (j !== i) harmonic[i][j] = 1;
      total = harmonic[i].reduce((s, w) => s + w, 0);
    }
    for (let j = 0; j < n; j++) {
      rows[i][j] = i === j ? 0 : (1 - CHORD_MODEL.chromaticShare) * (harmonic[i][j] / total) + CHORD_MODEL.chromaticShare * uniform;
    }
  }
  return rows;
}

/**
 * A change matrix as a per-row floor plus what each row has above it, column by column: Σᵢ pᵢ·M[i][j] =
 * Σᵢ pᵢ·floorᵢ − pⱼ·floorⱼ + Σ (pᵢ·extra) over column j's entries. The matrix's chromatic floor makes every row
 * nearly flat, so a transition costs the 36 states plus the harmony model's few transitions (a few hundred products)
 * instead of all 1,296: the same numbers, for the listener that runs on every note of every room.
 */
interface SparseChange {
  floor: Float64Array;
  /** Per column j: the rows i whose M[i][j] exceeds row i's floor, and by how much. */
  columns: { rows: Int32Array; extra: Float64Array }[];
}

function sparseChange(matrix: readonly Float64Array[]): SparseChange {
  const n = matrix.length;
  const floor = Float64Array.from(matrix, (row, i) => Math.min(...Array.from(row).filter((_, j) => j !== i)));
  const columns = Array.from({ length: n }, (_, j) => {
    const rows: number[] = [];
    const extra: number[] = [];
    for (let i = 0; i < n; i++) {
      const above = i === j ? 0 : matrix[i][j] - floor[i];
      if (above > 0) {
        rows.push(i);
        extra.push(above);
      }
    }
    return { rows: Int32Array.from(rows), extra: Float64Array.from(extra) };
  });
  return { floor, columns };
}

/** How many bits of a pitch-class set (12 bits) are set. */
function bitCount(bits: number): number {
  let n = 0;
  for (let b = bits; b !== 0; b &= b - 1) n++;
  return n;
}

export interface ChordListenerOptions {
  /** Mean time a chord lasts without new onsets, ms (default 8000): the slow drift between struck notes. */
  meanChordMs?: number;
  /** Evidence a note adds when it starts, in draws from the chord's pitch-class distribution (default 1). */
  onsetWeight?: number;
  /** Evidence a note adds per second it is held, in draws (default 2: at 120 BPM a note held a beat counts twice). */
  sustainPerSec?: number;
  /** Use the music engine's harmony model as the prior on chord changes once a key is set (default true). */
  harmonyPrior?: boolean;
}

/**
 * Streaming chord recogniser: a 36-state hidden Markov model (12 roots × major, minor, diminished) filtered forward
 * as events arrive. The chord may change where notes are struck (a chance per onset, more for a struck chord) and
 * drifts slowly in between (probability exp(−Δt / meanChordMs) of staying); a change moves along the harmony model's
 * transitions in the current key. The notes are the evidence (template matching as a likelihood: a note's onset is
 * one draw from the chord's pitch-class distribution, and holding it adds more draws).
 */
export class ChordListener {
  private static readonly emissions = emissionTable();
  /** Each chord state's pitch classes as bits (bit pc set). */
  private static readonly stateMasks = Array.from({ length: CHORD_STATES }, (_, s) => chordOfState(s).pitchClasses.reduce((m, pc) => m | (1 << pc), 0));
  private readonly meanChordMs: number;
  private readonly onsetWeight: number;
  private readonly sustainPerSec: number;
  private readonly harmonyPrior: boolean;
  /**
   * The change matrix of each key (25 at most: 24 keys and none), built once per process and shared by every room's
   * listener: a listener of its own rebuilt them as its key estimate wandered, about 10 kB a key for every room.
   */
  private static readonly matrices = new Map<string, SparseChange>();
  private readonly notes = new SoundingNotes();
  private change: SparseChange;
  private keyId = '';
  private posterior = new Float64Array(CHORD_STATES).fill(1 / CHORD_STATES);
  /** Scratch buffers, reused so a note event allocates nothing. */
  private prior = new Float64Array(CHORD_STATES);
  private readonly logs = new Float64Array(CHORD_STATES);
  private readonly evidence = new Float64Array(12);
  /** The pitch classes with evidence in `evidence` (the first `evidenceCount`; the rest of `evidence` is zero). */
  private readonly evidencePcs = new Uint8Array(12);
  private evidenceCount = 0;
  private last = -Infinity;
  private lastOnset = -Infinity;
  private heard = false;
  /** Pitch classes struck together in the current onset cluster (bit pc), and the missing-tone count already applied per chord. */
  private cluster = 0;
  private readonly appliedMissing = new Float64Array(CHORD_STATES);

  constructor(options: ChordListenerOptions = {}) {
    this.meanChordMs = options.meanChordMs ?? 8000;
    this.onsetWeight = options.onsetWeight ?? 1;
    this.sustainPerSec = options.sustainPerSec ?? 2;
    this.harmonyPrior = options.harmonyPrior ?? true;
    if (!(this.meanChordMs > 0)) throw new RangeError(`meanChordMs must be positive, got ${this.meanChordMs}`);
    this.change = this.matrixFor(undefined);
  }

  /** Sets the key whose harmony shapes the chord-change prior (undefined: no key, uniform changes). */
  setKey(key: { tonic: number; mode: KeyMode } | undefined): void {
    this.change = this.matrixFor(this.harmonyPrior ? key : undefined);
  }

  private clearEvidence(): void {
    for (let k = 0; k < this.evidenceCount; k++) this.evidence[this.evidencePcs[k]] = 0;
    this.evidenceCount = 0;
  }

  private addEvidence(pc: number, weight: number): void {
    if (this.evidence[pc] === 0) this.evidencePcs[this.evidenceCount++] = pc;
    this.evidence[pc] += weight;
  }

  /** Takes a player's note event (pitched channels only). */
  hear(e: EnsembleNote): void {
    this.advance(e.time);
    if (this.notes.apply(e) !== 'on') return;
    this.heard = true;
    const together = e.time - this.lastOnset < CHORD_MODEL.clusterMs;
    this.lastOnset = e.time;
    if (!together) {
      this.cluster = 0;
      this.appliedMissing.fill(0);
    }
    this.transition(1 - (together ? CHORD_MODEL.clusterChange : CHORD_MODEL.onsetChange));
    this.clearEvidence();
    this.addEvidence(mod12(e.pitch), this.onsetWeight);
    this.observe();
    this.cluster |= 1 << mod12(e.pitch);
    if (bitCount(this.cluster) >= 3) this.matchTemplates();
  }

  /** The most probable chord at `time` (shared ms, not earlier than the last event); undefined before any note. */
  estimate(time: number): ChordEstimate | undefined {
    this.advance(time);
    if (!this.heard) return undefined;
    let best = 0;
    for (let s = 1; s < CHORD_STATES; s++) if (this.posterior[s] > this.posterior[best]) best = s;
    const c = chordOfState(best);
    return { root: c.root, quality: c.quality, name: c.name, pitchClasses: c.pitchClasses, probability: this.posterior[best] };
  }

  /** Posterior probability of every chord state at `time` (index root + 12 × quality: maj, min, dim). */
  probabilities(time: number): number[] {
    this.advance(time);
    return [...this.posterior];
  }

  private matrixFor(key: { tonic: number; mode: KeyMode } | undefined): SparseChange {
    const id = key ? `${key.tonic}:${key.mode}` : 'none';
    if (id === this.keyId && this.change) return this.change;
    this.keyId = id;
    let m = ChordListener.matrices.get(id);
    if (!m) {
      m = sparseChange(chordChangeMatrix(key));
      ChordListener.matrices.set(id, m);
    }
    return m;
  }

  private advance(time: number): void {
    if (!Number.isFinite(time)) return;
    if (this.last === -Infinity) this.last = time;
    if (time <= this.last) return;
    this.transition(Math.exp(-(time - this.last) / this.meanChordMs));
    this.clearEvidence();
    const notes = this.notes;
    for (let i = 0; i < notes.size; i++) {
      const start = notes.spanStart(i, this.last);
      const end = notes.spanEnd(i, time);
      if (end > start) this.addEvidence(mod12(notes.pitchAt(i)), ((end - start) / 1000) * this.sustainPerSec);
    }
    if (this.evidenceCount > 0) this.observe();
    this.notes.prune(time);
    this.last = time;
  }

  /** A struck chord's missing tones count against each candidate (applied incrementally as the cluster's notes arrive). */
  private matchTemplates(): void {
    const logMissing = Math.log(CHORD_MODEL.missingTone);
    let total = 0;
    for (let s = 0; s < CHORD_STATES; s++) {
      const missing = bitCount(ChordListener.stateMasks[s] & ~this.cluster);
      this.posterior[s] *= Math.exp((missing - this.appliedMissing[s]) * logMissing);
      this.appliedMissing[s] = missing;
      total += this.posterior[s];
    }
    if (total > 0) for (let s = 0; s < CHORD_STATES; s++) this.posterior[s] /= total;
  }

  /** One step of the chain: the chord stays with probability `stay`, otherwise moves along the change matrix. */
  private transition(stay: number): void {
    const p = this.posterior;
    const prior = this.prior;
    const { floor, columns } = this.change;
    const move = 1 - stay;
    let floorMass = 0;
    for (let i = 0; i < CHORD_STATES; i++) floorMass += p[i] * floor[i];
    for (let j = 0; j < CHORD_STATES; j++) {
      const { rows, extra } = columns[j];
      let moved = floorMass - p[j] * floor[j];
      for (let k = 0; k < rows.length; k++) moved += p[rows[k]] * extra[k];
      prior[j] = stay * p[j] + move * moved;
    }
    this.prior = p;
    this.posterior = prior;
  }

  /** Multiplies the posterior by the likelihood of the collected evidence and renormalises. */
  private observe(): void {
    const logs = this.logs;
    let max = -Infinity;
    const pcs = this.evidencePcs;
    const count = this.evidenceCount;
    for (let s = 0; s < CHORD_STATES; s++) {
      const e = ChordListener.emissions[s];
      let l = 0;
      for (let k = 0; k < count; k++) l += this.evidence[pcs[k]] * e[pcs[k]];
      logs[s] = l;
      if (l > max) max = l;
    }
    let total = 0;
    for (let s = 0; s < CHORD_STATES; s++) {
      this.posterior[s] *= Math.exp(logs[s] - max);
      total += this.posterior[s];
    }
    if (total > 0) for (let s = 0; s < CHORD_STATES; s++) this.posterior[s] /= total;
    else this.posterior.fill(1 / CHORD_STATES);
  }
}
