import { ChordListener, chordChangeMatrix, chordOfState } from './chord-listener';
import { keyFromPitchClasses, KeyListener } from './key-listener';
import { KEY_PROFILE_NAMES } from './key-profiles';
import { EnsembleNote } from './types';

/** Note on/off events for [pitch, startMs, durationMs] triples, in time order. */
function notes(triples: [number, number, number][], memberId = 'p1', channel = 0): EnsembleNote[] {
  const out: EnsembleNote[] = [];
  for (const [pitch, start, dur] of triples) {
    out.push({ type: 'on', pitch, velocity: 80, time: start, channel, memberId });
    out.push({ type: 'off', pitch, velocity: 0, time: start + dur, channel, memberId });
  }
  return out.sort((a, b) => a.time - b.time || (a.type === 'off' ? -1 : 1));
}

/** Block chords, one per `ms`: each a list of pitches. */
const blocks = (chords: number[][], ms: number, from = 0) => chords.flatMap((c, i) => c.map((p): [number, number, number] => [p, from + i * ms, ms]));

/** A scale run: pitches one after another, `ms` each. */
const run = (pitches: number[], ms: number, from = 0) => pitches.map((p, i): [number, number, number] => [p, from + i * ms, ms]);

const C_MAJOR_SCALE = [60, 62, 64, 65, 67, 69, 71, 72];

describe('key finding', () => {
  it('names the key of a scale histogram with every profile', () => {
    const major = new Array<number>(12).fill(0);
    for (const p of C_MAJOR_SCALE) major[p % 12] += 1;
    major[0] += 2;
    major[7] += 1;
    // A harmonic minor: A B C D E F G#, tonic and dominant stressed.
    const minor = new Array<number>(12).fill(0);
    for (const pc of [9, 11, 0, 2, 4, 5, 8]) minor[pc] += 1;
    minor[9] += 2;
    minor[4] += 1;
    for (const profile of KEY_PROFILE_NAMES) {
      expect(keyFromPitchClasses(major, profile)).toMatchObject({ tonic: 0, mode: 'major', name: 'C major' });
      expect(keyFromPitchClasses(minor, profile)).toMatchObject({ tonic: 9, mode: 'minor', name: 'A minor' });
    }
    expect(keyFromPitchClasses(new Array<number>(12).fill(0))).toBeUndefined();
  });

  it('hears a cadence in F# minor and spells it with sharps', () => {
    const key = new KeyListener();
    // i – iv – V – i in F# minor: F# A C#, B D F#, C# E# G#, F# A C#.
    for (const e of notes(
      blocks(
        [
          [54, 57, 61],
          [59, 62, 66],
          [61, 65, 68],
          [54, 57, 61],
        ],
        800,
      ),
    ))
      key.hear(e);
    expect(key.estimate(3200)).toMatchObject({ tonic: 6, mode: 'minor', name: 'F# minor' });
  });

  it('forgets an old key: 30 s of C major, then 20 s of E major', () => {
    const tune = (tonic: number, from: number, seconds: number) =>
      run(
        Array.from({ length: seconds * 2 }, (_, i) => [0, 2, 4, 5, 7, 9, 11, 7][i % 8] + tonic + 60),
        500,
        from,
      );
    const events = notes([...tune(0, 0, 30), ...tune(4, 30_000, 20)]);
    const decaying = new KeyListener();
    const remembering = new KeyListener({ halfLifeMs: 1e12 });
    for (const e of events) {
      decaying.hear(e);
      remembering.hear(e);
    }
    expect(decaying.estimate(50_000)?.name).toBe('E major');
    expect(remembering.estimate(50_000)?.name).not.toBe('E major');
  });

  it('answers between notes as a listener asked only once would, and goes silent after a long silence', () => {
    const events = notes(run([60, 64, 67, 72, 65, 69, 62, 67, 71], 400));
    const askedOften = new KeyListener();
    for (const e of events) {
      askedOften.hear(e);
      askedOften.estimate(e.time);
      askedOften.estimate(e.time);
    }
    const askedOnce = new KeyListener();
    for (const e of events) askedOnce.hear(e);
    const end = events[events.length - 1].time;
    for (const t of [end, end + 2000, end + 20_000]) expect(askedOften.estimate(t)).toEqual(askedOnce.estimate(t));
    // New notes in another key are heard, not answered from before.
    for (const e of notes(run([66, 70, 73, 78, 71, 75, 68, 73, 66, 70, 73, 78], 400, end + 20_000))) askedOften.hear(e);
    expect(askedOften.estimate(end + 25_000)?.name).toBe('F# major');
    // Ten minutes later the memory has decayed to nothing.
    expect(askedOften.estimate(end + 625_000)).toBeUndefined();
  });

  it('counts a held note by how long it sounds, and ignores drums', () => {
    const key = new KeyListener();
    key.hear({ type: 'on', pitch: 36, velocity: 100, time: 0, channel: 9 });
    expect(key.estimate(100)).toBeUndefined();
    key.hear({ type: 'on', pitch: 67, velocity: 80, time: 0 });
    const early = key.pitchClassWeights(1000)[7];
    const later = key.pitchClassWeights(3000)[7];
    expect(later).toBeGreaterThan(early + 1.5);
    key.hear({ type: 'off', pitch: 67, velocity: 0, time: 3000 });
    expect(key.pitchClassWeights(4000)[7]).toBeLessThan(later);
  });
});

describe('chord recognition', () => {
  it('follows block chords I – IV – V – vi – ii in C', () => {
    const chords = new ChordListener();
    chords.setKey({ tonic: 0, mode: 'major' });
    const progression = [
      [48, 64, 67, 72],
      [53, 65, 69, 72],
      [55, 62, 67, 71],
      [57, 64, 69, 72],
      [50, 62, 65, 69],
    ];
    const names: string[] = [];
    const events = notes(blocks(progression, 1000));
    let i = 0;
    for (let t = 500; t < 5000; t += 1000) {
      while (i < events.length && events[i].time <= t) chords.hear(events[i++]);
      names.push(chords.estimate(t)!.name);
    }
    expect(names).toEqual(['C', 'F', 'G', 'Am', 'Dm']);
  });

  it('hears a struck chord at once, even when it shares two tones with the last one', () => {
    // C major held, then A C E struck together: within 10 ms the listener says A minor (G, C's fifth, is missing).
    const chords = new ChordListener();
    chords.setKey({ tonic: 0, mode: 'major' });
    const events = notes([...blocks([[48, 52, 55]], 1980), ...blocks([[57, 48, 52]], 1000, 2000)]);
    let i = 0;
    const until = (t: number) => {
      while (i < events.length && events[i].time <= t) chords.hear(events[i++]);
    };
    until(1500);
    expect(chords.estimate(1500)?.name).toBe('C');
    until(2010);
    expect(chords.estimate(2010)?.name).toBe('Am');
  });

  it('recognises a diminished triad', () => {
    const chords = new ChordListener();
    for (const e of notes(blocks([[59, 62, 65, 71]], 1000))) chords.hear(e);
    expect(chords.estimate(800)?.name).toBe('Bdim');
  });

  it('uses the harmony model to read an ambiguous dyad after the dominant as the tonic', () => {
    // G major held, then only E and G: alone they fit E minor best (root and third), but V → I is the likely move.
    const events = notes([...blocks([[43, 59, 62, 67]], 1000), [64, 1000, 600], [67, 1000, 600]]);
    const informed = new ChordListener();
    informed.setKey({ tonic: 0, mode: 'major' });
    const plain = new ChordListener({ harmonyPrior: false });
    plain.setKey({ tonic: 0, mode: 'major' });
    for (const e of events) {
      informed.hear(e);
      plain.hear(e);
    }
    expect(informed.estimate(1500)?.name).toBe('C');
    expect(plain.estimate(1500)?.name).toBe('Em');
  });

  it('keeps a chord through a passing note and changes when the evidence lasts', () => {
    const chords = new ChordListener();
    chords.setKey({ tonic: 7, mode: 'major' });
    // G major held for 2 s with a short passing A in the melody, then D major.
    const events = notes([...blocks([[43, 59, 62]], 2000), [69, 900, 150], ...blocks([[50, 54, 57]], 1000, 2000)]);
    let i = 0;
    const at = (t: number) => {
      while (i < events.length && events[i].time <= t) chords.hear(events[i++]);
      return chords.estimate(t)?.name;
    };
    expect(at(1000)).toBe('G');
    expect(at(1900)).toBe('G');
    expect(at(2600)).toBe('D');
  });

  it('says nothing before the first note and ignores the drum channel', () => {
    const chords = new ChordListener();
    expect(chords.estimate(0)).toBeUndefined();
    chords.hear({ type: 'on', pitch: 38, velocity: 90, time: 10, channel: 9 });
    expect(chords.estimate(20)).toBeUndefined();
  });

  it('moves the chord between notes exactly as the change matrix of the harmony model says', () => {
    const chords = new ChordListener();
    const key = { tonic: 0, mode: 'major' as const };
    chords.setKey(key);
    for (const e of notes([[67, 0, 100]])) chords.hear(e);
    const before = chords.probabilities(200);
    const after = chords.probabilities(1200);
    const stay = Math.exp(-1000 / 8000);
    const m = chordChangeMatrix(key);
    const expected = before.map((p, j) => stay * p + (1 - stay) * before.reduce((sum, q, i) => sum + q * m[i][j], 0));
    after.forEach((p, j) => expect(p).toBeCloseTo(expected[j], 12));
  });

  it("shares each key's change matrix between every room's listener instead of building one per room", () => {
    const [first, second] = [new ChordListener(), new ChordListener()];
    for (const listener of [first, second]) listener.setKey({ tonic: 9, mode: 'minor' });
    expect(second['change']).toBe(first['change']);
    second.setKey(undefined);
    expect(second['change']).not.toBe(first['change']);
  });

  it('maps the harmony model onto chord states: in C major, G goes mostly to C', () => {
    const m = chordChangeMatrix({ tonic: 0, mode: 'major' });
    const g = 7;
    const c = 0;
    const row = m[g];
    expect(row.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 9);
    expect(row[g]).toBe(0);
    const best = row.indexOf(Math.max(...row));
    expect(chordOfState(best).name).toBe('C');
    expect(row[c]).toBeGreaterThan(0.5);
    // Without a key every change is equally likely.
    const flat = chordChangeMatrix(undefined)[g];
    expect(Math.max(...flat)).toBeCloseTo(Math.min(...flat.filter((_, j) => j !== g)), 12);
  });
});
