import { PhrasePulse } from './phrase-pulse';
import { Timeline } from './shared-clock';

const heard = (times: number[]) => {
  const p = new PhrasePulse();
  for (const t of times) p.hear(t);
  return p;
};

describe('PhrasePulse', () => {
  it('counts onsets struck together once and ends two pulses and a quarter after the last one', () => {
    // Sixteenths (125 ms) by two players 8 ms apart.
    const p = heard([0, 8, 125, 133, 250, 258, 375, 383]);
    expect(p.endTime(379 + 87)).toBeCloseTo(379 + 2.25 * 125, 6);
  });

  it('never ends before a rest as long as the longest the phrase already had', () => {
    const p = heard([0, 125, 250, 625, 750]);
    expect(p.endTime(750 + 80)).toBeCloseTo(750 + 375 + 0.25 * 125, 6);
  });

  it('has no pulse end before three onsets, or when the last note was held past a pulse', () => {
    expect(heard([0, 125]).endTime(200)).toBeUndefined();
    expect(heard([0, 125, 250]).endTime(250 + 200)).toBeUndefined();
    const p = heard([0, 125, 250]);
    p.reset();
    expect(p.endTime(0)).toBeUndefined();
  });

  it("reads the onsets' phase on the sixteenth grid, and none when they do not share one", () => {
    const grid = Timeline.create(120, 4, 0);
    expect(heard([40, 165, 290, 415]).sixteenthPhase(grid)).toBeCloseTo(40 / 125, 6);
    // Eighth-note triplets (166.7 ms) fall on every phase of the sixteenth grid.
    expect(heard([0, 1, 2, 3, 4, 5].map((i) => (i * 500) / 3)).sixteenthPhase(grid)).toBeUndefined();
  });
});
