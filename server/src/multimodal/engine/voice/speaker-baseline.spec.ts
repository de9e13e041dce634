import { SpeakerBaseline } from './speaker-baseline';

describe('SpeakerBaseline', () => {
  it('is the mean of the recordings heard, then a moving average over about the window', () => {
    const baseline = new SpeakerBaseline(2, 3);
    baseline.add([1, 10]);
    baseline.add([3, 20]);
    expect(baseline.count).toBe(2);
    expect(Array.from(baseline.mean)).toEqual([2, 15]);
    baseline.add([5, 30]);
    expect(Array.from(baseline.mean)).toEqual([3, 20]);
    // Past the window each new recording moves the mean by a third of its distance, so old ones fade.
    baseline.add([9, 20]);
    expect(Array.from(baseline.mean)).toEqual([5, 20]);
    expect(baseline.count).toBe(4);
  });

  it('refuses a feature vector of another length', () => {
    expect(() => new SpeakerBaseline(3).add([1, 2])).toThrow(RangeError);
  });

  it('picks up from its stored state exactly where it left off', () => {
    const kept = new SpeakerBaseline(2, 3);
    const restored = new SpeakerBaseline(2, 3);
    for (const features of [
      [1, 10],
      [3, 20],
    ])
      kept.add(features);
    const again = SpeakerBaseline.restore(2, JSON.parse(JSON.stringify(kept.state())) as ReturnType<SpeakerBaseline['state']>, 3);
    for (const features of [
      [1, 10],
      [3, 20],
    ])
      restored.add(features);
    for (const features of [
      [5, 30],
      [9, 20],
    ]) {
      kept.add(features);
      again.add(features);
    }
    expect(again.count).toBe(4);
    expect(Array.from(again.mean)).toEqual(Array.from(kept.mean));
    expect(restored.state()).toEqual({ recordings: 2, mean: [2, 15] });
  });

  it('starts afresh from a state of another length or with a non-number (a replaced model, a damaged row)', () => {
    expect(SpeakerBaseline.restore(3, { recordings: 7, mean: [1, 2] }).count).toBe(0);
    expect(SpeakerBaseline.restore(2, { recordings: 7, mean: [1, NaN] }).count).toBe(0);
    expect(SpeakerBaseline.restore(2, undefined).state()).toEqual({ recordings: 0, mean: [0, 0] });
  });
});
