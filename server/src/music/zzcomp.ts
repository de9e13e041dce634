import { planFromEmotion, compose, toMidi } from './engine';
import { AudioRenderPool } from './engine/audio/render-pool';
import { bundledSoundFontPath } from './engine/audio/soundfont';
import { writeFileSync } from 'node:fs';
(async () => {
  const pool = new AudioRenderPool({ soundFontPath: bundledSoundFontPath(), workers: 1, timeoutMs: 60000 });
  await pool.warmUp();
  for (const label of ['happy','sad','angry','excited'] as const) {
    let t = performance.now();
    const plan = planFromEmotion({ valence: 0, arousal: 0, label }, 60);
    const comp = compose(plan, 42);
    const midi = toMidi(comp);
    const tc = performance.now() - t;
    const job = pool.render(midi, { compressed: true });
    const w = await job.wav; const tw = performance.now() - t;
    const c = await job.compressed; const tm = performance.now() - t;
    console.log(label, 'notes', comp.notes.length, 'dur', w.durationSec.toFixed(1), 'compose', tc.toFixed(0), 'wav', tw.toFixed(0), 'x', (60000/tw).toFixed(1), 'mp3', tm.toFixed(0), 'x', (60000/tm).toFixed(1), JSON.stringify(w.timings), JSON.stringify(w.mastering));
    writeFileSync(`/tmp/probe/${label}.wav`, w.wav);
  }
  await pool.close();
})();
