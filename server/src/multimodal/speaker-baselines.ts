import type { SpeakerBaseline } from './engine/voice/speaker-baseline';

/** Users whose voice baseline is kept (about 1.3 kB each); the least recently heard are forgotten first. */
export const MAX_SPEAKER_BASELINES = 10_000;

/**
 * Each user's running voice baseline (the mean of their recordings' features, no audio and no labels), kept in this
 * process's memory only: it is rebuilt from the next recordings after a restart, and each API replica has its own.
 */
export class SpeakerBaselines {
  private readonly byUser = new Map<string, SpeakerBaseline>();

  constructor(private readonly capacity = MAX_SPEAKER_BASELINES) {}

  /** The user's baseline, made by `create` the first time; marks the user as the most recently heard. */
  of(userId: string, create: () => SpeakerBaseline): SpeakerBaseline {
    let baseline = this.byUser.get(userId);
    if (baseline) this.byUser.delete(userId);
    else baseline = create();
    this.byUser.set(userId, baseline);
    if (this.byUser.size > this.capacity) this.byUser.delete(this.byUser.keys().next().value!);
    return baseline;
  }

  get size(): number {
    return this.byUser.size;
  }
}
