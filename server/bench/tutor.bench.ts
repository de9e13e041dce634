/**
 * npm run bench:tutor — time to assess 30 s of audio on this machine (target ≤ 300 ms).
 *
 * Takes of 30 s (a sung voice-like melody and a SoundFont piano, at 8, 16, 44.1 and 48 kHz, mono/stereo, 16-bit or
 * float WAV) go through `assessWav`, the engine's entry point: WAV decode → resample to 16 kHz → pitch track →
 * notes → alignment, verdicts, feedback. Wall and CPU time are medians of 7 runs after a warm-up, with the stages
 * timed apart. Then the same takes through POST /api/tutor/assess on the real app (tutor-api.bench.ts). Figures are
 * printed, never asserted.
 */
import { cpus, loadavg } from 'node:os';
import { bundledSoundFontPath } from '../src/music/engine/audio/soundfont';
import { writeSmf } from '../src/music/engine/audio/smf-writer';
import { loadSoundBank, synthesizeMidi } from '../src/music/engine/audio/synthesize';
import { createRng } from '../src/music/engine/rng';
import { assessNotes, assessWav, decodeWavMono, encodeWavMono, segmentNotes, trackPitch, type ReferenceNote } from '../src/tutor/engine';
import { resample } from '../src/tutor/engine/audio/resample';
import { composedMelody, planPerformance } from '../eval/tutor/performance/performances';
import { addNoise, addReverb, normalise } from '../eval/tutor/performance/room';
import { randomVoiceStyle, renderVoice, type PerformedNote } from '../eval/tutor/performance/sounds';
import { benchAssessApi } from './tutor-api.bench';

const SECONDS = 30;
const RUNS = 7;
const RENDER_RATE = 48000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** A reference melody of about 30 s from the music engine (several composed phrases joined). */
function longMelody(seed: number, lo: number, hi: number): ReferenceNote[] {
  const rng = createRng(seed);
  const notes: ReferenceNote[] = [];
  let offset = 0;
  while (offset < SECONDS - 1) {
    const phrase = composedMelody(rng.fork(`phrase ${notes.length}`), lo, hi, 16);
    for (const n of phrase) if (offset + n.start < SECONDS - 0.6) notes.push({ ...n, start: offset + n.start });
    const last = phrase.at(-1)!;
    offset += last.start + last.duration + 0.5;
  }
  return notes;
}

interface Take {
  name: string;
  wav: Uint8Array;
  reference: ReferenceNote[];
  audioSec: number;
}

async function takes(): Promise<Take[]> {
  const rng = createRng(99);
  const voiceRef = longMelody(1, 50, 69);
  const voicePlan = planPerformance(voiceRef, rng.fork('voice'), 0.2, true);
  let voice = renderVoice(voicePlan.performed, RENDER_RATE, rng.fork('voice sound'), randomVoiceStyle(rng.fork('style')));
  voice = addNoise(addReverb(voice, RENDER_RATE, 0.5, 6, rng.fork('room')), 25, 'pink', rng.fork('noise'));
  const pianoRef = longMelody(2, 55, 79);
  const pianoPlan = planPerformance(pianoRef, rng.fork('piano'), 0.2, false);
  const bank = loadSoundBank(bundledSoundFontPath());
  const midi = writeSmf(
    pianoPlan.performed.map((n: PerformedNote) => ({ pitch: Math.round(n.pitch), startBeat: n.start, beats: n.duration, velocity: 96, program: 0 })),
    60,
  );
  const pcm = await synthesizeMidi(bank, midi, { sampleRate: RENDER_RATE, tailSec: 0.5, maxDurationSec: 60, effects: false });
  const piano = pcm.left.map((v, i) => 0.5 * (v + pcm.right[i]));
  const cut = (x: Float32Array, rate: number) => normalise((rate === RENDER_RATE ? x : resample(x, RENDER_RATE, rate)).slice(0, SECONDS * rate), 0.6);
  const make = (name: string, x: Float32Array, reference: ReferenceNote[], rate: number, encoding: 'pcm16' | 'float32', channels: 1 | 2): Take => {
    const samples = cut(x, rate);
    return { name, wav: encodeWavMono({ sampleRate: rate, samples }, encoding, channels), reference, audioSec: samples.length / rate };
  };
  return [
    make('voice, 44.1 kHz mono 16-bit', voice, voiceRef, 44100, 'pcm16', 1),
    make('voice, 48 kHz stereo float', voice, voiceRef, 48000, 'float32', 2),
    make('voice, 16 kHz mono 16-bit', voice, voiceRef, 16000, 'pcm16', 1),
    make('voice, 8 kHz mono 16-bit', voice, voiceRef, 8000, 'pcm16', 1),
    make('SoundFont piano, 44.1 kHz stereo 16-bit', piano, pianoRef, 44100, 'pcm16', 2),
  ];
}

function loadLine(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
}

async function main(): Promise<void> {
  console.log(`# Tutor assessment bench — ${SECONDS} s takes, median of ${RUNS} runs after a warm-up\n`);
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average ${loadLine()} (figures grow when other processes share the cores)\n`,
  );
  const all = await takes();
  console.log(
    '| take | notes | assessWav wall | assessWav CPU | decode | resample + pitch track | segmentation | alignment + verdicts + feedback | target ≤ 300 ms |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  const walls: number[] = [];
  for (const take of all) {
    assessWav(take.wav, take.reference);
    const wall: number[] = [];
    const cpu: number[] = [];
    const stages: number[][] = [[], [], [], []];
    for (let r = 0; r < RUNS; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      assessWav(take.wav, take.reference);
      wall.push(performance.now() - t0);
      const used = process.cpuUsage(c0);
      cpu.push((used.user + used.system) / 1000);
      // The same pipeline, stage by stage.
      let t = performance.now();
      const audio = decodeWavMono(take.wav);
      stages[0].push(performance.now() - t);
      t = performance.now();
      const track = trackPitch(audio);
      stages[1].push(performance.now() - t);
      t = performance.now();
      const notes = segmentNotes(track);
      stages[2].push(performance.now() - t);
      t = performance.now();
      assessNotes(take.reference, notes);
      stages[3].push(performance.now() - t);
    }
    const w = median(wall);
    walls.push(w);
    console.log(
      `| ${take.name} (${take.audioSec.toFixed(1)} s) | ${take.reference.length} | ${ms(w)} | ${ms(median(cpu))} | ${stages.map((s) => ms(median(s))).join(' | ')} | ${w <= 300 ? 'met' : 'missed'} |`,
    );
  }
  console.log(
    `\nworst median: ${ms(Math.max(...walls))} for ${SECONDS} s of audio (${((SECONDS * 1000) / Math.max(...walls)).toFixed(0)}× real time); load average after: ${loadLine()}`,
  );
  await benchAssessApi(all);
  console.log(`\nload average after: ${loadLine()}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
