import { labelsNearAnchors, scaleAnchors, type LabelAnchors } from './label-anchors';

const anchors: LabelAnchors = { neutral: [0, 0], happy: [0.3, 0.2], sad: [-0.3, 0.1], angry: [-0.35, 0.25] };
const top = (p: Record<string, number>) => Object.entries(p).sort((a, b) => b[1] - a[1])[0][0];

describe('labelsNearAnchors', () => {
  it('gives the nearest anchor the most probability and the labels without one none', () => {
    const p = labelsNearAnchors(0.25, 0.2, anchors);
    expect(top(p)).toBe('happy');
    expect(p.fearful + p.disgusted + p.surprised).toBe(0);
    expect(Object.values(p).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
    expect(top(labelsNearAnchors(0.05, 0, anchors))).toBe('neutral');
    expect(top(labelsNearAnchors(-0.3, 0.3, anchors))).toBe('angry');
  });

  it('scales anchors onto the plane', () => {
    expect(scaleAnchors(anchors, 2).happy).toEqual([0.6, 0.4]);
  });
});
