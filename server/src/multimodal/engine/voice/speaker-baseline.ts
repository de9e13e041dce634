/**
 * One speaker's running mean feature vector, the speaker-adapted classifier's reference: emotion shows as a
 * departure from how this person usually sounds (their pitch, timbre, pace), which a model trained on other speakers
 * cannot know. Built from the speaker's own recordings without any labels; the mean of the first `window` recordings,
 * then an exponential moving average over about that many, so it follows a voice that changes (a new microphone, or
 * another person on the account: docs/multimodal-engine.md, "One account, several speakers").
 */
export const BASELINE_WINDOW = 30;

/** What is kept of a baseline between recordings (no audio, no labels). */
export interface SpeakerBaselineState {
  recordings: number;
  mean: number[];
}

export class SpeakerBaseline {
  private readonly sum: Float64Array;
  private n = 0;

  constructor(
    readonly dimensions: number,
    private readonly window = BASELINE_WINDOW,
  ) {
    this.sum = new Float64Array(dimensions);
  }

  /** A baseline picked up where `state` left it; a state of another length (from a replaced model) starts afresh. */
  static restore(dimensions: number, state?: SpeakerBaselineState, window = BASELINE_WINDOW): SpeakerBaseline {
    const baseline = new SpeakerBaseline(dimensions, window);
    if (state && state.recordings > 0 && state.mean.length === dimensions && state.mean.every(Number.isFinite)) {
      baseline.n = state.recordings;
      baseline.sum.set(state.mean);
    }
    return baseline;
  }

  state(): SpeakerBaselineState {
    return { recordings: this.n, mean: Array.from(this.sum) };
  }

  /** Recordings heard so far. */
  get count(): number {
    return this.n;
  }

  /** The current mean (a copy is not made: read it, do not keep it). */
  get mean(): Float64Array {
    return this.sum;
  }

  add(features: ArrayLike<number>): void {
    if (features.length !== this.dimensions) throw new RangeError(`expected ${this.dimensions} features, got ${features.length}`);
    this.n++;
    const rate = 1 / Math.min(this.n, this.window);
    for (let j = 0; j < this.dimensions; j++) this.sum[j] += rate * (features[j] - this.sum[j]);
  }
}
