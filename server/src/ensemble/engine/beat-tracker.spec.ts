import { BeatTracker } from './beat-tracker';
import { createRng } from '../../music/engine/rng';
import { EnsembleNote } from './types';

/** Note-ons at the given times (ms). */
const onsets = (times: number[], channel = 0): EnsembleNote[] => times.map((time, i) => ({ type: 'on', pitch: 60 + (i % 5), velocity: 90, time, channel }));

/** Onset times of a rhythm (durations in beats, repeated) at a tempo, with seeded timing jitter (ms, sd). */
function play(rhythm: number[], bpm: number, seconds: number, jitterMs: number, seed = 1, from = 0): number[] {
  const rng = createRng(seed);
  const beat = 60_000 / bpm;
  const out: number[] = [];
  let t = 0;
  for (let i = 0; t < seconds * 1000; i++) {
    out.push(from + t + rng.gauss() * jitterMs);
    t += rhythm[i % rhythm.length] * beat;
  }
  return out;
}

/** Mean distance (in beats) of the given times from the tracker's beat grid. */
function gridError(tracker: BeatTracker, times: number[]): number {
  const tl = tracker.timeline()!;
  return times.reduce((s, t) => s + Math.abs(tl.beatAt(t) - Math.round(tl.beatAt(t))), 0) / times.length;
}

describe('BeatTracker', () => {
  it('finds the tempo and the beat of steady quarter notes', () => {
    const tracker = new BeatTracker();
    const times = play([1], 100, 10, 5);
    for (const e of onsets(times)) tracker.hear(e);
    expect(tracker.tempo).toBeGreaterThan(98);
    expect(tracker.tempo).toBeLessThan(102);
    expect(gridError(tracker, times.slice(-8))).toBeLessThan(0.05);
    expect(tracker.confidence(times[times.length - 1])).toBeGreaterThan(0.9);
  });

  it('puts the beat on the long notes of a dotted rhythm, not between them', () => {
    // Dotted quarter + eighth + two quarters at 90 BPM: onsets at 0, 1.5, 2, 3 of every four beats.
    const tracker = new BeatTracker();
    const times = play([1.5, 0.5, 1, 1], 90, 12, 4, 2);
    for (const e of onsets(times)) tracker.hear(e);
    expect(tracker.tempo).toBeGreaterThan(87);
    expect(tracker.tempo).toBeLessThan(93);
    const beatOnsets = times.filter((_, i) => i % 4 !== 1); // the ones on beats
    expect(gridError(tracker, beatOnsets.slice(-6))).toBeLessThan(0.06);
  });

  it('stays on the beat through a gradual accelerando by phase-locking', () => {
    // Quarter notes whose tempo rises smoothly from 100 to 104 BPM over 40 s: too gradual for a re-lock.
    const tracker = new BeatTracker();
    const times: number[] = [];
    for (let t = 0, i = 0; t < 40_000; i++) {
      times.push(t);
      t += 60_000 / (100 + (4 * t) / 40_000);
    }
    for (const e of onsets(times)) tracker.hear(e);
    expect(gridError(tracker, times.slice(-4))).toBeLessThan(0.03);
  });

  it('puts the beat on the chords when single notes fill in between', () => {
    // Eighth notes at 100 BPM from a one-note pickup: a three-note chord on each beat, one note between. Both grids
    // fit the onsets equally; the struck chords carry the accent.
    const tracker = new BeatTracker();
    for (let i = 0; i < 40; i++) {
      const time = i * 300;
      const pitches = i % 2 === 1 ? [48, 52, 55] : [67];
      for (const pitch of pitches) tracker.hear({ type: 'on', pitch, velocity: 80, time });
    }
    const tl = tracker.timeline()!;
    expect(tracker.tempo).toBeCloseTo(100, 0);
    expect(Math.abs(tl.beatAt(11_700) - Math.round(tl.beatAt(11_700)))).toBeLessThan(0.05);
  });

  it('follows a tempo change from 100 to 130 BPM', () => {
    const tracker = new BeatTracker();
    const slow = play([1, 0.5, 0.5], 100, 10, 5, 3);
    const fast = play([1, 0.5, 0.5], 130, 12, 5, 4, slow[slow.length - 1] + 600);
    for (const e of onsets([...slow, ...fast])) tracker.hear(e);
    expect(tracker.tempo).toBeGreaterThan(126);
    expect(tracker.tempo).toBeLessThan(134);
  });

  it('counts chords and drum hits as onsets but waits for enough of them', () => {
    const tracker = new BeatTracker();
    // Three-note chords every 600 ms: one onset each.
    for (const t of [0, 600, 1200]) for (const p of [60, 64, 67]) tracker.hear({ type: 'on', pitch: p, velocity: 80, time: t + (p - 60) });
    expect(tracker.locked).toBe(false);
    for (const e of onsets([1800, 2400, 3000, 3600], 9)) tracker.hear(e);
    expect(tracker.locked).toBe(true);
    expect(tracker.tempo).toBeCloseTo(100, 0);
    expect(tracker.timeline()?.quantum).toBe(4);
  });
});
