/**
 * Voice section: accuracy and unweighted average recall (UAR) on emodb-dev, leaving one speaker out (each speaker's
 * clips are classified by a model trained on the other six), beside MFCC statistics + logistic regression trained
 * the same way, and the dataset README's reference (same method, all ten EmoDB speakers). Three readings of the
 * held-out speaker: speaker-independent (a user never heard before), speaker-adapted with the mean of all their clips,
 * and as the service serves a user clip after clip (independent until it has heard ADAPT_AFTER of their recordings,
 * then relative to their running mean).
 */
import { UndecodableInputError } from '../../src/multimodal/engine/types';
import SHIPPED_VOICE from '../../src/multimodal/engine/models/voice.json';
import { VoiceEmotionRecognizer } from '../../src/multimodal/engine/voice/voice-emotion';
import { extractVoiceFeatures, VOICE_FEATURE_NAMES } from '../../src/multimodal/engine/voice/voice-features';
import { noiseFloor } from '../../src/multimodal/engine/voice/speech-span';
import {
  detects,
  familiarity,
  logProbabilities,
  microphoneCues,
  readsAsNoisyRoom,
  validateVoiceModel,
  type VoiceModelParameters,
} from '../../src/multimodal/engine/voice/voice-model';
import { unfamiliarSounds } from './unfamiliar-sounds';
import { EMODB_DIR, loadEmoDb } from './datasets';
import { othersTalking, RECORDING_CONDITIONS } from './recording-conditions';
import { classScores, f3, pct, printTable } from './metrics';
import {
  ADAPT_AFTER,
  BASELINE_L2,
  extractExamples,
  FAMILIAR_QUANTILE,
  heldOutPredictions,
  independentDistance,
  type FoldPrediction,
  type VoiceExample,
  INDEPENDENT_L2_GRID,
  INDEPENDENT_WEIGHT,
  leaveOneSpeakerOut,
  predictedLabel,
  VOICE_L2_GRID,
  VOICE_LABELS,
  voiceHeldOut,
} from './voice-training';

function scores(held: readonly FoldPrediction[]) {
  return classScores(
    held.map((p) => p.example.label),
    held.map((p) => predictedLabel(p.logits)),
    VOICE_LABELS,
  );
}

/** One reading's confidence (its top label's probability) and whether that label was right. */
interface Reading {
  confidence: number;
  correct: boolean;
}

/** The held-out readings at a softmax temperature. */
const readingsAt = (held: readonly FoldPrediction[], temperature: number): Reading[] =>
  held.map((p) => ({ confidence: Math.exp(Math.max(...logProbabilities(p.logits, temperature))), correct: predictedLabel(p.logits) === p.example.label }));

/**
 * The readings as the engine reports them, each mixed with uniform probabilities by its `familiarity` under its
 * fold's familiar distance (a reading not trusted at all is all ties: the first label).
 */
const trustOf = (p: FoldPrediction, models: ReadonlyMap<string, VoiceModelParameters>) =>
  familiarity(p.distance!, models.get(p.example.clip.speaker)!.familiarDistance);

const trustedReadings = (held: readonly FoldPrediction[], models: ReadonlyMap<string, VoiceModelParameters>): Reading[] =>
  held.map((p) => {
    const trust = trustOf(p, models);
    const top = Math.exp(Math.max(...p.logits));
    const label = trust > 0 ? predictedLabel(p.logits) : VOICE_LABELS[0];
    return { confidence: trust * top + (1 - trust) / VOICE_LABELS.length, correct: label === p.example.label };
  });

/** Expected calibration error of the readings' confidence (10 bins). */
function expectedCalibrationError(readings: readonly Reading[]): number {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, confidence: 0, correct: 0 }));
  for (const r of readings) {
    const bin = bins[Math.min(9, Math.floor(r.confidence * 10))];
    bin.n++;
    bin.confidence += r.confidence;
    bin.correct += r.correct ? 1 : 0;
  }
  return bins.reduce((s, b) => s + (b.n ? (b.n / readings.length) * Math.abs(b.confidence / b.n - b.correct / b.n) : 0), 0);
}

const meanConfidence = (readings: readonly Reading[]) => readings.reduce((s, r) => s + r.confidence, 0) / readings.length;
const accuracyOf = (readings: readonly Reading[]) => readings.filter((r) => r.correct).length / readings.length;

const row = (name: string, held: readonly FoldPrediction[]) => {
  const s = scores(held);
  return [name, held.length, pct(s.accuracy), pct(s.uar), ...s.perClass.map((c) => f3(c.recall))];
};

export default async function voiceSection(): Promise<void> {
  console.log('## Voice: emodb-dev, leave one speaker out (7 speakers, 7 emotions)\n');
  const clips = loadEmoDb();
  if (!clips) {
    console.log(`SKIPPED: ${EMODB_DIR} not found (set MULTIMODAL_DATASETS_DIR).\n`);
    return;
  }
  const {
    examples,
    cold,
    coldUncalibrated,
    voices,
    noisyRoom,
    talkRoom,
    reverbRoom,
    microphoneRoom,
    adapted,
    settled,
    running,
    shared,
    sequential,
    coldTemperature,
    adaptedTemperature,
    noisyTemperature,
    talkTemperature,
    reverbTemperature,
    microphoneTemperature,
    coldModels,
    adaptedModels,
    familiarDistance: familiarDistanceOfAll,
  } = voiceHeldOut(clips);
  const mfccColumns = VOICE_FEATURE_NAMES.map((n, i) => (/^mfcc\d+\.(mean|sd)$/.test(n) ? i : -1)).filter((i) => i >= 0);
  const baseline = leaveOneSpeakerOut(examples, { l2: BASELINE_L2, columns: mfccColumns, balanced: false });
  const d = VOICE_FEATURE_NAMES.length;
  const late = running.filter((p) => p.adapted);
  printTable(
    ['model', 'clips', 'accuracy', 'UAR', ...VOICE_LABELS.map((l) => `recall ${l}`)],
    [
      row(
        `speaker-independent (a first recording): ${d} features standardised per gender group, balanced softmax on the clips and six speed perturbations`,
        cold,
      ),
      row(`  … the studio classifier alone (no take read by the noisy-room one)`, coldUncalibrated),
      row(`speaker-adapted, centred by the speaker's mean over all their clips`, adapted),
      row(`  … blended with the speaker-independent (weight ${INDEPENDENT_WEIGHT}), as served once the mean has settled`, settled),
      row(`as served, clip after clip: independent for the first ${ADAPT_AFTER - 1}, then the running mean (blended)`, running),
      row(`  … of which the clips from the ${ADAPT_AFTER}th on (adapted, blended)`, late),
      row('as served to one account shared by all seven speakers (clips interleaved at random, three orders)', shared),
      row('as served to one account sent the speakers one after another, each in file order (all seven rotations)', sequential),
      row('MFCC 1–12 mean/sd + softmax regression (same folds)', baseline),
      ['README reference: MFCC stats + logistic regression, 10 speakers', 535, '68.6%', '67.0%', ...VOICE_LABELS.map(() => '')],
    ],
  );
  const speakers = [...new Set(examples.map((e) => e.clip.speaker))].sort();
  const ofSpeaker = (held: readonly FoldPrediction[], s: string) => {
    const mine = scores(held.filter((p) => p.example.clip.speaker === s));
    return `${pct(mine.accuracy)} / ${pct(mine.uar)}`;
  };
  printTable(
    [
      'held-out speaker',
      'clips',
      'independent (first recording): acc / UAR',
      'adapted: acc / UAR',
      'as served: acc / UAR',
      'penalty chosen (independent / adapted)',
    ],
    speakers.map((s) => [
      s,
      cold.filter((p) => p.example.clip.speaker === s).length,
      ofSpeaker(cold, s),
      ofSpeaker(adapted, s),
      ofSpeaker(running, s),
      `${cold.find((p) => p.example.clip.speaker === s)?.l2} / ${adapted.find((p) => p.example.clip.speaker === s)?.l2}`,
    ]),
  );
  // Accuracy by how many of the speaker's clips the running mean has heard (this one included).
  const byHistory = [1, ADAPT_AFTER, 10, 20, 40].map((from, i, all) => {
    const to = all[i + 1] ?? Infinity;
    const bucket = running.filter((p) => {
      const n = running.filter((q) => q.example.clip.speaker === p.example.clip.speaker).indexOf(p) + 1;
      return n >= from && n < to;
    });
    return [`${from}${Number.isFinite(to) ? `–${to - 1}` : '+'}`, bucket.length, pct(scores(bucket).accuracy)];
  });
  printTable(['recordings heard from the speaker', 'clips', 'accuracy as served'], byHistory);
  const heardTalking = (e: VoiceExample) => detects(coldModels.get(e.clip.speaker)!.backgroundTalk!.detector, e.floor.backgroundTalk);
  const heardReverberation = (e: VoiceExample) => detects(coldModels.get(e.clip.speaker)!.reverberant!.detector, e.floor.reverberation);
  const heardMicrophone = (e: VoiceExample) => detects(coldModels.get(e.clip.speaker)!.microphone!.detector, microphoneCues(e.features));
  const without = (...rooms: ('noisy' | 'reverberant' | 'backgroundTalk' | 'microphone')[]) =>
    new Map([...coldModels].map(([speaker, m]) => [speaker, { ...m, ...Object.fromEntries(rooms.map((room) => [room, undefined])) }]));
  const conditions = [{ name: 'as EmoDB cut it (the first row above)', examples }].concat(
    [...RECORDING_CONDITIONS, ...[10, 15, 20].map((db) => othersTalking(voices, db))].map((condition) => ({
      name: condition.name,
      examples: extractExamples(clips, [], condition.apply),
    })),
  );
  printTable(
    ['a first recording, recorded as people do', 'clips', 'accuracy', 'UAR', ...VOICE_LABELS.map((l) => `recall ${l}`)],
    conditions.map((c) => row(c.name, heldOutPredictions(c.examples, coldModels))),
  );
  printTable(
    [
      'recorded as people do',
      'takes read by the noisy-room classifier',
      'by the background-talk classifier',
      'by the reverberant-room classifier',
      'by the microphone classifier',
      'a first recording by the studio classifier alone: accuracy / UAR',
      'without the reverberant-room classifier',
      'without the background-talk classifier',
      'without the microphone classifier',
      'as served, every clip of the speaker recorded so: accuracy / UAR',
    ],
    conditions.map((c) => {
      const noisy = (e: VoiceExample) => readsAsNoisyRoom(coldModels.get(e.clip.speaker)!.noisy!, e.floor);
      const talk = c.examples.filter((e) => !noisy(e) && heardTalking(e)).length;
      const reverberant = c.examples.filter((e) => !noisy(e) && !heardTalking(e) && heardReverberation(e)).length;
      const microphone = c.examples.filter((e) => !noisy(e) && !heardTalking(e) && !heardReverberation(e) && heardMicrophone(e)).length;
      const [studio, noReverberation, noTalk, noMicrophone] = [
        without('noisy', 'reverberant', 'backgroundTalk', 'microphone'),
        without('reverberant'),
        without('backgroundTalk'),
        without('microphone'),
      ].map((models) => scores(heldOutPredictions(c.examples, models)));
      const served = scores(heldOutPredictions(c.examples, adaptedModels, { mode: 'running', cold: coldModels }));
      return [
        c.name,
        pct(c.examples.filter(noisy).length / c.examples.length),
        pct(talk / c.examples.length),
        pct(reverberant / c.examples.length),
        pct(microphone / c.examples.length),
        `${pct(studio.accuracy)} / ${pct(studio.uar)}`,
        `${pct(noReverberation.accuracy)} / ${pct(noReverberation.uar)}`,
        `${pct(noTalk.accuracy)} / ${pct(noTalk.uar)}`,
        `${pct(noMicrophone.accuracy)} / ${pct(noMicrophone.uar)}`,
        `${pct(served.accuracy)} / ${pct(served.uar)}`,
      ];
    }),
  );
  const thresholds = [...coldModels.values()].map((m) => m.noisy!.belowMarginDb);
  const steadyThresholds = [...coldModels.values()].map((m) => m.noisy!.steadyBelowMarginDb!);
  const noisyOnly = new Map([...coldModels].map(([speaker, m]) => [speaker, { ...m, ...m.noisy!, noisy: undefined }]));
  const noisyOnStudio = scores(heldOutPredictions(examples, noisyOnly));
  console.log(
    `Noisy-room classifier: trained on copies of the training speakers' clips over pink or brown noise 8–40 dB below the speech; it reads a take whose noise margin is below ${Math.min(...thresholds)}–${Math.max(...thresholds)} dB (the training clips' 1st percentile, per fold) or, over a steady floor, below ${Math.min(...steadyThresholds)}–${Math.max(...steadyThresholds)} dB (the 95th percentile of its training copies'). Its own held-out speakers' noisy copies: ${pct(scores(noisyRoom).accuracy)} (UAR ${pct(scores(noisyRoom).uar)}), temperature ${noisyTemperature}; every studio take (as EmoDB cut it) read by it: ${pct(noisyOnStudio.accuracy)} (UAR ${pct(noisyOnStudio.uar)}).`,
  );
  const only = (room: 'reverberant' | 'backgroundTalk' | 'microphone') =>
    scores(
      heldOutPredictions(
        examples,
        new Map(
          [...coldModels].map(([speaker, m]) => [
            speaker,
            { ...m, ...m[room]!, noisy: undefined, reverberant: undefined, backgroundTalk: undefined, microphone: undefined },
          ]),
        ),
      ),
    );
  const talkOnStudio = only('backgroundTalk');
  console.log(
    `Background-talk classifier: trained on copies of the training speakers' clips (and at 0.9 and 1.1 times the speed) with two to four of the fold's three training talkers (every other of the other six speakers) talking 8–25 dB below the speech; the evaluation's rooms put the other three behind the speaker, voices it never heard in the background. Its detector (a logistic reader of five level cues, threshold at the training studio clips' 99th percentile) hears voices behind ${pct(examples.filter(heardTalking).length / examples.length)} of the held-out studio takes. Its own held-out speakers' copies (the fold's training talkers behind them): ${pct(scores(talkRoom).accuracy)} (UAR ${pct(scores(talkRoom).uar)}), temperature ${talkTemperature}; every studio take read by it: ${pct(talkOnStudio.accuracy)} (UAR ${pct(talkOnStudio.uar)}).`,
  );
  const reverbOnStudio = only('reverberant');
  console.log(
    `Reverberant-room classifier: trained on copies of the training speakers' clips heard through synthetic rooms (a direct path, three to eight early reflections, a low-passed diffuse tail falling 60 dB in 0.2–1 s, −3 to 10 dB below the direct path; another family than the evaluation's room). Its detector (a logistic reader of four fall-speed cues, threshold at the training studio clips' 99th percentile) hears a reverberant room in ${pct(examples.filter(heardReverberation).length / examples.length)} of the held-out studio takes. Its own held-out speakers' reverberant copies: ${pct(scores(reverbRoom).accuracy)} (UAR ${pct(scores(reverbRoom).uar)}), temperature ${reverbTemperature}; every studio take read by it: ${pct(reverbOnStudio.accuracy)} (UAR ${pct(reverbOnStudio.uar)}).`,
  );
  const microphoneOnStudio = only('microphone');
  console.log(
    `Microphone classifier: trained on the training speakers' clips and their speed perturbations and on copies through random synthetic microphones (mostly a low cut at 60–400 Hz and a high cut at 2.8–7 kHz, and a resonance or dip of −6 to 6 dB). Its detector (a logistic reader of the ${microphoneCues(examples[0].features).length} long-term mel band levels, threshold at the training studio clips' 99th percentile at every speed) hears a colouring microphone in ${pct(examples.filter(heardMicrophone).length / examples.length)} of the held-out studio takes. Its own held-out speakers' microphone copies: ${pct(scores(microphoneRoom).accuracy)} (UAR ${pct(scores(microphoneRoom).uar)}), temperature ${microphoneTemperature}; every studio take read by it: ${pct(microphoneOnStudio.accuracy)} (UAR ${pct(microphoneOnStudio.uar)}).`,
  );
  console.log(
    `Calibration: softmax temperatures ${coldTemperature} (independent) and ${adaptedTemperature} (adapted) fitted on the held-out predictions; expected calibration error ${f3(expectedCalibrationError(readingsAt(coldUncalibrated, 1)))} → ${f3(expectedCalibrationError(readingsAt(coldUncalibrated, coldTemperature)))} and ${f3(expectedCalibrationError(readingsAt(adapted, 1)))} → ${f3(expectedCalibrationError(readingsAt(adapted, adaptedTemperature)))}.`,
  );
  unfamiliarTables(conditions, coldModels, familiarDistanceOfAll);
  console.log(
    `Penalties chosen inside each fold (nested leave-one-speaker-out over ${INDEPENDENT_L2_GRID.join(', ')} independent, ${VOICE_L2_GRID.join(', ')} adapted); the held-out speaker never chooses. The speaker's mean uses no labels. Target: ≥ 75% on new speakers.\n`,
  );
  return Promise.resolve();
}

/**
 * How far the reader trusts what it hears: held-out speakers' first recordings as people record them, each trusted
 * by its fold's familiar distance (the other speakers' held-out takes), then sounds that are not speech, read by the
 * shipped model with and without its familiar distance.
 */
function unfamiliarTables(
  conditions: readonly { name: string; examples: VoiceExample[] }[],
  coldModels: ReadonlyMap<string, VoiceModelParameters & { l2: number }>,
  familiarDistanceOfAll: number,
): void {
  const folds = [...coldModels.values()].map((m) => m.familiarDistance!);
  console.log(
    `\nFamiliar distance: the ${FAMILIAR_QUANTILE * 100}th percentile of the input distance (root mean square of the standardised features under the classifier that reads the take) of held-out speakers' takes, studio and every room copy the classifiers train on: ${f3(familiarDistanceOfAll)} over all seven speakers (shipped), ${f3(Math.min(...folds))}–${f3(Math.max(...folds))} per fold (without the held-out speaker). Trust falls linearly from 1 there to 0 at twice that distance; the probabilities are mixed with uniform ones by it.\n`,
  );
  printTable(
    [
      'a first recording, recorded as people do',
      'takes',
      'trusted fully',
      'least trust',
      'mean confidence: as read → trusted',
      'calibration error: as read → trusted',
      'accuracy: as read → trusted',
    ],
    conditions.map((c) => {
      const held = heldOutPredictions(c.examples, coldModels);
      const [asRead, trusted] = [readingsAt(held, 1), trustedReadings(held, coldModels)];
      const trust = held.map((p) => trustOf(p, coldModels));
      return [
        c.name,
        held.length,
        pct(trust.filter((t) => t === 1).length / trust.length),
        f3(Math.min(...trust)),
        `${f3(meanConfidence(asRead))} → ${f3(meanConfidence(trusted))}`,
        `${f3(expectedCalibrationError(asRead))} → ${f3(expectedCalibrationError(trusted))}`,
        `${pct(accuracyOf(asRead))} → ${pct(accuracyOf(trusted))}`,
      ];
    }),
  );
  const shipped = validateVoiceModel(SHIPPED_VOICE, 'models/voice.json');
  if (shipped.familiarDistance === undefined) {
    console.log(
      'The shipped voice model has no familiar distance yet (npm run train:multimodal-voice writes it): sounds that are not speech are not measured.\n',
    );
    return;
  }
  const [trusting, untrusting] = [new VoiceEmotionRecognizer(shipped), new VoiceEmotionRecognizer({ ...shipped, familiarDistance: undefined })];
  printTable(
    ['not speech (shipped model)', 'takes', 'refused', 'input distance (median)', 'trust (median)', 'read as', 'confidence without trust → with (mean)'],
    unfamiliarSounds().map(({ kind, takes }) => {
      const read = takes.flatMap((audio) => {
        try {
          const features = extractVoiceFeatures(audio);
          const distance = independentDistance(shipped, { features, floor: noiseFloor(audio.samples, audio.sampleRate) });
          return [{ distance, untrusted: untrusting.analyzeAudio(audio), trusted: trusting.analyzeAudio(audio) }];
        } catch (error) {
          if (error instanceof UndecodableInputError) return [];
          throw error;
        }
      });
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const labels = [...new Set(read.map((r) => r.untrusted.emotion))].join(', ');
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      return read.length
        ? [
            kind,
            takes.length,
            takes.length - read.length,
            f3(median(read.map((r) => r.distance))),
            f3(median(read.map((r) => familiarity(r.distance, shipped.familiarDistance)))),
            labels,
            `${f3(mean(read.map((r) => r.untrusted.confidence)))} → ${f3(mean(read.map((r) => r.trusted.confidence)))}`,
          ]
        : [kind, takes.length, takes.length, '', '', '', ''];
    }),
  );
}
