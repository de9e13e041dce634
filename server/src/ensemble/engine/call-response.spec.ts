import { createRng } from '../../music/engine/rng';
import { answerPhrase, answerScale, PhraseNote, transcribe } from './call-response';

const BEAT = 500;
/** [pitch, start beat, beats] → phrase notes at 120 BPM. */
const phrase = (notes: [number, number, number][]): PhraseNote[] =>
  notes.map(([pitch, at, beats]) => ({ pitch, start: at * BEAT, end: (at + beats) * BEAT, velocity: 80 }));
const C_MAJOR = [0, 2, 4, 5, 7, 9, 11];

describe('call and response', () => {
  it('transcribes a phrase into rhythm and scale steps, chords reduced to their top note', () => {
    const call = phrase([
      [60, 0, 1],
      [64, 0.02, 1], // struck with the C: the top note is the melody
      [65, 1.03, 0.5], // a little late: quantised to the sixteenth
      [67, 1.5, 0.5],
      [72, 2, 2],
    ]);
    const { motif, pitches } = transcribe(call, BEAT, C_MAJOR);
    expect(pitches).toEqual([64, 65, 67, 72]);
    expect(motif.rhythm).toEqual([1, 0.5, 0.5, 2]);
    expect(motif.steps).toEqual([1, 1, 3]);
  });

  it('answers on a chord tone near the first note but not on it, and closes on a chord tone', () => {
    const call = phrase([
      [60, 0, 1],
      [62, 1, 1],
      [64, 2, 1],
      [65, 3, 1],
    ]);
    for (let seed = 1; seed <= 20; seed++) {
      const answer = answerPhrase(call, { beatMs: BEAT, key: { tonic: 0, mode: 'major' }, chord: [7, 11, 2], rng: createRng(seed) })!;
      const first = answer.notes[0].pitch;
      const last = answer.notes[answer.notes.length - 1].pitch;
      expect([7, 11, 2]).toContain(first % 12);
      expect(first).not.toBe(60);
      expect(Math.abs(first - 60)).toBeLessThanOrEqual(9);
      expect([7, 11, 2]).toContain(last % 12);
      for (const n of answer.notes) expect(C_MAJOR).toContain(n.pitch % 12);
      expect(answer.notes[0].startBeat).toBe(0);
    }
  });

  it('varies the motif: an inversion mirrors the steps, other seeds change the rhythm', () => {
    const call = phrase([
      [60, 0, 0.5],
      [62, 0.5, 0.5],
      [64, 1, 1],
      [62, 2, 0.5],
      [67, 2.5, 1.5],
    ]);
    const seen = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const answer = answerPhrase(call, { beatMs: BEAT, key: { tonic: 0, mode: 'major' }, chord: [0, 4, 7], rng: createRng(seed) })!;
      seen.add(answer.variation);
      if (answer.variation === 'inversion') expect(answer.response.steps).toEqual(answer.call.steps.map((s) => -s));
      if (answer.variation === 'sequence') expect(answer.response).toEqual(answer.call);
      if (answer.variation === 'rhythm') expect(answer.response.rhythm).not.toEqual(answer.call.rhythm);
    }
    expect(seen.size).toBeGreaterThanOrEqual(4);
  });

  it('moves in the key with the chord’s altered notes, each replacing one neighbour', () => {
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    expect(sorted(answerScale({ tonic: 9, mode: 'minor' }, [4, 8, 11]))).toEqual([0, 2, 4, 5, 8, 9, 11]); // G# for G under E
    expect(sorted(answerScale({ tonic: 0, mode: 'minor' }, [1, 5, 8]))).toEqual([0, 1, 3, 5, 7, 8, 10]); // Db for D (Neapolitan)
    expect(sorted(answerScale({ tonic: 0, mode: 'major' }, [0, 4, 7, 10]))).toEqual([0, 2, 4, 5, 7, 9, 10]); // Bb for B under C7
    expect(sorted(answerScale({ tonic: 0, mode: 'major' }, [2, 6, 9]))).toEqual([0, 2, 4, 6, 7, 9, 11]); // F# for F under D
  });
});
