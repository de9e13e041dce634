/**
 * One speaker's running mean feature vector, the speaker-adapted classifier's reference: emotion shows as a
 * departure from how this person usually sounds (their pitch, timbre, pace), which a model trained on other speakers
 * cannot know. Built from the speaker's own recordings without any labels; the mean of the first `window` recordings,
 * then an exponential moving average over about that many, so it follows a voice that changes (a new microphone).
 */
export const BASELINE_WINDOW = 50;

export class SpeakerBaseline {
  private readonly sum: Float64Array;
  private n = 0;

  constructor(
    readonly dimensions: number,
    private readonly window = BASELINE_WINDOW,
  ) {
    this.sum = new Float64Array(dimensions);
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
