import { compose } from '../compose';
import { DURATION_TOLERANCE } from '../form';
import { toMidi } from '../midi-write';
import { planFromEmotion } from '../plan';
import { AudioRenderPool } from './render-pool';
import { bundledSoundFontPath } from './soundfont';

// Worker start-up and whole-file DSP are slow on a busy CI machine; this is a hang guard, not a speed check.
jest.setTimeout(120_000);

/** The synthesizer's ring-out after the last note (DEFAULT_SYNTHESIS.tailSec in synthesize.ts, which Jest cannot load). */
const TAIL_SEC = 1.5;

describe('rendered audio length vs durationSec (the shortest request, slow tempos)', () => {
  const pool = new AudioRenderPool({ soundFontPath: bundledSoundFontPath(), workers: 1, timeoutMs: 60_000 });
  afterAll(() => pool.close());

  // The slowest emotions (a bar of 3.75–3.9 s) at 10 s.
  it.each([
    ['calm', { valence: 0.4, arousal: -0.7, label: 'calm' as const }],
    ['sad', { valence: -0.7, arousal: -0.5, label: 'sad' as const }],
  ])('renders a 10 s %s piece as at most 10 s + 10 % + the ring-out tail', async (_, target) => {
    const sec = 10;
    const piece = compose(planFromEmotion(target, sec), 1);
    const rendered = await pool.render(toMidi(piece), { compressed: false }).wav;
    expect(rendered.durationSec).toBeLessThanOrEqual(sec * (1 + DURATION_TOLERANCE) + TAIL_SEC + 0.01);
    expect(rendered.durationSec).toBeGreaterThanOrEqual(sec * (1 - DURATION_TOLERANCE));
  });
});
