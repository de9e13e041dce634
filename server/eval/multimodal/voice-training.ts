/**
 * Training and leave-one-speaker-out validation of the voice classifier (used by train-voice.ts and voice.eval.ts).
 * Features are standardised with the training clips' means and deviations, then a softmax regression with an L2
 * penalty is fitted (full-batch Adam, linear-training.ts); its temperature is fitted on the held-out speakers'
 * predictions so the probabilities are calibrated.
 */
import { readFileSync } from 'node:fs';
import { VOICE_FEATURE_NAMES, extractVoiceFeatures } from '../../src/multimodal/engine/voice/voice-features';
import { noiseFloor, type NoiseFloor } from '../../src/multimodal/engine/voice/speech-span';
import {
  blendLogProbabilities,
  classifierLogits,
  cueScore,
  type CueDetector,
  independentClassifier,
  inputDistance,
  logProbabilities,
  microphoneCues,
  type NoisyRoomThresholds,
  standardisedInputs,
  VOICE_MODEL_FORMAT,
  type VoiceClassifier,
  type VoiceModelParameters,
} from '../../src/multimodal/engine/voice/voice-model';
import type { VoiceEmotion } from '../../src/multimodal/engine/types';
import { decodeWavMono, type MonoAudio } from '../../src/tutor/engine';
import { SpeakerBaseline } from '../../src/multimodal/engine/voice/speaker-baseline';
import { createRng } from '../../src/music/engine/rng';
import type { EmoDbClip } from './datasets';
import { denseRow, trainLinear, trainSoftmaxLbfgs } from './linear-training';
import {
  type BackgroundVoice,
  backgroundTalkers,
  trainingBackgroundTalk,
  trainingMicrophone,
  trainingReverberation,
  trainingRoomNoise,
} from './recording-conditions';

/** EmoDB's emotions → the engine's voice labels. */
export const EMODB_LABELS: Readonly<Record<string, VoiceEmotion>> = {
  anger: 'angry',
  boredom: 'bored',
  disgust: 'disgusted',
  fear: 'fearful',
  happiness: 'happy',
  sadness: 'sad',
  neutral: 'neutral',
};
export const VOICE_LABELS: readonly VoiceEmotion[] = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'bored'];

export interface VoiceExample {
  clip: EmoDbClip;
  label: VoiceEmotion;
  features: Float64Array;
  /** Speed perturbation of the clip (1: as recorded). A perturbed copy stays in its speaker's fold. */
  speed: number;
  /** The recording's `noiseFloor` (which speaker-independent classifier reads it). */
  floor: NoiseFloor;
}

/**
 * Speed perturbations of the training clips for the speaker-independent model: played faster or slower, a voice's
 * pitch, formants and tempo move together, as between speakers of different sizes (Ko et al. 2015).
 */
export const SPEED_PERTURBATIONS: readonly number[] = [0.85, 0.9, 0.95, 1.05, 1.1, 1.15];
/** The background-talk copies' speeds besides 1 (fewer than the room-noise copies': they are made once per fold). */
const BACKGROUND_TALK_SPEEDS: readonly number[] = [0.9, 1.1];

/**
 * Each clip's features as recorded and at each of the given speeds (read as if sampled faster or slower); `recording`
 * changes the audio first (eval/multimodal/recording-conditions.ts), given the clip's index as its seed.
 */
export function extractExamples(
  clips: readonly EmoDbClip[],
  speeds: readonly number[] = [],
  recording?: (audio: MonoAudio, seed: number, speaker: string) => MonoAudio,
): VoiceExample[] {
  return clips.flatMap((clip, index) => {
    const file = decodeWavMono(new Uint8Array(readFileSync(clip.file)));
    const audio = recording ? recording(file, index + 1, clip.speaker) : file;
    const floor = noiseFloor(audio.samples, audio.sampleRate);
    return [1, ...speeds].map((speed) => ({
      clip,
      label: EMODB_LABELS[clip.emotion],
      features: extractVoiceFeatures(speed === 1 ? audio : { sampleRate: Math.round(audio.sampleRate * speed), samples: audio.samples }),
      speed,
      floor,
    }));
  });
}

/**
 * Penalties the nested selection chooses from: for each outer fold, the one with the best leave-one-speaker-out
 * accuracy on the training speakers alone (the held-out speaker never influences it).
 */
export const VOICE_L2_GRID: readonly number[] = [0.03, 0.1, 0.3];
/** The penalty of the MFCC baseline (not selected: it is the fixed reference). */
export const BASELINE_L2 = 0.1;
/** A user's running feature mean is used once this many of their recordings have been heard (this one included). */
export const ADAPT_AFTER = 5;
/**
 * The speaker-independent classifier's share in the adapted reading (`blendLogProbabilities`): equal weight, the
 * product of two experts. Measured 0–0.8 on the serving replays (docs/multimodal-engine.md).
 */
export const INDEPENDENT_WEIGHT = 0.5;

export interface TrainVoiceOptions {
  /** A fixed penalty, or the grid to select it from by inner leave-one-speaker-out. */
  l2: number | readonly number[];
  /** Indices of the features to use (default: all). */
  columns?: readonly number[];
  /** Weight classes by 1/frequency (default true: disgust has a quarter of anger's clips). */
  balanced?: boolean;
  /** Subtract each speaker's own mean feature vector first (the speaker-adapted model). */
  speakerCentred?: boolean;
  epochs?: number;
}

function balancedWeights(examples: readonly VoiceExample[]): number[] {
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  return examples.map((e) => examples.length / counts.size / counts.get(e.label)!);
}

function meanVector(rows: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(rows[0].length);
  for (const r of rows) for (let j = 0; j < out.length; j++) out[j] += r[j] / rows.length;
  return out;
}

/** The examples with each speaker's mean feature vector subtracted (over all of that speaker's clips given). */
export function centreBySpeaker(examples: readonly VoiceExample[]): VoiceExample[] {
  const means = new Map<string, Float64Array>();
  for (const speaker of new Set(examples.map((e) => e.clip.speaker)))
    means.set(speaker, meanVector(examples.filter((e) => e.clip.speaker === speaker).map((e) => e.features)));
  return examples.map((e) => ({ ...e, features: e.features.map((v, j) => v - means.get(e.clip.speaker)![j]) }));
}

function standardiser(rows: readonly Float64Array[], columns: readonly number[]): { mean: number[]; sd: number[] } {
  const mean = columns.map((c) => rows.reduce((s, r) => s + r[c], 0) / rows.length);
  const sd = columns.map((c, j) => Math.sqrt(rows.reduce((s, r) => s + (r[c] - mean[j]) ** 2, 0) / rows.length) || 1);
  return { mean, sd };
}

/** Softmax regression on standardised features; a grid of penalties is resolved by nested selection first. */
export function trainVoiceModel(examples: readonly VoiceExample[], options: TrainVoiceOptions, temperature = 1): VoiceModelParameters & { l2: number } {
  const l2 = typeof options.l2 === 'number' ? options.l2 : selectL2(examples, options);
  const training = options.speakerCentred ? centreBySpeaker(examples) : examples;
  const columns = options.columns ?? VOICE_FEATURE_NAMES.map((_, i) => i);
  const { mean, sd } = standardiser(
    training.map((e) => e.features),
    columns,
  );
  const rows = training.map((e) => denseRow(columns.map((c, j) => (e.features[c] - mean[j]) / sd[j])));
  const model = trainLinear(
    rows,
    training.map((e) => VOICE_LABELS.map((l) => (l === e.label ? 1 : 0))),
    columns.length,
    {
      loss: 'softmax',
      l2,
      epochs: options.epochs ?? 400,
      learningRate: 0.02,
      sampleWeights: options.balanced === false ? undefined : balancedWeights(training),
    },
  );
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    format: VOICE_MODEL_FORMAT,
    labels: [...VOICE_LABELS],
    features: columns.map((c) => VOICE_FEATURE_NAMES[c]),
    mean: mean.map(r4),
    sd: sd.map(r4),
    weights: VOICE_LABELS.map((_, k) => columns.map((_, j) => r4(model.weights[j * VOICE_LABELS.length + k]))),
    bias: Array.from(model.bias, r4),
    temperature,
    trainedOn: '',
    l2,
  };
}

/** The grid's penalty with the best leave-one-speaker-out accuracy over the given (training) speakers. */
export function selectL2(examples: readonly VoiceExample[], options: TrainVoiceOptions): number {
  const grid = typeof options.l2 === 'number' ? [options.l2] : options.l2;
  let best = { l2: grid[0], accuracy: -1 };
  for (const l2 of grid) {
    const held = leaveOneSpeakerOut(examples, { ...options, l2 });
    const accuracy = held.filter((p) => predictedLabel(p.logits) === p.example.label).length / held.length;
    if (accuracy > best.accuracy) best = { l2, accuracy };
  }
  return best.l2;
}

/** Logits of the clips of one held-out speaker per fold, with the true labels and speakers. */
export interface FoldPrediction {
  example: VoiceExample;
  logits: number[];
  /** The penalty the fold's model was trained with. */
  l2?: number;
  /** As served: whether the speaker's mean was used, and the reading's calibrated log-probabilities. */
  adapted?: boolean;
  calibrated?: number[];
  /** The take's input distance under the speaker-independent classifier that read it (`independentDistance`). */
  distance?: number;
}

/** One model per held-out speaker, each trained on the other speakers' examples. */
function perHeldOutSpeaker<M>(examples: readonly VoiceExample[], train: (others: VoiceExample[], heldOut: string) => M): Map<string, M> {
  const speakers = [...new Set(examples.map((e) => e.clip.speaker))].sort();
  return new Map(
    speakers.map((speaker) => [
      speaker,
      train(
        examples.filter((e) => e.clip.speaker !== speaker),
        speaker,
      ),
    ]),
  );
}

/** The model of each outer fold: trained without that speaker (penalty selected inside, when a grid is given). */
export function foldModels(examples: readonly VoiceExample[], options: TrainVoiceOptions): Map<string, VoiceModelParameters & { l2: number }> {
  return perHeldOutSpeaker(examples, (others) => trainVoiceModel(others, options));
}

/**
 * Each speaker's clips classified by the model trained without them. A speaker-centred model reads each clip centred
 * by the mean of all that speaker's clips (`transductive`) or, as the service does, by the running mean of the clips
 * heard so far in a fixed shuffled order, this one included (`running`: before ADAPT_AFTER clips the running mean is
 * not used and the fold's `cold` model answers instead).
 */
export function heldOutPredictions(
  examples: readonly VoiceExample[],
  models: ReadonlyMap<string, VoiceModelParameters & { l2: number }>,
  adaptation?: { mode: 'transductive' } | { mode: 'running'; cold: ReadonlyMap<string, VoiceModelParameters> },
): FoldPrediction[] {
  const out: FoldPrediction[] = [];
  for (const [speaker, model] of models) {
    const mine = examples.filter((e) => e.clip.speaker === speaker && e.speed === 1);
    if (!adaptation) {
      for (const example of mine)
        out.push({ example, logits: independentLogProbabilities(model, example), l2: model.l2, distance: independentDistance(model, example) });
    } else if (adaptation.mode === 'transductive') {
      const centre = meanVector(mine.map((e) => e.features));
      for (const example of mine) out.push({ example, logits: voiceLogits(model, example.features, centre), l2: model.l2 });
    } else {
      const baseline = new SpeakerBaseline(VOICE_FEATURE_NAMES.length);
      const cold = adaptation.cold.get(speaker)!;
      for (const example of shuffled(mine, speaker)) out.push(readAsServed(example, baseline, model, cold));
    }
  }
  return out;
}

/**
 * As the service answers one account whose recordings come from several speakers (a shared device): every speaker's
 * clips in their fixed shuffled order, interleaved at random into one stream with one running mean, each clip read by
 * its own fold's models (cold until ADAPT_AFTER recordings of the account, then relative to the account's mean).
 */
export function sharedAccountPredictions(
  examples: readonly VoiceExample[],
  models: ReadonlyMap<string, VoiceModelParameters & { l2: number }>,
  cold: ReadonlyMap<string, VoiceModelParameters>,
  seed: number,
): FoldPrediction[] {
  const queues = [...models.keys()].map((speaker) =>
    shuffled(
      examples.filter((e) => e.clip.speaker === speaker && e.speed === 1),
      speaker,
    ),
  );
  const rng = createRng(seed);
  const baseline = new SpeakerBaseline(VOICE_FEATURE_NAMES.length);
  const out: FoldPrediction[] = [];
  for (let left = queues.reduce((n, q) => n + q.length, 0); left > 0; left--) {
    // The next clip comes from a speaker with probability proportional to how many clips they have left.
    let pick = rng.int(0, left - 1);
    const queue = queues.find((q) => (pick -= q.length) < 0)!;
    const example = queue.shift()!;
    out.push(readAsServed(example, baseline, models.get(example.clip.speaker)!, cold.get(example.clip.speaker)!));
  }
  return out;
}

/**
 * As the service answers one account that sends several speakers' recordings one speaker after another (a script
 * posting a folder of recordings in file-name order): each speaker's clips in file order, the speakers in each
 * rotation of their sorted order, one running mean per rotation carried from speaker to speaker.
 */
export function sequentialAccountPredictions(
  examples: readonly VoiceExample[],
  models: ReadonlyMap<string, VoiceModelParameters & { l2: number }>,
  cold: ReadonlyMap<string, VoiceModelParameters>,
): FoldPrediction[] {
  const speakers = [...models.keys()].sort();
  const inFileOrder = (speaker: string) =>
    examples.filter((e) => e.clip.speaker === speaker && e.speed === 1).sort((a, b) => (a.clip.file < b.clip.file ? -1 : a.clip.file > b.clip.file ? 1 : 0));
  return speakers.flatMap((_, first) => {
    const baseline = new SpeakerBaseline(VOICE_FEATURE_NAMES.length);
    return [...speakers.slice(first), ...speakers.slice(0, first)].flatMap((speaker) =>
      inFileOrder(speaker).map((example) => readAsServed(example, baseline, models.get(speaker)!, cold.get(speaker)!)),
    );
  });
}

/**
 * One clip as the service reads it: added to the baseline, then cold until ADAPT_AFTER recordings, after that the
 * adapted model relative to the running mean blended with the cold one. `logits` and `calibrated` are then the
 * blend's log-probabilities.
 */
function readAsServed(
  example: VoiceExample,
  baseline: SpeakerBaseline,
  adaptedModel: VoiceModelParameters & { l2: number },
  cold: VoiceModelParameters,
): FoldPrediction {
  baseline.add(example.features);
  const adapted = baseline.count >= ADAPT_AFTER;
  const independent = independentLogProbabilities(cold, example);
  const logits = adapted
    ? blendLogProbabilities(
        independent,
        logProbabilities(voiceLogits(adaptedModel, example.features, baseline.mean), adaptedModel.temperature),
        INDEPENDENT_WEIGHT,
      )
    : independent;
  return { example, logits, l2: adaptedModel.l2, adapted, calibrated: logits, distance: independentDistance(cold, example) };
}

export function leaveOneSpeakerOut(examples: readonly VoiceExample[], options: TrainVoiceOptions): FoldPrediction[] {
  return heldOutPredictions(examples, foldModels(examples, options), options.speakerCentred ? { mode: 'transductive' } : undefined);
}

/** A fixed pseudo-random order of a speaker's clips (the order a user might record them in). */
function shuffled<T>(items: readonly T[], seed: string): T[] {
  const rng = createRng([...seed].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * A speaker-independent reading as the engine gives it: the noisy-room classifier when the model has one and the
 * clip's noise floor says a noisy room, else the model itself; log-probabilities at that classifier's
 * temperature (at temperature 1 they are the logits shifted, so a temperature can still be fitted on them).
 */
export function independentLogProbabilities(model: VoiceModelParameters, example: VoiceExample): number[] {
  const classifier = independentClassifier<VoiceClassifier>(model, example.floor, example.features);
  return logProbabilities(voiceLogits(classifier, example.features), classifier.temperature);
}

/** How far a take lies from the voices the speaker-independent classifier reading it learned from (`inputDistance`). */
export function independentDistance(model: VoiceModelParameters, example: Pick<VoiceExample, 'features' | 'floor'>): number {
  const classifier = independentClassifier<VoiceClassifier>(model, example.floor, example.features);
  const columns = classifier.features.map((name) => VOICE_FEATURE_NAMES.indexOf(name));
  return inputDistance(standardisedInputs(classifier, columns, example.features));
}

/** The share of held-out speakers' takes (every recording condition trained for) a model trusts fully. */
export const FAMILIAR_QUANTILE = 0.99;

/** The FAMILIAR_QUANTILE of held-out readings' input distances: the model's `familiarDistance`. */
export function familiarDistance(held: readonly FoldPrediction[]): number {
  const distances = held.map((p) => p.distance!).sort((a, b) => a - b);
  return Math.round(distances[Math.min(distances.length - 1, Math.floor(FAMILIAR_QUANTILE * distances.length))] * 1000) / 1000;
}

export function voiceLogits(model: VoiceClassifier, features: Float64Array, centre?: ArrayLike<number>): number[] {
  const columns = model.features.map((name) => VOICE_FEATURE_NAMES.indexOf(name));
  return classifierLogits(model, columns, features, centre);
}

/** The softmax temperature that minimises the negative log-likelihood of held-out predictions (grid search). */
export function fitTemperature(predictions: readonly FoldPrediction[]): number {
  let best = { t: 1, nll: Infinity };
  for (let t = 0.5; t <= 4; t += 0.05) {
    let nll = 0;
    for (const p of predictions) nll -= logProbabilities(p.logits, t)[VOICE_LABELS.indexOf(p.example.label)];
    if (nll < best.nll) best = { t: Math.round(t * 100) / 100, nll };
  }
  return best.t;
}

export function predictedLabel(logits: readonly number[]): VoiceEmotion {
  return VOICE_LABELS[logits.indexOf(Math.max(...logits))];
}

export interface VoiceHeldOut {
  /** The clips as recorded. */
  examples: VoiceExample[];
  /** The clips and their speed perturbations (the speaker-independent model's training set). */
  augmented: VoiceExample[];
  /**
   * Without the speaker's mean (a new user): nested penalty selection; calibrated log-probabilities, from the
   * noisy-room classifier where the engine would route the clip to it.
   */
  cold: FoldPrediction[];
  /** The studio (top-level) classifier alone, before its temperature. */
  coldUncalibrated: FoldPrediction[];
  /** The noisy copies (`trainingRoomNoise`) of the clips and their speed perturbations. */
  noisyAugmented: VoiceExample[];
  /** Every speaker's clips, to talk in the background of others' (`backgroundTalkCopies`, `othersTalking`). */
  voices: BackgroundVoice[];
  /** The noisy copies of each held-out speaker's clips, read by their fold's noisy-room classifier. */
  noisyRoom: FoldPrediction[];
  /** Each held-out speaker's clips with others talking behind them, read by their fold's background-talk classifier. */
  talkRoom: FoldPrediction[];
  /** The reverberant copies (`trainingReverberation`) of the clips and their speed perturbations. */
  reverbAugmented: VoiceExample[];
  /** The reverberant copies of each held-out speaker's clips, read by their fold's reverberant-room classifier. */
  reverbRoom: FoldPrediction[];
  /** The microphone copies (`trainingMicrophone`) of the clips and their speed perturbations. */
  microphoneAugmented: VoiceExample[];
  /** The microphone copies of each held-out speaker's clips, read by their fold's microphone classifier. */
  microphoneRoom: FoldPrediction[];
  /** Speaker-centred with the mean of all the speaker's clips. */
  adapted: FoldPrediction[];
  /** As served once the speaker's mean has settled: `adapted` blended with `cold` (INDEPENDENT_WEIGHT). */
  settled: FoldPrediction[];
  /** As the service answers a user recording clip after clip (cold until ADAPT_AFTER, then the running mean). */
  running: FoldPrediction[];
  /** As served to one account shared by all the speakers (three interleavings). */
  shared: FoldPrediction[];
  /** As served to one account that sends the speakers one after another (every rotation of their order). */
  sequential: FoldPrediction[];
  coldTemperature: number;
  adaptedTemperature: number;
  noisyTemperature: number;
  talkTemperature: number;
  reverbTemperature: number;
  microphoneTemperature: number;
  /** `familiarDistance` of every held-out reading above (studio and room copies, each by its fold's classifier). */
  familiarDistance: number;
  /**
   * The speaker-independent model of each outer fold (by held-out speaker), at coldTemperature, with its noisy-room,
   * background-talk, reverberant-room and microphone classifiers and the familiar distance of the other speakers'
   * held-out readings.
   */
  coldModels: Map<string, VoiceModelParameters & { l2: number }>;
  /** The speaker-adapted model of each outer fold, at adaptedTemperature. */
  adaptedModels: Map<string, VoiceModelParameters & { l2: number }>;
}

let cached: VoiceHeldOut | undefined;

/** emodb-dev's features and the shipped configuration's leave-one-speaker-out predictions, computed once per process. */
export function voiceHeldOut(clips: readonly EmoDbClip[]): VoiceHeldOut {
  if (!cached) {
    const augmented = extractExamples(clips, SPEED_PERTURBATIONS);
    const microphoneAugmented = microphoneCopies(clips);
    const examples = augmented.filter((e) => e.speed === 1);
    const noisyAugmented = extractExamples(clips, SPEED_PERTURBATIONS, trainingRoomNoise);
    const reverbAugmented = extractExamples(clips, SPEED_PERTURBATIONS, trainingReverberation);
    const voices = backgroundVoices(clips);
    const speakers = voices.map((v) => v.speaker);
    // Each fold's background-talk copies: the training speakers' clips with the fold's training talkers behind them.
    const trainingTalkers = (heldOut: string) => voices.filter((v) => backgroundTalkers(speakers, heldOut).training.includes(v.speaker));
    const talkAugmented = new Map(
      speakers.map((speaker) => [
        speaker,
        backgroundTalkCopies(
          clips.filter((c) => c.speaker !== speaker),
          trainingTalkers(speaker),
        ),
      ]),
    );
    const coldModels = independentFoldModels(augmented, INDEPENDENT_L2_GRID);
    const noisyModels = perHeldOutSpeaker(noisyAugmented, (others, speaker) => trainIndependentModel(others, coldModels.get(speaker)!.l2));
    const microphoneModels = perHeldOutSpeaker([...augmented, ...microphoneAugmented], (others, speaker) =>
      trainIndependentModel(others, coldModels.get(speaker)!.l2),
    );
    const reverbModels = perHeldOutSpeaker(reverbAugmented, (others, speaker) => trainIndependentModel(others, coldModels.get(speaker)!.l2));
    const talkModels = new Map(speakers.map((speaker) => [speaker, trainIndependentModel(talkAugmented.get(speaker)!, coldModels.get(speaker)!.l2)]));
    const adaptedModels = foldModels(examples, { l2: VOICE_L2_GRID, speakerCentred: true });
    const coldUncalibrated = heldOutPredictions(examples, coldModels);
    const noisyRoom = heldOutPredictions(
      noisyAugmented.filter((e) => e.speed === 1),
      noisyModels,
    );
    const adapted = heldOutPredictions(examples, adaptedModels, { mode: 'transductive' });
    const coldTemperature = fitTemperature(coldUncalibrated);
    const noisyTemperature = fitTemperature(noisyRoom);
    const reverbRoom = heldOutPredictions(
      reverbAugmented.filter((e) => e.speed === 1),
      reverbModels,
    );
    const reverbTemperature = fitTemperature(reverbRoom);
    const microphoneRoom = heldOutPredictions(
      microphoneAugmented.filter((e) => e.speed === 1),
      microphoneModels,
    );
    const microphoneTemperature = fitTemperature(microphoneRoom);
    // Each held-out speaker's clips with their fold's training talkers behind them, read by the fold's classifier.
    const talkRoom = heldOutPredictions(
      speakers.flatMap((speaker) =>
        extractExamples(
          clips.filter((c) => c.speaker === speaker),
          [],
          trainingBackgroundTalk(trainingTalkers(speaker)),
        ),
      ),
      talkModels,
    );
    const talkTemperature = fitTemperature(talkRoom);
    const adaptedTemperature = fitTemperature(adapted);
    for (const [speaker, m] of coldModels) {
      const others = (set: readonly VoiceExample[]) => set.filter((e) => e.clip.speaker !== speaker);
      const detector = (room: readonly VoiceExample[], cues: 'backgroundTalk' | 'reverberation' | 'microphone', falseAlarms?: number) =>
        roomDetector(detectorRows(others(augmented), cues), detectorRows(room, cues), falseAlarms);
      m.temperature = coldTemperature;
      m.noisy = { ...noisyModels.get(speaker)!, temperature: noisyTemperature, ...noisyRoomThresholds(others(augmented), others(noisyAugmented)) };
      m.backgroundTalk = { ...talkModels.get(speaker)!, temperature: talkTemperature, detector: detector(talkAugmented.get(speaker)!, 'backgroundTalk') };
      m.reverberant = { ...reverbModels.get(speaker)!, temperature: reverbTemperature, detector: detector(others(reverbAugmented), 'reverberation') };
      m.microphone = {
        ...microphoneModels.get(speaker)!,
        temperature: microphoneTemperature,
        detector: detector(others(microphoneAugmented), 'microphone', MICROPHONE_FALSE_ALARMS),
      };
    }
    for (const m of adaptedModels.values()) m.temperature = adaptedTemperature;
    const cold = heldOutPredictions(examples, coldModels);
    // Each fold trusts fully the distances of the other speakers' held-out takes (studio and every trained room).
    const readings = [...cold, ...noisyRoom, ...talkRoom, ...reverbRoom, ...microphoneRoom];
    for (const [speaker, m] of coldModels) m.familiarDistance = familiarDistance(readings.filter((p) => p.example.clip.speaker !== speaker));
    const coldOf = new Map(cold.map((p) => [p.example.clip, p.logits]));
    const settled = adapted.map((p) => ({
      ...p,
      logits: blendLogProbabilities(coldOf.get(p.example.clip)!, logProbabilities(p.logits, adaptedTemperature), INDEPENDENT_WEIGHT),
    }));
    const running = heldOutPredictions(examples, adaptedModels, { mode: 'running', cold: coldModels });
    const shared = [1, 2, 3].flatMap((seed) => sharedAccountPredictions(examples, adaptedModels, coldModels, seed));
    const sequential = sequentialAccountPredictions(examples, adaptedModels, coldModels);
    cached = {
      examples,
      augmented,
      cold,
      coldUncalibrated,
      noisyAugmented,
      voices,
      noisyRoom,
      talkRoom,
      reverbAugmented,
      reverbRoom,
      microphoneAugmented,
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
      familiarDistance: familiarDistance(readings),
      coldModels,
      adaptedModels,
    };
  }
  return cached;
}

/** The share of studio takes the noisy-room classifier may read for their margin alone (a detector's false-alarm rate). */
const NOISY_ROOM_QUANTILE = 0.01;
/** Over a steady floor, it reads takes up to this quantile of its own training copies' margins (the rooms it learned). */
const STEADY_ROOM_QUANTILE = 0.95;
/** The share of studio takes a room detector (background talk, reverberation) may hear its room in. */
const ROOM_DETECTOR_QUANTILE = 0.01;
/**
 * The microphone detector's share of studio takes (of the training clips at every speed): the long-term spectrum
 * varies between speakers more than the room cues do, so a new speaker's takes cross a 1% threshold about three
 * times as often.
 */
export const MICROPHONE_FALSE_ALARMS = 0.001;
/** The penalty of a room detector's logistic reader (4–26 cues, thousands of takes: barely needed). */
const ROOM_DETECTOR_L2 = 0.01;

/**
 * When the noisy-room classifier reads a take: any take whose noise margin is below the NOISY_ROOM_QUANTILE of the
 * studio training clips' margins, so that it reads about one in a hundred takes as clean as the training's; and a
 * take over a steady floor (a room's noise, not the quiet parts of speech) whose margin is within the
 * STEADY_ROOM_QUANTILE of the noisy copies it was trained on.
 */
export function noisyRoomThresholds(studio: readonly VoiceExample[], noisy: readonly VoiceExample[]): NoisyRoomThresholds {
  const quantile = (examples: readonly VoiceExample[], q: number) => {
    const margins = examples
      .filter((e) => e.speed === 1)
      .map((e) => e.floor.marginDb)
      .sort((a, b) => a - b);
    return Math.round(10 * margins[Math.floor(q * (margins.length - 1))]) / 10;
  };
  return { belowMarginDb: quantile(studio, NOISY_ROOM_QUANTILE), steadyBelowMarginDb: quantile(noisy, STEADY_ROOM_QUANTILE) };
}

/**
 * A logistic reader telling a room's copies (others talking behind the speaker, reverberation, a colouring
 * microphone) from the studio clips by their cues (the two sets weighed equally), its threshold at the studio clips'
 * 1 − `falseAlarms` quantile of scores.
 */
export function roomDetector(studio: readonly (readonly number[])[], room: readonly (readonly number[])[], falseAlarms = ROOM_DETECTOR_QUANTILE): CueDetector {
  const rows = [...studio, ...room];
  const mean = Array.from({ length: rows[0].length }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
  const sd = mean.map((m, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j] - m) ** 2, 0) / rows.length) || 1);
  const model = trainSoftmaxLbfgs(
    rows.map((r) => Float64Array.from(r, (v, j) => (v - mean[j]) / sd[j])),
    rows.map((_, i) => (i < studio.length ? 0 : 1)),
    2,
    ROOM_DETECTOR_L2,
    rows.map((_, i) => (i < studio.length ? room.length / studio.length : 1)),
  );
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  const detector: CueDetector = {
    mean: mean.map(r4),
    sd: sd.map(r4),
    weights: mean.map((_, j) => r4(model.weights[j * 2 + 1] - model.weights[j * 2])),
    bias: r4(model.bias[1] - model.bias[0]),
    threshold: 0,
  };
  const scores = studio.map((cues) => cueScore(detector, cues)).sort((a, b) => a - b);
  return { ...detector, threshold: r4(scores[Math.floor((1 - falseAlarms) * (scores.length - 1))]) };
}

/** The detectors' training rows: the room cues of the examples as recorded (`floor` cues) or at every speed (`microphone`). */
export function detectorRows(examples: readonly VoiceExample[], cues: 'backgroundTalk' | 'reverberation' | 'microphone'): number[][] {
  return cues === 'microphone' ? examples.map((e) => microphoneCues(e.features)) : examples.filter((e) => e.speed === 1).map((e) => e.floor[cues]);
}

/** Every speaker's clips as background voices (decoded; emodb-dev is all 16 kHz). */
export function backgroundVoices(clips: readonly EmoDbClip[]): BackgroundVoice[] {
  return [...new Set(clips.map((c) => c.speaker))].sort().map((speaker) => ({
    speaker,
    clips: clips.filter((c) => c.speaker === speaker).map((c) => decodeWavMono(new Uint8Array(readFileSync(c.file))).samples),
  }));
}

/** Copies of the clips, and of them at BACKGROUND_TALK_SPEEDS, with `voices` talking behind them (`trainingBackgroundTalk`). */
export function backgroundTalkCopies(clips: readonly EmoDbClip[], voices: readonly BackgroundVoice[]): VoiceExample[] {
  return extractExamples(clips, BACKGROUND_TALK_SPEEDS, trainingBackgroundTalk(voices));
}

/** The microphone copies' speeds besides 1. */
const MICROPHONE_SPEEDS: readonly number[] = [0.9, 0.95, 1.05, 1.1];

/** Copies of the clips, and of them at MICROPHONE_SPEEDS, through a random microphone (`trainingMicrophone`). */
export function microphoneCopies(clips: readonly EmoDbClip[]): VoiceExample[] {
  return extractExamples(clips, MICROPHONE_SPEEDS, trainingMicrophone);
}

/** Penalties the speaker-independent model's nested selection chooses from (it trains on seven times the clips). */
export const INDEPENDENT_L2_GRID: readonly number[] = [0.1, 0.3, 1];
/** The penalty of the logistic reader that tells the two standardisation groups apart. */
const GENDER_READER_L2 = 0.1;

/**
 * The speaker-independent model: balanced softmax regression fitted exactly (L-BFGS) on the clips and their speed
 * perturbations, on features standardised per gender group (a logistic reader, trained on the same clips, chooses
 * the group of a voice it has not heard). A grid of penalties is resolved by nested leave-one-speaker-out over the
 * given speakers, scored on their clips as recorded.
 */
export function trainIndependentModel(
  examples: readonly VoiceExample[],
  l2: number | readonly number[],
  temperature = 1,
): VoiceModelParameters & { l2: number } {
  const penalty = typeof l2 === 'number' ? l2 : selectIndependentL2(examples, l2);
  const columns = VOICE_FEATURE_NAMES.map((_, i) => i);
  const all = standardiser(
    examples.map((e) => e.features),
    columns,
  );
  const standardised = (e: VoiceExample, m: { mean: number[]; sd: number[] }) => Float64Array.from(columns, (c, j) => (e.features[c] - m.mean[j]) / m.sd[j]);
  const female = examples.map((e) => (e.clip.gender === 'female' ? 1 : 0));
  const reader = trainSoftmaxLbfgs(
    examples.map((e) => standardised(e, all)),
    female,
    2,
    GENDER_READER_L2,
    examples.map(() => 1),
  );
  const groups = [0, 1].map((g) =>
    standardiser(
      examples.filter((_, i) => female[i] === g).map((e) => e.features),
      columns,
    ),
  );
  const model = trainSoftmaxLbfgs(
    examples.map((e, i) => standardised(e, groups[female[i]])),
    examples.map((e) => VOICE_LABELS.indexOf(e.label)),
    VOICE_LABELS.length,
    penalty,
    balancedWeights(examples),
  );
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  const K = VOICE_LABELS.length;
  return {
    format: VOICE_MODEL_FORMAT,
    labels: [...VOICE_LABELS],
    features: columns.map((c) => VOICE_FEATURE_NAMES[c]),
    mean: all.mean.map(r4),
    sd: all.sd.map(r4),
    weights: VOICE_LABELS.map((_, k) => columns.map((_, j) => r4(model.weights[j * K + k]))),
    bias: Array.from(model.bias, r4),
    temperature,
    genderStandardisation: {
      reader: { weights: columns.map((_, j) => r4(reader.weights[j * 2 + 1] - reader.weights[j * 2])), bias: r4(reader.bias[1] - reader.bias[0]) },
      mean: [groups[0].mean.map(r4), groups[1].mean.map(r4)],
      sd: [groups[0].sd.map(r4), groups[1].sd.map(r4)],
    },
    trainedOn: '',
    l2: penalty,
  };
}

/** The grid's penalty with the best leave-one-speaker-out accuracy (clips as recorded) over the given speakers. */
function selectIndependentL2(examples: readonly VoiceExample[], grid: readonly number[]): number {
  let best = { l2: grid[0], accuracy: -1 };
  for (const l2 of grid) {
    const held = heldOutPredictions(examples, independentFoldModels(examples, l2));
    const accuracy = held.filter((p) => predictedLabel(p.logits) === p.example.label).length / held.length;
    if (accuracy > best.accuracy) best = { l2, accuracy };
  }
  return best.l2;
}

/** The speaker-independent model of each outer fold, trained without that speaker's clips and their perturbations. */
export function independentFoldModels(examples: readonly VoiceExample[], l2: number | readonly number[]): Map<string, VoiceModelParameters & { l2: number }> {
  return perHeldOutSpeaker(examples, (others) => trainIndependentModel(others, l2));
}
