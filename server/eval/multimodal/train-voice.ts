/**
 * npm run train:multimodal-voice
 *
 * Extracts the voice features of every emodb-dev clip (and, for the speaker-independent model, of six speed
 * perturbations of it) and measures both classifiers leaving one speaker out (penalty chosen inside each fold; softmax temperatures fitted on the held-out predictions), then fits them on all seven
 * speakers (penalty chosen by leave-one-speaker-out over the seven) and writes
 * src/multimodal/engine/models/voice.json: the speaker-independent classifier and the speaker-adapted one, which reads
 * features relative to the speaker's running mean, the noisy-room classifier, trained on copies of the clips over
 * synthetic room noise and used when a take's noise margin is below the studio clips' 1st percentile or, over a
 * steady noise floor, within the rooms it was trained on, and the background-talk classifier, trained on copies with
 * other speakers talking behind them and used when its detector hears such voices, and the reverberant-room
 * classifier, trained on copies heard through synthetic room responses and used when its detector hears a reverberant
 * room, and the microphone classifier, trained on the clips and on copies through random synthetic microphones and
 * used when its detector hears a colouring microphone in the take's long-term spectrum (EmoDB: free from its authors, CC0-1.0 as republished by
 * audEERING). Only learned parameters are written, never audio.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VoiceModelParameters } from '../../src/multimodal/engine/voice/voice-model';
import { EMODB_DIR, loadEmoDb } from './datasets';
import { classScores } from './metrics';
import {
  ADAPT_AFTER,
  backgroundTalkCopies,
  detectorRows,
  INDEPENDENT_WEIGHT,
  MICROPHONE_FALSE_ALARMS,
  type FoldPrediction,
  INDEPENDENT_L2_GRID,
  noisyRoomThresholds,
  predictedLabel,
  roomDetector,
  trainIndependentModel,
  trainVoiceModel,
  VOICE_L2_GRID,
  VOICE_LABELS,
  voiceHeldOut,
} from './voice-training';

const OUT = join(__dirname, '../../src/multimodal/engine/models/voice.json');

function scoresOf(held: readonly FoldPrediction[]) {
  return classScores(
    held.map((p) => p.example.label),
    held.map((p) => predictedLabel(p.logits)),
    VOICE_LABELS,
  );
}

function main(): void {
  const clips = loadEmoDb();
  if (!clips) {
    console.log(`SKIPPED: ${EMODB_DIR} not found (set MULTIMODAL_DATASETS_DIR).`);
    return;
  }
  const held = voiceHeldOut(clips);
  const { examples, augmented, noisyAugmented, reverbAugmented, microphoneAugmented, cold, noisyRoom, talkRoom, reverbRoom, microphoneRoom, adapted, running } =
    held;
  const { coldTemperature, adaptedTemperature, noisyTemperature, talkTemperature, reverbTemperature, microphoneTemperature } = held;
  const talkAugmented = backgroundTalkCopies(clips, held.voices);
  const thresholds = noisyRoomThresholds(augmented, noisyAugmented);
  const { l2: coldL2, ...coldModel } = trainIndependentModel(augmented, INDEPENDENT_L2_GRID, coldTemperature);
  const classifier = ({ features, mean, sd, weights, bias, temperature, genderStandardisation }: VoiceModelParameters) => ({
    features,
    mean,
    sd,
    weights,
    bias,
    temperature,
    genderStandardisation,
  });
  const noisy = classifier(trainIndependentModel(noisyAugmented, coldL2, noisyTemperature));
  const talking = classifier(trainIndependentModel(talkAugmented, coldL2, talkTemperature));
  const reverberant = classifier(trainIndependentModel(reverbAugmented, coldL2, reverbTemperature));
  const microphone = classifier(trainIndependentModel([...augmented, ...microphoneAugmented], coldL2, microphoneTemperature));
  const { l2: adaptedL2, ...adaptedModel } = trainVoiceModel(examples, { l2: VOICE_L2_GRID, speakerCentred: true }, adaptedTemperature);
  const speakers = new Set(clips.map((c) => c.speaker)).size;
  const [c, a, r, n, t, v, m] = [cold, adapted, running, noisyRoom, talkRoom, reverbRoom, microphoneRoom].map(scoresOf);
  const model: VoiceModelParameters = {
    ...coldModel,
    speakerAdapted: {
      features: adaptedModel.features,
      mean: adaptedModel.mean,
      sd: adaptedModel.sd,
      weights: adaptedModel.weights,
      bias: adaptedModel.bias,
      temperature: adaptedTemperature,
      adaptAfter: ADAPT_AFTER,
      independentWeight: INDEPENDENT_WEIGHT,
    },
    noisy: { ...noisy, ...thresholds },
    backgroundTalk: { ...talking, detector: roomDetector(detectorRows(augmented, 'backgroundTalk'), detectorRows(talkAugmented, 'backgroundTalk')) },
    reverberant: { ...reverberant, detector: roomDetector(detectorRows(augmented, 'reverberation'), detectorRows(reverbAugmented, 'reverberation')) },
    microphone: {
      ...microphone,
      detector: roomDetector(detectorRows(augmented, 'microphone'), detectorRows(microphoneAugmented, 'microphone'), MICROPHONE_FALSE_ALARMS),
    },
    familiarDistance: held.familiarDistance,
    trainedOn: `EmoDB (Burkhardt et al. 2005; free from its authors, CC0-1.0 as republished by audEERING): ${examples.length} clips of ${speakers} speakers (emodb-dev: 03 08 09 10 11 12 13); the noisy-room classifier on copies of them over synthetic pink or brown noise, the background-talk classifier on copies with two to four of the other speakers talking behind them, the reverberant-room classifier on copies heard through synthetic room responses, the microphone classifier on the clips and copies through random synthetic microphones`,
    metrics: {
      clips: examples.length,
      speakers,
      losoAccuracy: round(c.accuracy),
      losoUar: round(c.uar),
      losoAdaptedAccuracy: round(a.accuracy),
      losoAdaptedUar: round(a.uar),
      losoRunningAccuracy: round(r.accuracy),
      losoNoisyRoomAccuracy: round(n.accuracy),
      losoBackgroundTalkAccuracy: round(t.accuracy),
      losoReverberantAccuracy: round(v.accuracy),
      losoMicrophoneAccuracy: round(m.accuracy),
      l2: coldL2,
      adaptedL2,
    },
  };
  writeFileSync(OUT, `${JSON.stringify(model)}\n`);
  console.log(
    `voice, leave one speaker out: speaker-independent ${(100 * c.accuracy).toFixed(1)}% (UAR ${(100 * c.uar).toFixed(1)}%), ` +
      `speaker-adapted ${(100 * a.accuracy).toFixed(1)}% (UAR ${(100 * a.uar).toFixed(1)}%), running ${(100 * r.accuracy).toFixed(1)}%, ` +
      `noisy copies by the noisy-room classifier ${(100 * n.accuracy).toFixed(1)}% (below ${thresholds.belowMarginDb} dB, over a steady floor ${thresholds.steadyBelowMarginDb} dB), ` +
      `copies with others talking behind by the background-talk classifier ${(100 * t.accuracy).toFixed(1)}%, ` +
      `reverberant copies by the reverberant-room classifier ${(100 * v.accuracy).toFixed(1)}%, ` +
      `microphone copies by the microphone classifier ${(100 * m.accuracy).toFixed(1)}%; ` +
      `l2 ${coldL2} / ${adaptedL2}, temperatures ${coldTemperature} / ${adaptedTemperature} / ${noisyTemperature} / ${talkTemperature} / ${reverbTemperature} / ${microphoneTemperature} → ${OUT}`,
  );
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

main();
