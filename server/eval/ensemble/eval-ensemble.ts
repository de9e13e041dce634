/**
 * npm run eval:ensemble [-- --only clock,key,chord,beat,reply --limit 0 --seeds 5]
 *
 * Measures the ensemble engines and prints markdown tables:
 *   clock  offset error of the shared clock's estimator on simulated networks and on a real TCP loopback
 *   key    streaming key estimation on the Nottingham tunes and the JSB chorales (MIREX weighted score)
 *   chord  streaming chord estimation against the Nottingham accompaniment and the chorales' harmony
 *   beat   the online beat tracker on the Nottingham melodies played at random tempi
 *   reply  the accompanist's reply latency for every test phrase (and its entry and chord-following delays)
 *
 * Corpora are read from /work/shared/datasets (ENSEMBLE_DATASETS_DIR overrides); sections that need them are skipped
 * with a message when they are absent.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_PROFILE_NAMES } from '../../src/ensemble/engine/key-profiles';
import { measureTcpLoopback, NETWORKS, simulateNetwork } from './clock-sim';
import { CorpusPiece, loadChorales, loadGenerated, loadNottingham, TimedNote } from './corpus';
import { BeatResult, evaluateBeats } from './beat-eval';
import { ChordResult, evaluateChords, evaluateKey, KeyRelation, KeyResult } from './listening-eval';
import { chordFollowing, LatencyRow, measurePhrase, TEST_PHRASES } from './reply-latency';
import { machineLine, mean, quantile, table } from './report';
import { listArg, numberArg } from '../lib/cli';

export const DATASETS = process.env.ENSEMBLE_DATASETS_DIR ?? join(__dirname, '../../../../shared/datasets');

const ms = (x: number) => x.toFixed(3);

async function clockSection(seeds: number): Promise<void> {
  console.log('\n## Shared clock: offset error of the estimator\n');
  console.log(
    `Median of round-trip midpoints over a 32-sample window, the quarter with the lowest round trips kept, drift (Theil–Sen, when the middle half of the pair slopes agree in sign) once the window spans 10 s. Pings: 10 at 100 ms, then one a second for 10 min; ${seeds} seeds per network; error = |estimate − true offset| from the 8th sample on.\n`,
  );
  const rows: (string | number)[][] = [];
  for (const net of NETWORKS) {
    const errors: number[] = [];
    const rtts: number[] = [];
    let lost = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const r = simulateNetwork(net, seed);
      errors.push(...r.errors);
      rtts.push(...r.rtts);
      lost += r.lost;
    }
    const p95 = quantile(errors, 0.95);
    rows.push([
      net.name,
      ms(quantile(rtts, 0.5)),
      errors.length,
      lost,
      ms(quantile(errors, 0.5)),
      `**${ms(p95)}**`,
      ms(Math.max(...errors)),
      ms(net.asymmetryMs / 2),
    ]);
  }
  const tcp = await measureTcpLoopback();
  rows.push([
    'real TCP loopback (child process, 10 ms apart)',
    ms(quantile(tcp.rtts, 0.5)),
    tcp.errors.length,
    0,
    ms(quantile(tcp.errors, 0.5)),
    `**${ms(quantile(tcp.errors, 0.95))}**`,
    ms(Math.max(...tcp.errors)),
    '–',
  ]);
  console.log(table(['network', 'RTT p50 (ms)', 'samples', 'lost', 'error p50 (ms)', 'error p95 (ms)', 'error max (ms)', 'asymmetry bias (ms)'], rows));
  const loopback = rows.filter((r) => String(r[0]).includes('loopback'));
  const worst = Math.max(...loopback.map((r) => Number(String(r[5]).replace(/\*/g, ''))));
  console.log(`\nTarget p95 < 2 ms on loopback: worst loopback p95 ${ms(worst)} ms — ${worst < 2 ? 'met' : 'MISSED'}.`);
  console.log(
    'A ping/pong cannot see a path asymmetry: the midpoint is off by half the difference of the one-way delays (the last column), whatever the estimator.',
  );
}

interface Corpora {
  nottingham: CorpusPiece[];
  chorales: CorpusPiece[];
  notes: string;
}

function loadCorpora(limit: number): Corpora | undefined {
  const nDir = join(DATASETS, 'nottingham', 'midi');
  const jDir = join(DATASETS, 'jsb-chorales', 'midi');
  if (!existsSync(nDir) || !existsSync(jDir)) {
    console.log(
      `\nSKIPPED the corpus sections (key, chord, beat, Nottingham phrases): corpora not found under ${DATASETS} (need nottingham/midi and jsb-chorales/midi). Set ENSEMBLE_DATASETS_DIR to their parent.`,
    );
    return undefined;
  }
  const n = loadNottingham(nDir, limit);
  const j = loadChorales(jDir, limit);
  const notes =
    `Nottingham: ${n.pieces.length} tunes (${n.skipped} without a chord track left out), ${n.withKey} with a derivable key; ` +
    `JSB: ${j.pieces.length} chorales, ${j.withKey} with a derivable key.`;
  return { nottingham: n.pieces, chorales: j.pieces, notes };
}

const melodyOf = (p: CorpusPiece): TimedNote[] => p.notes.filter((n) => n.track === p.melodyTrack);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function keySection(c: Corpora): void {
  console.log('\n## Key estimation (streaming, MIREX weighted score)\n');
  console.log(
    `${c.notes} Each piece is played into a KeyListener (half-life 12 s) as note events; "at the end" scores its answer when the piece ends, "per beat" averages its answer at every beat from the ninth on (a chorale that modulates is scored against its home key throughout), "whole piece" is the non-causal Krumhansl–Schmuckler answer on all notes at once, for reference. Albrecht–Shanahan is the engine's profile; the others are shown for comparison.\n`,
  );
  const rows: (string | number)[][] = [];
  for (const [corpus, pieces] of [
    ['Nottingham', c.nottingham],
    ['JSB chorales', c.chorales],
  ] as const) {
    for (const input of ['all parts', 'melody only'] as const) {
      for (const profile of KEY_PROFILE_NAMES) {
        const results = pieces
          .map((p) => evaluateKey(p, input === 'all parts' ? p.notes : melodyOf(p), profile))
          .filter((r): r is KeyResult => r !== undefined);
        const count = (rel: KeyRelation) => results.filter((r) => r.finalRelation === rel).length;
        const name = profile === 'albrecht-shanahan' ? '**albrecht-shanahan**' : profile;
        rows.push([
          corpus,
          input === 'all parts' ? (corpus === 'Nottingham' ? 'melody + chords' : 'four voices') : corpus === 'Nottingham' ? 'melody' : 'soprano',
          name,
          results.length,
          mean(results.map((r) => r.final)).toFixed(3),
          `${count('correct')} / ${count('fifth')} / ${count('relative')} / ${count('parallel')} / ${count('other')}`,
          mean(results.map((r) => r.streaming)).toFixed(3),
          mean(results.map((r) => r.global)).toFixed(3),
        ]);
      }
    }
  }
  console.log(
    table(
      [
        'corpus',
        'input',
        'profile',
        'pieces',
        'MIREX at the end',
        'correct / fifth / relative / parallel / other',
        'MIREX per beat',
        'whole piece (non-causal)',
      ],
      rows,
    ),
  );
}

function chordSection(c: Corpora): void {
  console.log('\n## Chord estimation (streaming, every sixteenth note)\n');
  console.log(
    `The chord listener (36 chord states, engine defaults: a change likelier where notes are struck, the key from the streaming KeyListener feeding the music engine's harmony prior) hears the input; its answer every sixteenth note is compared with the ground truth sounding at that moment: the Nottingham accompaniment track's chord, or the chorale's four voices where they form exactly a major or minor triad (or its dominant/minor seventh). "majmin" = right root and major/minor quality (a diminished answer counts wrong); "root" = right root. Frames without a derivable major/minor chord are not scored (coverage).\n`,
  );
  const rows: (string | number)[][] = [];
  const generated = loadGenerated(4);
  const played = (p: CorpusPiece) => p.notes.filter((n) => n.track !== p.chordTrack);
  const truthTrack = (p: CorpusPiece) => p.notes.filter((n) => n.track === p.chordTrack);
  const cases: [string, string, CorpusPiece[], (p: CorpusPiece) => TimedNote[], (p: CorpusPiece) => TimedNote[]][] = [
    ['music engine (generated)', 'melody + accompaniment', generated, played, truthTrack],
    ['music engine (generated)', 'melody only', generated, melodyOf, truthTrack],
    ['Nottingham', 'melody + chords', c.nottingham, (p) => p.notes, truthTrack],
    ['Nottingham', 'melody only', c.nottingham, melodyOf, truthTrack],
    ['JSB chorales', 'four voices', c.chorales, (p) => p.notes, (p) => p.notes],
    ['JSB chorales', 'soprano only', c.chorales, melodyOf, (p) => p.notes],
  ];
  for (const [corpus, input, pieces, inputOf, truthOf] of cases) {
    for (const prior of [true, false]) {
      const total: ChordResult = { frames: 0, allFrames: 0, majmin: 0, root: 0 };
      for (const p of pieces) {
        const r = evaluateChords(p, inputOf(p), truthOf(p), prior);
        total.frames += r.frames;
        total.allFrames += r.allFrames;
        total.majmin += r.majmin;
        total.root += r.root;
      }
      rows.push([
        corpus,
        input,
        prior ? '**harmony model**' : 'uniform (ablation)',
        pieces.length,
        `${total.frames} (${pct(total.frames / total.allFrames)})`,
        prior ? `**${pct(total.majmin / total.frames)}**` : pct(total.majmin / total.frames),
        pct(total.root / total.frames),
      ]);
    }
  }
  console.log(table(['corpus', 'input', 'chord-change prior', 'pieces', 'scored frames (coverage)', 'majmin accuracy', 'root accuracy'], rows));
  console.log(
    "\nThe generated pieces are the music engine's own (8 emotions × 4 seeds, 60 s; exact chords from its chord spans): a check on music outside both corpora, including modal ones and intros without melody.",
  );
}

function beatSection(c: Corpora): void {
  console.log('\n## Beat tracking (online, Nottingham melodies at random tempi)\n');
  console.log(
    'Each melody is played at a random tempo of 70–160 BPM (at the notated beat: quarter in x/4, dotted quarter in 6/8, 9/8, 12/8) with 10 ms timing jitter; only its onsets reach the tracker. Acc1: final tempo within 4%; Acc2: within 4% at the beat or at 2×, 3×, ½ or ⅓ of it (another metrical level); F-measure of the causal beat predictions against the notated beats (±70 ms) after the first 5 s.\n',
  );
  const rows: (string | number)[][] = [];
  const groups: [string, (p: CorpusPiece) => boolean][] = [
    ['simple meters (2/4, 3/4, 4/4, 2/2)', (p) => (p.meters[0]?.denominator ?? 4) !== 8],
    ['compound meters (6/8, 9/8, 12/8)', (p) => (p.meters[0]?.denominator ?? 4) === 8],
  ];
  for (const [name, filter] of groups) {
    const results = c.nottingham
      .filter(filter)
      .map((p, i) => evaluateBeats(p, i + 1))
      .filter((r): r is BeatResult => r !== undefined);
    const locked = results.filter((r) => r.tempo !== undefined);
    rows.push([
      name,
      results.length,
      pct(locked.length / results.length),
      `${(
        quantile(
          locked.map((r) => r.lockMs ?? 0),
          0.5,
        ) / 1000
      ).toFixed(1)} s`,
      pct(results.filter((r) => r.acc1).length / results.length),
      pct(results.filter((r) => r.acc2).length / results.length),
      mean(results.map((r) => r.fMeasure)).toFixed(3),
    ]);
  }
  console.log(table(['tunes', 'count', 'locked', 'median time to lock', 'Acc1', 'Acc2', 'beat F-measure'], rows));
}

const beats = (x: number | undefined) => (x === undefined ? 'none' : x.toFixed(2));

function replySection(corpora: Corpora | undefined): void {
  console.log('\n## Accompanist: reply latency (call and response, 120 BPM)\n');
  console.log(
    "For each test phrase a fresh accompanist runs the server loop (events heard when due; `schedule` after each event and every 10 ms). Reply = from the end of the phrase (last note-off) to the answer's first note, in beats; it needs half a beat of silence to know the phrase is over, then answers on the next sixteenth at least 50 ms (the notes' trip) ahead. \"sent ahead\" = how long before it sounds the first note left the server. Entry = accompany mode, from the phrase's first note to the first accompaniment note. Target: reply within one beat for every phrase.\n",
  );
  const rows: LatencyRow[] = TEST_PHRASES.map((p, i) => measurePhrase(p, 120, i + 1));
  console.log(
    table(
      [
        'phrase',
        'notes',
        'phrase ends (beat)',
        'reply (beats)',
        'within one beat',
        'sent ahead (ms)',
        'answer notes inside the phrase',
        'entry, accompany (beats)',
      ],
      rows.map((r) => [
        r.name,
        r.notes,
        r.endBeat.toFixed(2),
        beats(r.replyBeats),
        r.replyBeats !== undefined && r.replyBeats <= 1 ? 'yes' : '**NO**',
        r.sentAheadMs?.toFixed(0) ?? '–',
        r.notesInsidePhrase,
        beats(r.entryBeats),
      ]),
    ),
  );
  const worst = Math.max(...rows.map((r) => r.replyBeats ?? Infinity));
  console.log(
    `\nWorst reply ${worst.toFixed(2)} beats (${((worst * 60_000) / 120).toFixed(0)} ms): target within one beat at 120 BPM — ${worst <= 1 ? 'met' : 'MISSED'} for ${rows.filter((r) => (r.replyBeats ?? Infinity) <= 1).length}/${rows.length} phrases.`,
  );

  const sweep: (string | number)[][] = [];
  for (const tempo of [60, 90, 120, 160, 200]) {
    const r = TEST_PHRASES.map((p, i) => measurePhrase(p, tempo, 100 + i));
    const replies = r.map((x) => x.replyBeats ?? Infinity);
    const entries = r.map((x) => x.entryBeats ?? Infinity);
    const follow = chordFollowing(tempo, 1);
    const found = follow.filter(Number.isFinite);
    sweep.push([
      tempo,
      quantile(replies, 0.5).toFixed(2),
      Math.max(...replies).toFixed(2),
      `${replies.filter((x) => x <= 1).length}/${replies.length}`,
      Math.max(...entries).toFixed(2),
      `${quantile(found, 0.5).toFixed(2)} / ${Math.max(...found).toFixed(2)}${found.length < follow.length ? ` (${follow.length - found.length} of ${follow.length} changes missed for the whole bar)` : ''}`,
    ]);
  }
  if (corpora) {
    // Every Nottingham tune's first two bars as a phrase, at 120 BPM.
    const phrases = corpora.nottingham.map((p) => {
      const melody = p.notes.filter((n) => n.track === p.melodyTrack);
      const beatMs = 60_000 / p.tempo;
      const t0 = melody[0]?.start ?? 0;
      const notes = melody
        .filter((n) => n.start < t0 + 8 * beatMs)
        .map((n): [number, number, number] => [n.pitch, (n.start - t0) / beatMs, Math.min(n.end, t0 + 8 * beatMs) / beatMs - n.start / beatMs]);
      return { name: p.name, notes };
    });
    // As written, and detached (each note held 70 % of its written length, as bench:ensemble's players do).
    for (const [label, hold] of [
      ['', 1],
      [', detached', 0.7],
    ] as const) {
      const measured = phrases
        .filter((p) => p.notes.length > 0)
        .map((p, i) => measurePhrase({ ...p, notes: p.notes.map(([pitch, start, beats]) => [pitch, start, beats * hold]) }, 120, 1000 + i));
      const replies = measured.map((r) => r.replyBeats ?? Infinity);
      const cut = measured.filter((r) => r.notesInsidePhrase > 0).length;
      console.log(
        `\nNottingham tunes' first two bars as phrases${label} (${replies.length}, 120 BPM): reply median ${quantile(replies, 0.5).toFixed(2)}, p95 ${quantile(replies, 0.95).toFixed(2)}, max ${Math.max(...replies).toFixed(2)} beats; within one beat ${replies.filter((x) => x <= 1).length}/${replies.length}; answered inside the phrase (a pause read as its end) ${cut}/${replies.length}.`,
      );
    }
  }
  console.log('\n### Other tempi (the same phrases)\n');
  console.log(
    table(
      [
        'tempo (BPM)',
        'reply median (beats)',
        'reply max (beats)',
        'within one beat',
        'entry max (beats)',
        'chord following: bass on the new root, median / max (beats)',
      ],
      sweep,
    ),
  );
  console.log(
    '\nChord following: block chords I–vi–IV–V in C, G, F and D major, one per bar (14 changes of root); the accompanist decides a beat ahead, so a change reaches its bass a beat or more after the players make it. The misses and slow changes are where the key moves (the key listener needs some seconds to hear the new key, and the harmony prior works in the old one).',
  );
}

async function main(): Promise<void> {
  const only = listArg('only', ['clock', 'key', 'chord', 'beat', 'reply']);
  const seeds = numberArg('seeds', 5);
  const limit = numberArg('limit', 0);
  console.log(`# Ensemble engine evaluation\n\n${machineLine()}`);
  if (only.has('clock')) await clockSection(seeds);
  const corpora = only.has('key') || only.has('chord') || only.has('beat') ? loadCorpora(limit) : undefined;
  if (corpora && only.has('key')) keySection(corpora);
  if (corpora && only.has('chord')) chordSection(corpora);
  if (corpora && only.has('beat')) beatSection(corpora);
  if (only.has('reply')) replySection(corpora ?? (only.has('key') || only.has('chord') || only.has('beat') ? undefined : loadCorpora(limit)));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
