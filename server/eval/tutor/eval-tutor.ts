/**
 * npm run eval:tutor [-- --takes 8 --seed 31 --learners 40 --days 300]
 *
 *   1. pitch tracking on vocadito (RPA, RCA, voicing) beside pitchy with its defaults, plus the same under noise/8 kHz
 *   2. note-level onset/pitch F1 against vocadito's two note annotations, beside a pitchy-based segmentation
 *   3. assessment verdicts on synthetic performances with injected errors (per error, sound, room, sample rate)
 *   4. learner simulation: exercises to mastery, LessonPlanner vs a fixed curriculum order
 *   5. the FSRS refit on the simulated learners' attempts: held-out log loss of the default and the fitted weights
 *
 * Datasets are read from ../shared/datasets (override with TUTOR_DATASETS_DIR); parts that need them are skipped with
 * a message when they are absent. Nothing is downloaded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../src/music/engine/rng';
import { default_w } from 'ts-fsrs';
import {
  cardHistories,
  decodeWavMono,
  hzToMidi,
  ITEM_PRIOR_SD,
  LessonPlanner,
  refitItemDifficulties,
  refitItems,
  segmentNotes,
  trackPitch,
  type MonoAudio,
  type RecordedAttempt,
} from '../../src/tutor/engine';
import { resample } from '../../src/tutor/engine/audio/resample';
import { categoryAccuracy, evaluateAssessment, evaluateSounds, heldOutSoundSet, INJECTED_ERRORS, precision, recall, type Tally } from './assessment-eval';
import { MIN_REFIT_REVIEWS, refitFsrs, refitLearners } from '../../src/tutor/fsrs-refit';
import { simulateLearners } from './learner-simulation';
import { scoreNotes, type NoteScores } from './note-metrics';
import { scorePitch, type F0Series, type PitchScores } from './pitch-metrics';
import { pitchyNotes, pitchyTrack } from './pitchy-baseline';
import { numberArg } from '../lib/cli';

const DATASETS = process.env.TUTOR_DATASETS_DIR ?? join(__dirname, '../../../../shared/datasets');
const VOCADITO = join(DATASETS, 'pitch', 'vocadito');

const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function ourSeries(audio: MonoAudio): F0Series {
  const track = trackPitch(audio);
  return { times: Float64Array.from(track.f0Hz, (_, i) => i * track.hopSec), hz: Float64Array.from(track.f0Hz) };
}

function withNoise(samples: Float32Array, snrDb: number, seed: number): Float32Array {
  let power = 0;
  for (const v of samples) power += v * v;
  const rms = Math.sqrt(power / samples.length);
  const rng = createRng(seed);
  return samples.map((v) => v + rms * 10 ** (-snrDb / 20) * rng.gauss());
}

function pitchSection(): MonoAudio | undefined {
  console.log('## 1. Pitch tracking on vocadito (track 1, 33 s, solo singing)\n');
  const wav = join(VOCADITO, 'Audio', 'vocadito_1.wav');
  if (!existsSync(wav)) {
    console.log(`SKIPPED: ${wav} not found (set TUTOR_DATASETS_DIR to the folder holding pitch/vocadito).\n`);
    return undefined;
  }
  const audio = decodeWavMono(new Uint8Array(readFileSync(wav)));
  const rows = readFileSync(join(VOCADITO, 'Annotations', 'F0', 'vocadito_1_f0.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(',').map(Number));
  const reference: F0Series = { times: Float64Array.from(rows.map((r) => r[0])), hz: Float64Array.from(rows.map((r) => r[1])) };
  console.log("RPA/RCA: share of the annotation's voiced frames (3,642) with a voiced estimate within 50 cents (RCA: modulo octaves). Target RPA ≥ 0.96.\n");
  console.log('| condition | tracker | RPA | RCA | voicing recall | voicing false alarm | overall accuracy |');
  console.log('|---|---|---|---|---|---|---|');
  const line = (condition: string, name: string, s: PitchScores) =>
    console.log(`| ${condition} | ${name} | ${f3(s.rpa)} | ${f3(s.rca)} | ${f3(s.voicingRecall)} | ${f3(s.voicingFalseAlarm)} | ${f3(s.overallAccuracy)} |`);
  const conditions: [string, MonoAudio][] = [
    ['as recorded (44.1 kHz)', audio],
    ['8 kHz', { sampleRate: 8000, samples: resample(audio.samples, audio.sampleRate, 8000) }],
    ['white noise, 20 dB SNR', { sampleRate: audio.sampleRate, samples: withNoise(audio.samples, 20, 1) }],
    ['white noise, 10 dB SNR', { sampleRate: audio.sampleRate, samples: withNoise(audio.samples, 10, 2) }],
  ];
  for (const [condition, a] of conditions) {
    line(condition, '**ours** (NSDF + Viterbi)', scorePitch(reference, ourSeries(a)));
    line(condition, 'pitchy 4.1 defaults (clarity ≥ 0.8)', scorePitch(reference, pitchyTrack(a)));
  }
  console.log('');
  return audio;
}

function noteSection(audio: MonoAudio | undefined): void {
  console.log('## 2. Note segmentation on vocadito (onset ±50 ms, pitch ±50 cents, offsets ignored)\n');
  if (!audio) {
    console.log('SKIPPED: vocadito not found.\n');
    return;
  }
  const ours = segmentNotes(trackPitch(audio));
  const baseline = pitchyNotes(pitchyTrack(audio));
  console.log('| annotation | method | notes (ref / est) | precision | recall | F1 | onset-only F1 |');
  console.log('|---|---|---|---|---|---|---|');
  for (const who of ['A1', 'A2']) {
    const reference = readFileSync(join(VOCADITO, 'Annotations', 'Notes', `vocadito_1_notes${who}.csv`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(',').map(Number))
      .map(([start, hz]) => ({ start, pitch: hzToMidi(hz) }));
    const row = (name: string, s: NoteScores) =>
      console.log(`| ${who} | ${name} | ${s.reference} / ${s.estimated} | ${f3(s.precision)} | ${f3(s.recall)} | ${f3(s.f1)} | ${f3(s.onsetF1)} |`);
    row('**ours** (partitioning + re-articulation onsets)', scoreNotes(reference, ours));
    row('pitchy frames → semitone changes', scoreNotes(reference, baseline));
  }
  console.log('');
}

async function assessmentSection(takes: number): Promise<void> {
  console.log(`## 3. Assessment on synthetic performances (${takes} takes per sound, about 30% of notes with an injected error)\n`);
  const started = performance.now();
  // Seed 31 is held out: the parameters were chosen on takes made with the generator's default seed (2024).
  const r = await evaluateAssessment(takes, numberArg('seed', 31));
  const row = (name: string, t: Tally) =>
    `| ${name} | ${t.notes} | ${t.injected} | ${t.tp} | ${t.fp} | ${t.fn} | ${f3(precision(t))} | ${f3(recall(t))} | ${f3(categoryAccuracy(t))} |`;
  const header = (first: string) => {
    console.log(`| ${first} | reference notes | injected errors | detected | false alarms | missed errors | precision | recall | right category |`);
    console.log('|---|---|---|---|---|---|---|---|---|');
  };
  console.log(
    `${r.takes} takes, ${r.audioSec.toFixed(0)} s of audio, assessed through assessWav in ${(r.assessMs / 1000).toFixed(1)} s (${((1000 * r.audioSec) / r.assessMs).toFixed(0)}× real time); whole section ${((performance.now() - started) / 1000).toFixed(0)} s with rendering.`,
  );
  console.log(
    'Error detection: a reference note with an injected error is detected when its verdict is not `correct`; an injected extra when an `extra` lies within 250 ms and 1 semitone of it. False alarms: non-`correct` verdicts on clean notes and `extra` entries that match no injected extra. Right category: the verdict (or `extra`) equals the injected kind. Targets: precision and recall ≥ 0.9, right category ≥ 0.8.\n',
  );
  header('all');
  console.log(row('**all**', r.total));
  console.log('');
  console.log('| injected error | count | detected | right category | recall | category accuracy |');
  console.log('|---|---|---|---|---|---|');
  for (const e of INJECTED_ERRORS) {
    const t = r.byError.get(e);
    if (t) console.log(`| ${e} | ${t.injected} | ${t.tp} | ${t.rightCategory} | ${f3(recall(t))} | ${f3(categoryAccuracy(t))} |`);
  }
  console.log('');
  header('sound');
  for (const [k, t] of r.bySound) console.log(row(k, t));
  console.log('');
  const held = await evaluateSounds(heldOutSoundSet(), takes, numberArg('seed', 31));
  console.log(
    'Held-out sounds (not tuned on, not in the totals above; the same planner, errors, rooms and rates). Known weak: slow attacks under a ringing previous note, long rings, fast decays.\n',
  );
  header('held-out sound');
  for (const [k, t] of held.bySound) console.log(row(k, t));
  console.log(row('**all held-out**', held.total));
  console.log('');
  header('room');
  for (const [k, t] of r.byRoom) console.log(row(k, t));
  console.log('');
  header('sample rate');
  for (const [k, t] of [...r.byRate.entries()].sort((a, b) => a[0] - b[0])) console.log(row(`${k} Hz`, t));
  console.log('');
}

async function simulationSection(learners: number, days: number): Promise<void> {
  console.log(`## 4. Learner simulation (${learners} simulated learners with forgetting, 20 exercises a day, up to ${days} days)\n`);
  const started = performance.now();
  const attempts: RecordedAttempt[] = [];
  const r = simulateLearners(learners, days, undefined, undefined, (attempt) => attempts.push(attempt));
  const stats = (xs: number[]) => {
    const done = xs.filter(Number.isFinite).sort((a, b) => a - b);
    const q = (p: number) => (done.length ? done[Math.min(done.length - 1, Math.floor(p * done.length))] : NaN);
    const mean = done.reduce((s, x) => s + x, 0) / Math.max(1, done.length);
    return `| ${done.length} / ${xs.length} | ${done.length ? mean.toFixed(0) : '—'} | ${done.length ? `${q(0.25)} – ${q(0.5)} – ${q(0.75)}` : '—'} |`;
  };
  console.log('Mastery: every one of the 35 skills at ≥ 80% true success after forgetting, at the end of a day. Exercises counted until then.\n');
  console.log('| teacher | learners reaching mastery | mean exercises | Q1 – median – Q3 |');
  console.log('|---|---|---|---|');
  console.log(`| **LessonPlanner** (Elo + target band + FSRS) ${stats(r.planner)}`);
  console.log(`| fixed curriculum order (20 per skill, repeated) ${stats(r.fixed)}`);
  const paired = r.planner.map((p, i) => [p, r.fixed[i]]).filter(([p, f]) => Number.isFinite(p) && Number.isFinite(f));
  if (paired.length) {
    const ratio = paired.reduce((s, [p, f]) => s + p / f, 0) / paired.length;
    console.log(
      `\nOn the ${paired.length} learners who reached mastery under both, the planner needed ${pct(ratio)} of the fixed order's exercises on average.`,
    );
  }
  const refitStarted = performance.now();
  const refitted = new Map((await refitItemDifficulties(attempts, new LessonPlanner())).map((r) => [r.itemId, r.difficulty]));
  const refitSeconds = (performance.now() - refitStarted) / 1000;
  console.log(
    `Item difficulties, mean absolute error against the simulation's true difficulties (both centred per skill): priors ${f3(r.calibrationError.before)}; ` +
      `the planner's online calibration (Elo on first attempts) ${f3(r.calibrationError.after)}; refitted from every attempt ` +
      `(\`refitItemDifficulties\`, prior sd ${ITEM_PRIOR_SD}) ${f3(r.errorOf((itemId) => refitted.get(itemId)!))} in ${refitSeconds.toFixed(1)} s. ` +
      `${((performance.now() - started) / 1000).toFixed(0)} s.\n`,
  );
  const judged = await refitItems(attempts, new LessonPlanner(), r.calibration);
  console.log(
    `As the service's refit judges it (one learner in five held out, against the online calibration): ${judged.accepted ? 'taken' : 'not taken'}. ${judged.reason}\n`,
  );
  await refitSection(attempts);
}

/** The service's FSRS refit on the planner's attempts in the simulation (whose forgetting is not FSRS's own model). */
async function refitSection(attempts: readonly RecordedAttempt[]): Promise<void> {
  console.log("## 5. FSRS refit on the simulated learners' attempts (as `POST /api/tutor/scheduler/refit` runs it)\n");
  const started = performance.now();
  const planner = new LessonPlanner();
  const histories = cardHistories(attempts, (score) => planner.gradeOf(score));
  const report = await refitFsrs(histories, default_w);
  const { heldOut } = report;
  const quality = (q?: { logLoss: number; rmseBins: number }) => (q ? `${q.logLoss.toFixed(4)} | ${q.rmseBins.toFixed(4)}` : '— | —');
  console.log(
    `${attempts.length} attempts: ${report.learners} learners, ${report.cards} cards, ${report.reviews} long-term reviews; held out ${heldOut.cards} cards (${heldOut.reviews} long-term reviews).\n`,
  );
  console.log('| weights, on the held-out reviews | log loss | RMSE (bins) |');
  console.log('|---|---:|---:|');
  console.log(`| FSRS-6 defaults (in use) | ${quality(heldOut.current)} |`);
  console.log(`| fitted on the other cards | ${quality(heldOut.fitted)} |`);
  console.log(`\n${report.accepted ? 'Accepted' : 'Not accepted'}: ${report.reason} ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);

  // Each learner with enough reviews refitted on their own cards against the shared weights just fitted. The
  // simulation's learners differ in aptitude, not in how their memories strengthen, so weights of their own should
  // seldom predict them better: what this measures is how often the per-learner judge is fooled by its small held-out set.
  const learnersStarted = performance.now();
  const refits = await refitLearners(histories, () => report.weights);
  const judged = refits.filter((r) => r.report.heldOut.current && r.report.heldOut.fitted);
  const accepted = refits.filter((r) => r.report.accepted);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const gain = (rs: typeof refits) => mean(rs.map((r) => r.report.heldOut.current!.logLoss - r.report.heldOut.fitted!.logLoss));
  const whereAccepted = accepted.length ? `held-out log loss lower by ${gain(accepted).toFixed(4)} on average where accepted; ` : '';
  console.log(
    `Learners' own weights: ${refits.length} of ${report.learners} learners have ≥ ${MIN_REFIT_REVIEWS} long-term reviews; ${judged.length} judged, ` +
      `${accepted.length} accepted (${whereAccepted}own weights against the shared ones over all judged: log loss lower by ${gain(judged).toFixed(4)}, ` +
      `a negative figure is worse). ${((performance.now() - learnersStarted) / 1000).toFixed(1)} s.\n`,
  );
}

async function main(): Promise<void> {
  console.log('# Tutor engine evaluation\n');
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; datasets: ${DATASETS}\n`);
  const audio = pitchSection();
  noteSection(audio);
  await assessmentSection(numberArg('takes', 8));
  await simulationSection(numberArg('learners', 40), numberArg('days', 300));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
