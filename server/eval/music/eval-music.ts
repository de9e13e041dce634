/**
 * npm run eval:music [-- --n 8 --duration 60 --corpus-limit 0]
 * Generates N pieces per emotion and per topic, measures MusPy-style symbolic metrics on the MIDI bytes the engine
 * writes (parsed back), compares them with the Nottingham and JSB-chorale corpora, and checks emotion conformity.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMOTION_TABLE } from '../../src/music/engine/emotion-table';
import { analyseTopic, compose, MusicPlan, planFromEmotion, planFromTopic, toMidi } from '../../src/music/engine';
import { estimateEmotion, inTargetQuadrant } from './emotion-conformity';
import { measure, METRIC_NAMES, PieceMetrics, quantile } from './metrics';
import { fromMidiBytes } from './symbolic-piece';
import { parallelPerfectRate, voiceStates } from './voice-leading';
import { evaluateOnEmoBank } from './topic-emobank';
import { MELODY_PROFILE_NAMES, MelodyProfile, melodyProfile } from './melody-profile';
import { numberArg } from '../lib/cli';
import { midiFiles } from '../lib/files';

const DATASETS = process.env.MUSIC_DATASETS_DIR ?? join(__dirname, '../../../../shared/datasets');
const TOPICS = [
  '生日派对，和朋友们一起跳舞，非常开心',
  'a lonely rainy evening, tears and goodbye',
  '清晨的湖边，宁静的阳光',
  'a scary chase through a dark forest',
  '被朋友背叛，愤怒到极点',
  'a lullaby for a sleeping baby',
  'epic battle of heroes',
  '月光下神秘的古堡',
  'summer road trip with friends',
  '失恋以后一个人在雨中',
  '温柔的情歌，给心爱的人',
  'meditation in a quiet temple',
];

interface Summary {
  q1: number;
  median: number;
  q3: number;
}
type MetricSummary = Record<keyof PieceMetrics, Summary>;

function summarise(rows: PieceMetrics[]): MetricSummary {
  const out = {} as MetricSummary;
  for (const m of METRIC_NAMES) {
    const v = rows.map((r) => r[m]).filter(Number.isFinite);
    out[m] = { q1: quantile(v, 0.25), median: quantile(v, 0.5), q3: quantile(v, 0.75) };
  }
  return out;
}

/** Parallel-fifths/octaves rate of each JSB chorale (four voice tracks). */
function chorales(limit: number): number[] {
  let files = midiFiles(join(DATASETS, 'jsb-chorales', 'midi'));
  if (limit > 0) files = files.slice(0, limit);
  return files.map((f) => parallelPerfectRate(voiceStates(fromMidiBytes(new Uint8Array(readFileSync(f))))));
}

/** Melody interval profiles of the Nottingham tunes. */
function nottinghamMelodies(limit: number): MelodyProfile[] {
  let files = midiFiles(join(DATASETS, 'nottingham', 'midi'));
  if (limit > 0) files = files.slice(0, limit);
  return files.map((f) => melodyProfile(fromMidiBytes(new Uint8Array(readFileSync(f))))).filter((x): x is MelodyProfile => x !== undefined);
}

function corpusMetrics(name: string, limit: number): PieceMetrics[] | undefined {
  const dir = join(DATASETS, name, 'midi');
  if (!existsSync(dir)) return undefined;
  let files = midiFiles(dir);
  if (limit > 0) files = files.slice(0, limit);
  const rows: PieceMetrics[] = [];
  let failed = 0;
  for (const f of files) {
    try {
      const piece = fromMidiBytes(new Uint8Array(readFileSync(f)));
      if (piece.notes.length > 0) rows.push(measure(piece));
    } catch {
      failed++;
    }
  }
  if (failed) console.log(`(${name}: ${failed} file(s) could not be parsed and were skipped)`);
  return rows;
}

const fmt = (x: number, m: keyof PieceMetrics) =>
  m === 'pitchRange' ? x.toFixed(0) : m === 'emptyBeatRate' || m === 'grooveConsistency' || m === 'scaleConsistency' ? x.toFixed(3) : x.toFixed(2);
const inside = (x: number, s: Summary) => x >= s.q1 - 1e-9 && x <= s.q3 + 1e-9;
const QUAD = (v: number, a: number) => `${Math.abs(v) < 0.1 ? '±' : v > 0 ? '+' : '−'}V${Math.abs(a) < 0.1 ? '±' : a > 0 ? '+' : '−'}A`;

interface Group {
  name: string;
  plan: MusicPlan;
  target: { valence: number; arousal: number };
}

function main(): void {
  const n = numberArg('n', 8);
  const duration = numberArg('duration', 60);
  const limit = numberArg('corpus-limit', 0);
  const nottingham = corpusMetrics('nottingham', limit);
  const jsb = corpusMetrics('jsb-chorales', limit);
  if (!nottingham || !jsb) {
    console.log(`SKIPPED: reference corpora not found under ${DATASETS} (need nottingham/midi and jsb-chorales/midi). Set MUSIC_DATASETS_DIR to their parent.`);
    return;
  }
  const refN = summarise(nottingham);
  const refJ = summarise(jsb);

  const groups: Group[] = [
    ...EMOTION_TABLE.map((a) => ({
      name: a.emotion,
      plan: planFromEmotion({ valence: a.valence, arousal: a.arousal, label: a.emotion }, duration),
      target: { valence: a.valence, arousal: a.arousal },
    })),
    ...TOPICS.map((t) => {
      const analysis = analyseTopic(t);
      return { name: `“${t}”`, plan: planFromTopic(analysis, duration), target: { valence: analysis.valence, arousal: analysis.arousal } };
    }),
  ];

  const all: PieceMetrics[] = [];
  const generatedParallels: number[] = [];
  const generatedMelodies: MelodyProfile[] = [];
  const groupRows: string[] = [];
  const confRows: string[] = [];
  let hits = 0;
  let total = 0;
  for (const g of groups) {
    const metrics: PieceMetrics[] = [];
    let inQuadrant = 0;
    const modes: Record<string, number> = { major: 0, minor: 0 };
    const est = { v: 0, a: 0 };
    for (let seed = 1; seed <= n; seed++) {
      const composition = compose(g.plan, seed);
      generatedParallels.push(parallelPerfectRate(composition.chords.map((c) => c.voicing)));
      const piece = fromMidiBytes(toMidi(composition));
      const profile = melodyProfile(piece);
      if (profile) generatedMelodies.push(profile);
      metrics.push(measure(piece));
      const e = estimateEmotion(piece);
      modes[e.mode]++;
      est.v += e.valence / n;
      est.a += e.arousal / n;
      if (inTargetQuadrant(g.target, e)) inQuadrant++;
    }
    all.push(...metrics);
    hits += inQuadrant;
    total += n;
    const s = summarise(metrics);
    groupRows.push(`| ${g.name} | ${METRIC_NAMES.map((m) => `${fmt(s[m].median, m)}${inside(s[m].median, refN[m]) ? '' : ' ✗'}`).join(' | ')} |`);
    confRows.push(
      `| ${g.name} | ${g.target.valence.toFixed(2)}, ${g.target.arousal.toFixed(2)} (${QUAD(g.target.valence, g.target.arousal)}) | ${g.plan.key} ${g.plan.mode}, ${g.plan.tempo} BPM | ${modes.major}/${modes.minor} | ${est.v.toFixed(2)}, ${est.a.toFixed(2)} | ${((100 * inQuadrant) / n).toFixed(0)}% |`,
    );
  }
  const gen = summarise(all);

  console.log(`\n## Symbolic metrics: ${all.length} generated pieces (${n} seeds × ${groups.length} targets, ${duration} s) vs reference corpora\n`);
  console.log(
    `Reference IQRs: Nottingham ${nottingham.length} tunes, JSB chorales ${jsb.length}. "in IQR" compares the generated median with the Nottingham IQR (the fitting corpus: melody + chord accompaniment); the JSB column is shown for harmony-related metrics.\n`,
  );
  console.log(
    '| metric | Nottingham Q1 – median – Q3 | JSB Q1 – median – Q3 | generated Q1 – median – Q3 | median in Nottingham IQR | pieces in Nottingham IQR | median in JSB IQR |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const m of METRIC_NAMES) {
    const share = all.filter((r) => inside(r[m], refN[m])).length / all.length;
    const r = (s: Summary) => `${fmt(s.q1, m)} – ${fmt(s.median, m)} – ${fmt(s.q3, m)}`;
    console.log(
      `| ${m} | ${r(refN[m])} | ${r(refJ[m])} | ${r(gen[m])} | ${inside(gen[m].median, refN[m]) ? 'yes' : 'NO'} | ${(share * 100).toFixed(0)}% | ${inside(gen[m].median, refJ[m]) ? 'yes' : 'no'} |`,
    );
  }
  const bach = chorales(limit);
  console.log(`\n## Voice leading (parallel fifths/octaves per 100 voice-pair motions)\n`);
  console.log('| source | Q1 – median – Q3 | max |');
  console.log('|---|---|---|');
  console.log(
    `| JSB chorales (4 voices, ${bach.length}) | ${quantile(bach, 0.25).toFixed(2)} – ${quantile(bach, 0.5).toFixed(2)} – ${quantile(bach, 0.75).toFixed(2)} | ${Math.max(...bach).toFixed(2)} |`,
  );
  console.log(
    `| generated harmony voices (${generatedParallels.length}) | ${quantile(generatedParallels, 0.25).toFixed(2)} – ${quantile(generatedParallels, 0.5).toFixed(2)} – ${quantile(generatedParallels, 0.75).toFixed(2)} | ${Math.max(...generatedParallels).toFixed(2)} |`,
  );
  const tunes = nottinghamMelodies(limit);
  console.log(`\n## Melody line (interval profile per piece)\n`);
  console.log('| measure | Nottingham melodies Q1 – median – Q3 | generated melodies Q1 – median – Q3 |');
  console.log('|---|---|---|');
  for (const m of MELODY_PROFILE_NAMES) {
    const q = (rows: MelodyProfile[]) =>
      [0.25, 0.5, 0.75]
        .map((x) =>
          quantile(
            rows.map((r) => r[m]),
            x,
          ).toFixed(2),
        )
        .join(' – ');
    const label = m === 'meanInterval' ? 'mean absolute interval (semitones)' : m === 'leaps' ? 'share of leaps > a fifth' : `share of ${m}`;
    console.log(`| ${label} | ${q(tunes)} | ${q(generatedMelodies)} |`);
  }
  console.log(`\n## Per-target medians (✗ = outside the Nottingham IQR)\n`);
  console.log(`| target | ${METRIC_NAMES.join(' | ')} |`);
  console.log(`|---|${METRIC_NAMES.map(() => '---').join('|')}|`);
  for (const row of groupRows) console.log(row);
  console.log(`\n## Emotion conformity (Krumhansl–Schmuckler key, tempo, register, density → valence/arousal quadrant)\n`);
  console.log('| target | target V, A (quadrant) | plan | detected major/minor | mean estimated V, A | in quadrant |');
  console.log('|---|---|---|---|---|---|');
  for (const row of confRows) console.log(row);
  console.log(`\n**${hits}/${total} pieces (${((100 * hits) / total).toFixed(1)}%) land in the intended quadrant** (target ≥ 90%).`);
  const emobank = evaluateOnEmoBank(DATASETS);
  if (!emobank) {
    console.log('\n(EmoBank not found: topic-analyser check skipped.)');
  } else {
    console.log(`\n## Topic analyser vs EmoBank dev (${emobank.sentences} English sentences, ratings 1–5)\n`);
    console.log('| subset | sentences | Pearson r valence | Pearson r arousal |');
    console.log('|---|---|---|---|');
    console.log(`| all | ${emobank.sentences} | ${emobank.valenceR.toFixed(3)} | ${emobank.arousalR.toFixed(3)} |`);
    console.log(`| with ≥ 1 lexicon word | ${emobank.covered} | ${emobank.valenceRCovered.toFixed(3)} | ${emobank.arousalRCovered.toFixed(3)} |`);
  }
}

main();
