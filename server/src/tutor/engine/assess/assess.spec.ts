import { encodeWavMono } from '../audio/wav-input';
import type { DetectedNote } from '../notes/segment';
import { PITCH_TRACKER_DEFAULTS } from '../pitch/pitch-parameters';
import { midiToHz } from '../pitch/pitch-tracker';
import { assessNotes, assessWav, ReferenceInputError, searchRangeFor, validateReference } from './assess';
import type { ReferenceNote } from './types';

/** Eight quarter notes at 120 BPM (two bars of 4/4): C D E F G A B C. */
const REFERENCE: ReferenceNote[] = [60, 62, 64, 65, 67, 69, 71, 72].map((pitch, i) => ({ pitch, start: i * 0.5, duration: 0.45 }));

/** A performance of the reference: per-note pitch offsets (semitones), onset shifts (s), omissions; lead-in and tempo. */
function perform(
  changes: { pitch?: Record<number, number>; shift?: Record<number, number>; omit?: number[]; extra?: DetectedNote[] } = {},
  lead = 0.8,
  ratio = 1,
): DetectedNote[] {
  const notes = REFERENCE.flatMap((r, i): DetectedNote[] =>
    changes.omit?.includes(i)
      ? []
      : [{ pitch: r.pitch + (changes.pitch?.[i] ?? 0), start: lead + ratio * r.start + (changes.shift?.[i] ?? 0), duration: 0.4, clarity: 0.95, levelDb: -20 }],
  );
  return [...notes, ...(changes.extra ?? [])].sort((a, b) => a.start - b.start);
}

const verdicts = (detected: DetectedNote[], reference = REFERENCE) => assessNotes(reference, detected).assessment.notes.map((v) => v.verdict);

describe('assessNotes', () => {
  it('calls a faithful performance after a lead-in correct throughout, scores it 100 and says so', () => {
    const { assessment, alignment } = assessNotes(REFERENCE, perform());
    expect(assessment.notes.map((v) => v.verdict)).toEqual(Array(8).fill('correct'));
    expect(assessment.score).toBe(100);
    expect(assessment.extra).toEqual([]);
    expect(alignment.offsetSec).toBeCloseTo(0.8, 2);
    expect(assessment.feedback[0]).toBe('All 8 notes were right: in tune and on time.');
    expect(assessment.feedback.at(-1)).toMatch(/^Next step:/);
  });

  it('gives one entry per reference note with index, detected pitch, cents and onset error', () => {
    const notes = assessNotes(REFERENCE, perform({ pitch: { 2: 0.3 } })).assessment.notes;
    expect(notes).toHaveLength(8);
    expect(notes[2]).toEqual({ index: 2, verdict: 'correct', detectedPitch: 64.3, pitchErrorCents: 30, onsetErrorMs: 0 });
  });

  it('applies the ±50 cent pitch rule, with octave errors wrong', () => {
    expect(verdicts(perform({ pitch: { 1: 0.45, 2: 0.55, 3: 12, 4: -1 } })).slice(1, 5)).toEqual(['correct', 'wrong-pitch', 'wrong-pitch', 'wrong-pitch']);
  });

  it('applies the ±120 ms onset rule: early, late, or on time', () => {
    expect(verdicts(perform({ shift: { 2: -0.2, 4: 0.25, 6: 0.1 } }))).toEqual([
      'correct',
      'correct',
      'early',
      'correct',
      'late',
      'correct',
      'correct',
      'correct',
    ]);
  });

  it('lets wrong-pitch take precedence over a timing error on the same note', () => {
    const notes = assessNotes(REFERENCE, perform({ pitch: { 3: 2 }, shift: { 3: 0.2 } })).assessment.notes;
    expect(notes[3].verdict).toBe('wrong-pitch');
    expect(notes[3].onsetErrorMs).toBe(200);
  });

  it('does not call the continuation of a held note extra, but a repeat after a gap is', () => {
    const piece = (start: number): DetectedNote => ({ pitch: 64, start, duration: 0.1, clarity: 0.95, levelDb: -20 });
    // Note 2 (E4) sounds from 1.8 to 2.2 s.
    expect(assessNotes(REFERENCE, perform({ extra: [piece(2.2)] })).assessment.extra).toEqual([]);
    expect(assessNotes(REFERENCE, perform({ extra: [piece(2.25)] })).assessment.extra).toEqual([{ pitch: 64, start: 1.45, duration: 0.1 }]);
  });

  it('calls an omitted note missed, without optional fields, and a note that fits nowhere extra', () => {
    const stray: DetectedNote = { pitch: 80, start: 0.8 + 4.25, duration: 0.2, clarity: 0.9, levelDb: -20 };
    const { assessment } = assessNotes(REFERENCE, perform({ omit: [5], extra: [stray] }));
    expect(assessment.notes[5]).toEqual({ index: 5, verdict: 'missed' });
    expect(assessment.extra).toEqual([{ pitch: 80, start: 4.25, duration: 0.2 }]);
    expect(assessment.score).toBeLessThan(90);
  });

  it('absorbs a steady 6% slow-down (tempo drift) instead of calling the last notes late', () => {
    const { assessment, alignment } = assessNotes(REFERENCE, perform({}, 0.5, 1.06));
    expect(assessment.notes.map((v) => v.verdict)).toEqual(Array(8).fill('correct'));
    expect(alignment.tempoRatio).toBeCloseTo(1.06, 2);
    expect(assessment.feedback.join(' ')).toContain('6% slower');
  });

  it('still sees a rushed bar inside a steady performance', () => {
    const v = verdicts(perform({ shift: { 4: -0.15, 5: -0.16, 6: -0.15, 7: -0.15 } }));
    expect(v.slice(4)).toEqual(['early', 'early', 'early', 'early']);
    expect(v.slice(0, 4)).toEqual(['correct', 'correct', 'correct', 'correct']);
  });

  it('keeps the caller’s order of reference notes in the verdicts', () => {
    const shuffled = [REFERENCE[3], REFERENCE[0], REFERENCE[2], REFERENCE[1], ...REFERENCE.slice(4)];
    const notes = assessNotes(shuffled, perform({ omit: [0] })).assessment.notes;
    expect(notes.map((n) => n.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(notes[1].verdict).toBe('missed');
    expect(notes[0].verdict).toBe('correct');
  });
});

describe('feedback', () => {
  it('names the register that was out of tune and by how much', () => {
    const feedback = assessNotes(REFERENCE, perform({ pitch: { 5: 0.3, 6: 0.32, 7: 0.28 } })).assessment.feedback;
    expect(feedback).toContain('The high notes were about 30 cents sharp.');
  });

  it('names the rushed bar when the meter is known', () => {
    const detected = perform({ shift: { 4: -0.15, 5: -0.16, 6: -0.14, 7: -0.15 } });
    const feedback = assessNotes(REFERENCE, detected, { meter: { bpm: 120, beatsPerBar: 4 } }).assessment.feedback;
    expect(feedback).toContain('You rushed the second bar by about 150 ms.');
  });

  it('names wrong notes by interval and what was played, and suggests practising that step', () => {
    const feedback = assessNotes(REFERENCE, perform({ pitch: { 4: 1 } })).assessment.feedback;
    expect(feedback).toContain('Note 5 (G4) was a semitone too high: you hit G#4.');
    expect(feedback.at(-1)).toBe('Next step: practise the step from F4 to G4 (a whole tone up) slowly against the reference tone, then try the melody again.');
  });

  it('lists left-out notes and added notes', () => {
    const stray: DetectedNote = { pitch: 50, start: 3.5, duration: 0.2, clarity: 0.9, levelDb: -20 };
    const feedback = assessNotes(REFERENCE, perform({ omit: [6, 7], extra: [stray] })).assessment.feedback.join(' ');
    expect(feedback).toContain('You left out notes 7 and 8 (B4, C5).');
    expect(feedback).toContain('You added 1 note that is not in the melody (around 2.7 s).');
  });
});

describe('validateReference', () => {
  it.each([
    [[], 'non-empty'],
    [[{ pitch: 60.5, start: 0, duration: 1 }], 'pitch'],
    [[{ pitch: 60, start: -1, duration: 1 }], 'start'],
    [[{ pitch: 60, start: 0, duration: 0 }], 'duration'],
    ['notes', 'non-empty'],
  ])('rejects %j naming the problem', (notes, word) => {
    expect(() => validateReference(notes)).toThrow(ReferenceInputError);
    expect(() => validateReference(notes)).toThrow(word);
  });

  it('accepts every MIDI note, 0 to 127, and names the range when a pitch is not one', () => {
    expect(validateReference([0, 21, 108, 127].map((pitch, i) => ({ pitch, start: i, duration: 0.5 }))).map((n) => n.pitch)).toEqual([0, 21, 108, 127]);
    for (const pitch of [-1, 128, 60.5]) {
      expect(() => validateReference([{ pitch, start: 0, duration: 1 }])).toThrow('reference.notes[0].pitch must be an integer MIDI note 0–127');
    }
  });
});

/** Quarter notes at 120 BPM. */
const referenceOf = (pitches: number[]): ReferenceNote[] => pitches.map((pitch, i) => ({ pitch, start: i * 0.5, duration: 0.45 }));

/** A melody played on a piano-like instrument (a sharp attack, decaying harmonics), quarter notes at 120 BPM after 0.5 s. */
function playedWav(pitches: number[], rate: number): { wav: Uint8Array; reference: ReferenceNote[] } {
  const reference = referenceOf(pitches);
  const samples = new Float32Array(Math.round(rate * (1 + pitches.length * 0.5)));
  for (const n of reference) {
    const f = midiToHz(n.pitch);
    const from = Math.round((0.5 + n.start) * rate);
    for (let i = 0; i < Math.round(n.duration * rate); i++) {
      const t = i / rate;
      let v = 0;
      for (let k = 1; k <= 8 && k * f < rate / 2; k++) v += (Math.exp(-t * 2 * k) * Math.sin(2 * Math.PI * k * f * t)) / k;
      samples[from + i] += 0.4 * Math.min(1, t / 0.005) * Math.exp(-t * 2) * v;
    }
  }
  return { wav: encodeWavMono({ sampleRate: rate, samples }, 'pcm16', 1), reference };
}

describe('the piano’s range', () => {
  it.each([
    ['the top octave of the piano (C7–C8)', [96, 98, 100, 101, 103, 105, 107, 108], 44100],
    ['C7–A7 recorded at 22.05 kHz', [96, 98, 100, 101, 103, 105, 103, 100], 22050],
    ['a bass guitar line from its low E (E1–E2)', [28, 31, 33, 35, 36, 38, 40, 36], 44100],
    ['the lowest notes of the piano (A0–E1)', [21, 23, 24, 26, 28, 26, 24, 21], 16000],
  ])('calls %s played perfectly correct, note by note', (_, pitches, rate) => {
    const { wav, reference } = playedWav(pitches, rate);
    const result = assessWav(wav, reference);
    expect(result.notes.map((v) => v.verdict)).toEqual(Array(8).fill('correct'));
    for (const note of result.notes) expect(Math.abs(note.pitchErrorCents!)).toBeLessThan(15);
    expect(result.extra).toEqual([]);
    expect(result.score).toBeGreaterThanOrEqual(99);
  });

  it('still hears an octave error at either end as what was played', () => {
    const high = playedWav([96, 98, 100, 101, 91, 105, 107, 108], 44100);
    const low = playedWav([28, 31, 33, 47, 36, 38, 40, 36], 44100);
    const octaveDown = assessWav(high.wav, referenceOf([96, 98, 100, 101, 103, 105, 107, 108])).notes;
    const octaveUp = assessWav(low.wav, referenceOf([28, 31, 33, 35, 36, 38, 40, 36])).notes;
    expect(octaveDown[4]).toMatchObject({ verdict: 'wrong-pitch', pitchErrorCents: expect.closeTo(-1200, -2) as number });
    expect(octaveUp[3]).toMatchObject({ verdict: 'wrong-pitch', pitchErrorCents: expect.closeTo(1200, -2) as number });
    expect([...octaveDown.slice(0, 4), ...octaveDown.slice(5), ...octaveUp.slice(0, 3), ...octaveUp.slice(4)].map((v) => v.verdict)).toEqual(
      Array(14).fill('correct'),
    );
  });

  it('searches the tracker’s usual 55–1760 Hz for melodies inside it, and an octave beyond the reference outside it', () => {
    const range = (pitches: number[]) => searchRangeFor(pitches.map((pitch, i) => ({ pitch, start: i, duration: 1 })));
    const { minHz, maxHz } = PITCH_TRACKER_DEFAULTS;
    expect(range([45, 60, 81])).toEqual({ minHz, maxHz, octaveBonusFromHz: minHz });
    expect(range([60, 100]).maxHz).toBeCloseTo(midiToHz(112), 6);
    expect(range([60, 100]).minHz).toBe(minHz);
    expect(range([40, 72]).minHz).toBeCloseTo(midiToHz(28), 6);
    expect(range([21, 108])).toEqual({ minHz: midiToHz(19), maxHz: midiToHz(112), octaveBonusFromHz: minHz });
  });
});

describe('assessWav (end to end)', () => {
  it('hears a melody played with one wrong note and one left out', () => {
    const rate = 22050;
    const samples = new Float32Array(rate * 5);
    const played = REFERENCE.map((r, i) => ({ ...r, pitch: i === 2 ? r.pitch + 2 : r.pitch })).filter((_, i) => i !== 5);
    for (const n of played) {
      const from = Math.round((0.5 + n.start) * rate);
      for (let i = 0; i < Math.round(0.42 * rate); i++) {
        const t = i / rate;
        const f = 440 * 2 ** ((n.pitch - 69) / 12);
        const env = Math.min(1, t / 0.01) * Math.exp(-t * 2);
        samples[from + i] += 0.4 * env * (Math.sin(2 * Math.PI * f * t) + 0.4 * Math.sin(4 * Math.PI * f * t) + 0.2 * Math.sin(6 * Math.PI * f * t));
      }
    }
    const result = assessWav(encodeWavMono({ sampleRate: rate, samples }, 'pcm16', 2), REFERENCE);
    expect(result.notes.map((v) => v.verdict)).toEqual(['correct', 'correct', 'wrong-pitch', 'correct', 'correct', 'missed', 'correct', 'correct']);
    expect(result.notes[2].pitchErrorCents).toBeGreaterThan(180);
    expect(result.extra).toEqual([]);
  });
});

describe('degenerate takes', () => {
  it('calls every note missed in silence or noise, with a score of 0 and a next step', () => {
    const rate = 16000;
    let seed = 1;
    const noise = new Float32Array(rate * 2).map(() => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff - 0.5;
    });
    for (const samples of [new Float32Array(rate * 2), noise, new Float32Array(1)]) {
      const result = assessWav(encodeWavMono({ sampleRate: rate, samples }), [{ pitch: 60, start: 0, duration: 1 }]);
      expect(result).toEqual({
        score: 0,
        notes: [{ index: 0, verdict: 'missed' }],
        extra: [],
        feedback: ['0 of 1 note was right.', 'You left out note 1 (C4).', expect.stringMatching(/^Next step: /)],
      });
    }
  });
});
