import { channelCosts, splitChannels } from './channel-split';
import { writeSmf as testMidi } from './smf-writer';

describe('channelCosts', () => {
  it('sums sounding ticks plus one beat of release per note, per channel', () => {
    const midi = testMidi([
      { pitch: 60, startBeat: 0, beats: 2, channel: 0 },
      { pitch: 64, startBeat: 0, beats: 1, channel: 0 },
      { pitch: 36, startBeat: 0, beats: 0.5, channel: 9 },
    ]);
    const costs = channelCosts(midi);
    expect(costs[0]).toBe((2 + 1) * 480 + (1 + 1) * 480);
    expect(costs[9]).toBe((0.5 + 1) * 480);
    expect(costs[1]).toBe(0);
  });

  it('returns zeros for bytes that are not MIDI', () => {
    expect(channelCosts(new Uint8Array([1, 2, 3]))).toEqual(new Array(16).fill(0));
  });
});

describe('splitChannels', () => {
  it('balances the load greedily, heaviest channel first', () => {
    const costs = new Array(16).fill(0);
    costs[0] = 10;
    costs[1] = 6;
    costs[2] = 5;
    costs[9] = 1;
    expect(splitChannels(costs)).toEqual([[0, 9], [1, 2]]);
  });

  it('does not split a single-channel piece', () => {
    const costs = new Array(16).fill(0);
    costs[3] = 100;
    expect(splitChannels(costs)).toBeUndefined();
  });
});
