/**
 * npm run bench:music — speed of the music pipeline on this machine.
 *
 *   1. plan + compose + render 60 s → mastered WAV (wall time, × real time), per emotion and median
 *   2. the same → compressed MP3
 *   3. a cached repeat through MusicGenerationService (same request + seed → stored result)
 *   4. FluidSynth (C, when installed) rendering the same MIDI with the same SoundFont, for reference
 *
 * Figures are printed, never asserted (no timing assertions in tests).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { compose, EMOTION_NAMES, planFromEmotion, toMidi } from '../src/music/engine';
import { AudioRenderPool } from '../src/music/engine/audio/render-pool';
import { EMOTION_TABLE } from '../src/music/engine/emotion-table';
import { bundledSoundFontPath } from '../src/music/engine/audio/soundfont';
import { benchCachedRepeat } from './music-cache.bench';

const DURATION_SEC = 60;
const SEED = 20240601;

interface Row {
  emotion: string;
  notes: number;
  audioSec: number;
  composeMs: number;
  wavMs: number;
  mp3Ms: number;
  synthMs: number;
  masterMs: number;
  /** Process CPU time (all threads) until the MP3 was ready, ms: less sensitive to other processes than wall time. */
  cpuMs: number;
  /** The same until the WAV was ready. */
  cpuWavMs: number;
}

const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
const speed = (audioSec: number, ms: number) => `${((audioSec * 1000) / ms).toFixed(1).padStart(6)}×`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const soundFont = bundledSoundFontPath();
  const scratch = mkdtempSync(join(tmpdir(), 'music-bench-'));
  console.log(`music pipeline bench — ${DURATION_SEC} s pieces, seed ${SEED}, Node ${process.version}, SoundFont FluidR3Mono_GM.sf3`);
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; load average ${loadLine()} (figures shrink when other processes compete for the cores)`,
  );
  const pool = new AudioRenderPool({ soundFontPath: soundFont, workers: Number(process.env.MUSIC_RENDER_WORKERS ?? 2), timeoutMs: 120_000 });
  let t = performance.now();
  await pool.warmUp({ render: true });
  console.log(`render workers start + SoundFont parse + 2 s warm-up render: ${fmt(performance.now() - t)} (once per process, at boot)\n`);

  const rows: Row[] = [];
  const midiFiles: string[] = [];
  // The first piece is shown apart (first use of its instruments); the table shows the runs after it.
  let cold: Row | undefined;
  for (const [index, emotion] of [EMOTION_NAMES[0], ...EMOTION_NAMES].entries()) {
    t = performance.now();
    const cpu = process.cpuUsage();
    const anchor = EMOTION_TABLE.find((a) => a.emotion === emotion)!;
    const plan = planFromEmotion({ valence: anchor.valence, arousal: anchor.arousal, label: emotion }, DURATION_SEC);
    const composition = compose(plan, SEED);
    const midi = toMidi(composition);
    const composeMs = performance.now() - t;
    const job = pool.render(midi, { compressed: true });
    const wav = await job.wav;
    const wavMs = performance.now() - t;
    const atWav = process.cpuUsage(cpu);
    const cpuWavMs = (atWav.user + atWav.system) / 1000;
    await job.compressed;
    const mp3Ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    const row: Row = {
      emotion,
      notes: composition.notes.length,
      audioSec: composition.durationSec,
      composeMs,
      wavMs,
      mp3Ms,
      synthMs: wav.timings.synthMs,
      masterMs: wav.timings.masterMs,
      cpuMs,
      cpuWavMs,
    };
    if (index === 0) {
      cold = row;
      continue;
    }
    rows.push(row);
    const file = join(scratch, `${emotion}.mid`);
    writeFileSync(file, midi);
    midiFiles.push(file);
  }
  await pool.close();

  console.log('emotion      notes  audio s   plan+compose     →WAV   ×RT      →MP3   ×RT   (synth / master)   CPU →WAV / →MP3');
  for (const r of rows) {
    console.log(
      `${r.emotion.padEnd(11)} ${String(r.notes).padStart(6)} ${r.audioSec.toFixed(1).padStart(8)} ${fmt(r.composeMs)} ${fmt(r.wavMs)} ${speed(r.audioSec, r.wavMs)} ${fmt(r.mp3Ms)} ${speed(r.audioSec, r.mp3Ms)}   (${r.synthMs.toFixed(0)} / ${r.masterMs.toFixed(0)} ms)   ${r.cpuWavMs.toFixed(0)} / ${r.cpuMs.toFixed(0)} ms`,
    );
  }
  const audio = median(rows.map((r) => r.audioSec));
  const wavMs = median(rows.map((r) => r.wavMs));
  const mp3Ms = median(rows.map((r) => r.mp3Ms));
  console.log(`\nmedian: plan+compose+render ${DURATION_SEC} s → WAV ${fmt(wavMs)} = ${speed(audio, wavMs)} real time (target ≥ 30×)`);
  console.log(`median: plan+compose+render ${DURATION_SEC} s → MP3 ${fmt(mp3Ms)} = ${speed(audio, mp3Ms)} real time (target ≥ 10×)`);
  const cpuMs = median(rows.map((r) => r.cpuMs));
  const cpuWavMs = median(rows.map((r) => r.cpuWavMs));
  console.log(
    `median CPU time (all threads): → WAV ${fmt(cpuWavMs)} = ${speed(audio, cpuWavMs)}, → MP3 ${fmt(cpuMs)} = ${speed(audio, cpuMs)} real time per core-second (synthesis runs on two cores, so idle cores give up to twice that in wall time)`,
  );
  const best = rows.reduce((a, b) => (b.wavMs / b.audioSec < a.wavMs / a.audioSec ? b : a));
  console.log(`fastest piece (${best.emotion}): → WAV ${speed(best.audioSec, best.wavMs)}, → MP3 ${speed(best.audioSec, best.mp3Ms)}`);
  if (cold) console.log(`first piece after the warm-up (happy, first use of its instruments): → WAV ${fmt(cold.wavMs)} = ${speed(cold.audioSec, cold.wavMs)}`);

  console.log(`load average after rendering: ${loadLine()}`);
  await benchCachedRepeat(DURATION_SEC, SEED);

  benchFluidSynth(soundFont, midiFiles, scratch, rows);
  rmSync(scratch, { recursive: true, force: true });
}

function loadLine(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
}

function benchFluidSynth(soundFont: string, midiFiles: string[], scratch: string, rows: Row[]): void {
  console.log('\nFluidSynth reference (same MIDI, same SoundFont, 44.1 kHz WAV, no mastering):');
  if (spawnSync('fluidsynth', ['--version']).error) {
    console.log('  fluidsynth not installed');
    return;
  }
  const render = (midi: string) => {
    const start = performance.now();
    execFileSync('fluidsynth', ['-ni', '-q', '-r', '44100', '-F', join(scratch, 'fluid.wav'), soundFont, midi], { stdio: 'ignore' });
    return performance.now() - start;
  };
  // A silent one-note file measures process start + SoundFont load (FluidSynth decodes all SF3 samples at load).
  const empty = join(scratch, 'empty.mid');
  writeFileSync(empty, Buffer.from('4d546864000000060000000101e04d54726b0000000400ff2f00', 'hex'));
  const loadMs = median([render(empty), render(empty), render(empty)]);
  const version = execFileSync('fluidsynth', ['--version']).toString().split('\n')[0];
  console.log(`  ${version}; process start + SoundFont load: ${fmt(loadMs)}`);
  const totals: number[] = [];
  midiFiles.forEach((file, i) => {
    const ms = render(file);
    totals.push(ms);
    const renderOnly = ms - loadMs;
    const detail = renderOnly > 0 ? `${fmt(renderOnly)} ${speed(rows[i].audioSec, renderOnly)}` : 'below the load-time noise';
    console.log(`  ${rows[i].emotion.padEnd(11)} total ${fmt(ms)} ${speed(rows[i].audioSec, ms)}   render only ≈ ${detail}`);
  });
  const total = median(totals);
  const audio = median(rows.map((r) => r.audioSec));
  console.log(`  median: total ${fmt(total)} = ${speed(audio, total)}, render only ≈ ${speed(audio, Math.max(1, total - loadMs))}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
