import { INTERVAL_NAMES, CHORD_QUALITIES } from '../skills/skill-graph';
import { MODE_LABELS } from './exercises';
import { canonicalChoice, canonicalNoteName, matchChoice } from './grading';

describe('canonicalNoteName', () => {
  it('reads a name with its octave number (as the staff names notes), words and every accidental sign', () => {
    expect(['F#4', 'f♯', 'F sharp', 'F#', ' f # 4 '].map(canonicalNoteName)).toEqual(['F#', 'F#', 'F#', 'F#', 'F#']);
    expect(['Bb3', 'bb', 'B flat', 'B♭-1'].map(canonicalNoteName)).toEqual(['Bb', 'Bb', 'Bb', 'Bb']);
    expect(['C𝄪', 'C double sharp', 'E𝄫'].map(canonicalNoteName)).toEqual(['C##', 'C##', 'Ebb']);
    expect(['H', 'F#x', '', 'do'].map(canonicalNoteName)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('matchChoice', () => {
  const intervals = Object.values(INTERVAL_NAMES);
  const chords = Object.keys(CHORD_QUALITIES);
  const scales = Object.values(MODE_LABELS);

  it('takes interval names however people write them', () => {
    for (const [answer, choice] of [
      ['M3', 'major 3rd'],
      ['m3', 'minor 3rd'],
      ['Major Third', 'major 3rd'],
      ['major  3rd', 'major 3rd'],
      ['P5', 'perfect 5th'],
      ['perfect fifth', 'perfect 5th'],
      ['A4', 'tritone'],
      ['d5', 'tritone'],
      ['P8', 'octave'],
      ['P1', 'unison'],
    ]) {
      expect([answer, matchChoice(intervals, answer)]).toEqual([answer, choice]);
    }
  });

  it('takes chord and scale shorthand', () => {
    for (const [answer, choice] of [
      ['dom7', 'dominant 7th'],
      ['ø7', 'half-diminished 7th'],
      ['half diminished 7th', 'half-diminished 7th'],
      ['dim7', 'diminished 7th'],
      ['M', 'major'],
      ['m', 'minor'],
      ['aug', 'augmented'],
    ]) {
      expect([answer, matchChoice(chords, answer)]).toEqual([answer, choice]);
    }
    expect(matchChoice(scales, 'Aeolian')).toBe('natural minor');
    expect(matchChoice(scales, 'minor')).toBe('natural minor');
    expect(matchChoice(scales, 'harmonic-minor')).toBe('harmonic minor');
  });

  it('keeps every choice of each vocabulary distinct, and answers nothing for what is none of them', () => {
    for (const vocabulary of [intervals, chords, scales]) expect(new Set(vocabulary.map(canonicalChoice)).size).toBe(vocabulary.length);
    expect(matchChoice(intervals, 'major 9th')).toBeUndefined();
    expect(matchChoice(chords, 'sus4')).toBeUndefined();
  });
});
