import { segmentNotes } from '../notes/segment';
import { trackPitch } from '../pitch/pitch-tracker';
import { assessRecording } from './assess';
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
});
