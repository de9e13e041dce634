import { mod12, tonicName } from '../../music/engine/theory';
import { KEY_PROFILES, KeyProfileName } from './key-profiles';
import { SoundingNotes } from './sounding-notes';
import { EnsembleNote, KeyEstimate, KeyMode } from './types';

export interface KeyListenerOptions {
  /** Key profile (default 'albrecht-shanahan'). */
  profile?: KeyProfileName;
  /** Half-life of the pitch-class memory, ms (default 12 000): what was played that long ago counts half. */
  halfLifeMs?: number;
  /** Weight an onset adds at once, in sounding seconds (default 0.25), so a note counts from its first moment. */
  onsetWeight?: number;
}

/**
 * The 24 rotated profiles of a profile set (index tonic (0–11) + 12 × (mode === 'minor')), each centred and scaled to
 * unit length, so that a correlation with them is one dot product: r = Σ wᵢ·p̂ᵢ / ‖w − w̄‖ (Pearson's r, since p̂ sums
 * to zero).
 */
function standardisedProfiles(name: KeyProfileName): Float64Array[] {
  const out: Float64Array[] = [];
  for (const mode of ['major', 'minor'] as const) {
    for (let tonic = 0; tonic < 12; tonic++) {
      const p = Float64Array.from({ length: 12 }, (_, pc) => KEY_PROFILES[name][mode][mod12(pc - tonic)]);
      const mean = p.reduce((a, b) => a + b, 0) / 12;
      const norm = Math.sqrt(p.reduce((a, b) => a + (b - mean) ** 2, 0));
      out.push(p.map((v) => (v - mean) / norm));
    }
  }
  return out;
}

/** Best key for pitch-class weights (Krumhansl–Schmuckler: correlation with the 24 rotated profiles); undefined when silent. */
export function keyFromPitchClasses(weights: ArrayLike<number>, profile: KeyProfileName = 'albrecht-shanahan'): KeyEstimate | undefined {
  return bestKey(weights, standardisedProfiles(profile));
}

function bestKey(weights: ArrayLike<number>, profiles: readonly Float64Array[]): KeyEstimate | undefined {
  let total = 0;
  for (let i = 0; i < 12; i++) total += weights[i];
  if (!(total > 1e-6)) return undefined;
  const mean = total / 12;
  let spread = 0;
  for (let i = 0; i < 12; i++) spread += (weights[i] - mean) ** 2;
  const scale = spread > 0 ? 1 / Math.sqrt(spread) : 0;
  let best = -1;
  let bestR = -Infinity;
  let second = -Infinity;
  for (let k = 0; k < profiles.length; k++) {
    const p = profiles[k];
    let dot = 0;
    for (let i = 0; i < 12; i++) dot += weights[i] * p[i];
    const r = dot * scale;
    if (r > bestR) {
      second = bestR;
      bestR = r;
      best = k;
    } else if (r > second) second = r;
  }
  const tonic = best % 12;
  const mode: KeyMode = best < 12 ? 'major' : 'minor';
  return { tonic, mode, name: `${tonicName(tonic, mode)} ${mode}`, correlation: bestR, margin: bestR - second };
}

/**
 * Streaming key finder: a pitch-class memory of what the players sound (seconds of sounding, plus a little at each
 * onset), decaying with a half-life, correlated with the key profiles whenever an estimate is asked for.
 */
export class KeyListener {
  private readonly profiles: Float64Array[];
  private readonly halfLifeMs: number;
  private readonly onsetWeight: number;
  private readonly notes = new SoundingNotes();
  private readonly memory = new Float64Array(12);
  private last = -Infinity;
  /**
   * The last estimate, while nothing but time has passed: the memory then only decays, all of it by the same factor,
   * which leaves every correlation as it was (rooms ask at every planning run, mostly between notes).
   */
  private cached?: { estimate: KeyEstimate | undefined };

  constructor(options: KeyListenerOptions = {}) {
    this.profiles = standardisedProfiles(options.profile ?? 'albrecht-shanahan');
    this.halfLifeMs = options.halfLifeMs ?? 12_000;
    this.onsetWeight = options.onsetWeight ?? 0.25;
    if (!(this.halfLifeMs > 0)) throw new RangeError(`halfLifeMs must be positive, got ${this.halfLifeMs}`);
  }

  /** Takes a player's note event (pitched channels only; drums are ignored). */
  hear(e: EnsembleNote): void {
    this.advance(e.time);
    if (this.notes.apply(e) === 'on') {
      this.memory[mod12(e.pitch)] += this.onsetWeight;
      this.cached = undefined;
    }
  }

  /** The key at `time` (shared ms, not earlier than the last event), undefined before any note. */
  estimate(time: number): KeyEstimate | undefined {
    this.advance(time);
    // Decay alone can still take the memory under bestKey's silence threshold: then it is asked again.
    if (!this.cached?.estimate || !(this.memory.reduce((a, b) => a + b, 0) > 1e-6)) this.cached = { estimate: bestKey(this.memory, this.profiles) };
    return this.cached.estimate;
  }

  /** The decayed pitch-class weights at `time` (sounding seconds), C first. */
  pitchClassWeights(time: number): number[] {
    this.advance(time);
    return [...this.memory];
  }

  private advance(time: number): void {
    if (!Number.isFinite(time)) return;
    if (this.last === -Infinity) this.last = time;
    if (time <= this.last) return;
    const h = this.halfLifeMs;
    const decay = 2 ** (-(time - this.last) / h);
    for (let i = 0; i < 12; i++) this.memory[i] *= decay;
    // Each sounding span [a, b] adds ∫ 2^(−(time − s)/h) ds, in seconds.
    const k = h / Math.LN2 / 1000;
    const notes = this.notes;
    for (let i = 0; i < notes.size; i++) {
      const a = notes.spanStart(i, this.last);
      const b = notes.spanEnd(i, time);
      if (b <= a) continue;
      this.memory[mod12(notes.pitchAt(i))] += k * (2 ** (-(time - b) / h) - 2 ** (-(time - a) / h));
      this.cached = undefined;
    }
    this.notes.prune(time);
    this.last = time;
  }
}
