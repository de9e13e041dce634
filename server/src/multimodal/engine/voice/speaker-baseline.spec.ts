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
});
