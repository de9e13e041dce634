import { segmentNotes } from '../notes/segment';
import { trackPitch } from '../pitch/pitch-tracker';
import { assessRecording } from './assess';
import { splitRepeatedNotes } from './repeated-notes';
import type { ReferenceNote } from './types';

const RATE = 16000;
const REFERENCE: ReferenceNote[] = [
  { pitch: 64, start: 0, duration: 0.5 },
  { pitch: 64, start: 0.5, duration: 0.5 },
  { pitch: 67, start: 1, duration: 0.5 },
];

/** E4 held for a second (with a faint re-attack at 0.5 s when `reattackDb` > 0), then G4; a 0.3 s lead-in. */
function take(reattackDb: number): Float32Array {
  const out = new Float32Array(Math.round(2 * RATE));
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / RATE - 0.3;
    if (t < 0 || t > 1.5) continue;
    const f = 440 * 2 ** (((t < 1 ? 64 : 67) - 69) / 12);
    phase += (2 * Math.PI * f) / RATE;
    let gain = Math.min(1, t / 0.02, (1.5 - t) / 0.02);
    // Before the re-attack the level sags by `reattackDb`, then comes straight back.
    if (reattackDb > 0 && t > 0.42 && t < 0.5) gain *= 10 ** (-reattackDb / 20);
    out[i] = 0.3 * gain * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.3 * Math.sin(3 * phase));
  }
  return out;
}

/** Notes of the given pitches and length played without a break, each after the first re-attacked by a 3 dB sag. */
function legato(pitches: number[], noteSec = 0.5): Float32Array {
  const out = new Float32Array(Math.round((0.8 + noteSec * pitches.length) * RATE));
  let phase = 0;
  const end = noteSec * pitches.length;
  for (let i = 0; i < out.length; i++) {
    const t = i / RATE - 0.3;
    if (t < 0 || t > end) continue;
    const k = Math.min(pitches.length - 1, Math.floor(t / noteSec));
    phase += (2 * Math.PI * 440 * 2 ** ((pitches[k] - 69) / 12)) / RATE;
    let gain = Math.min(1, t / 0.02, (end - t) / 0.02);
    if (k < pitches.length - 1 && t % noteSec > noteSec - 0.08) gain *= 10 ** (-3 / 20);
    out[i] = 0.3 * gain * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.3 * Math.sin(3 * phase));
  }
  return out;
}

const evenNotes = (pitches: number[], noteSec = 0.5): ReferenceNote[] => pitches.map((pitch, k) => ({ pitch, start: noteSec * k, duration: noteSec }));

describe('score-informed re-attacks', () => {
  it('splits a held note at a faint re-attack where the reference repeats the pitch', () => {
    const samples = take(3);
    expect(segmentNotes(trackPitch({ sampleRate: RATE, samples }))).toHaveLength(2);
    const { assessment } = assessRecording({ sampleRate: RATE, samples }, REFERENCE);
    expect(assessment.notes.map((n) => n.verdict)).toEqual(['correct', 'correct', 'correct']);
  });

  it('keeps a note that was really held whole, so the repeat is missed', () => {
    const { assessment } = assessRecording({ sampleRate: RATE, samples: take(0) }, REFERENCE);
    expect(assessment.notes.map((n) => n.verdict)).toEqual(['correct', 'missed', 'correct']);
  });

  it('splits every repeat of a pitch played three times in one breath', () => {
    const { assessment } = assessRecording({ sampleRate: RATE, samples: legato([64, 64, 64, 67]) }, evenNotes([64, 64, 64, 67]));
    expect(assessment.notes.map((n) => n.verdict)).toEqual(['correct', 'correct', 'correct', 'correct']);
  });

  it('splits a wrong note that the learner held into the next note of the same pitch', () => {
    const { assessment } = assessRecording({ sampleRate: RATE, samples: legato([64, 64, 67]) }, evenNotes([62, 64, 67]));
    expect(assessment.notes.map((n) => n.verdict)).toEqual(['wrong-pitch', 'correct', 'correct']);
    expect(assessment.extra).toEqual([]);
  });

  it('splits it too when the alignment gave the held note to the later reference note', () => {
    const track = trackPitch({ sampleRate: RATE, samples: legato([64, 64, 67, 69], 0.22) });
    const note = (pitch: number, start: number, duration: number) => ({ pitch, start, duration, clarity: 0.95, levelDb: -12 });
    // As the segmenter may leave it: the wrong first note (found a little late) and the second one as one note.
    const held = [note(64, 0.34, 0.4), note(67, 0.74, 0.22), note(69, 0.96, 0.22)];
    const split = splitRepeatedNotes(evenNotes([62, 64, 67, 69], 0.22), held, track);
    expect(split.map((n) => Math.round(n.pitch))).toEqual([64, 64, 67, 69]);
    expect(Math.abs(split[1].start - 0.52)).toBeLessThan(0.03);
  });
});
