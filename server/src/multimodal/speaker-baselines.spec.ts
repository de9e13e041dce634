import { SpeakerBaseline } from './engine/voice/speaker-baseline';
import { SpeakerBaselines } from './speaker-baselines';

describe('SpeakerBaselines', () => {
  it('keeps one baseline per user and forgets the least recently heard beyond its capacity', () => {
    const baselines = new SpeakerBaselines(2);
    const create = () => new SpeakerBaseline(1);
    const a = baselines.of('a', create);
    expect(baselines.of('a', create)).toBe(a);
    const b = baselines.of('b', create);
    expect(b).not.toBe(a);
    baselines.of('a', create); // a is now more recent than b
    baselines.of('c', create);
    expect(baselines.size).toBe(2);
    expect(baselines.of('a', create)).toBe(a);
    expect(baselines.of('b', create)).not.toBe(b);
  });
});
