/**
 * VoiceEmotionRecognizer: a WAV recording → probabilities over neutral, happy, sad, angry, fearful, disgusted and
 * bored (EmoDB's seven), valence/arousal (Σ p·LABEL_AFFECT) and a confidence (the top probability of the calibrated
 * softmax, mixed with uniform probabilities for a take unlike the voices the model learned from: `familiarity`). WAV
 * decoding is the tutor engine's (any PCM/float WAV, mono or stereo, 8–48 kHz).
 *
 * Given the speaker's SpeakerBaseline (the caller keeps one per user), the recording is added to it and, once enough
 * of that speaker's recordings have been heard, the speaker-adapted classifier reads the features relative to the
 * speaker's running mean, blended with the speaker-independent one; before that (and without a baseline) the
 * speaker-independent one answers alone. A take recorded over room noise, or with other voices talking behind the
 * speaker (its pauses filled: `noiseFloor`), is read by the speaker-independent classifier trained on such copies,
 * when the model has one.
 */
import { affectOfProbabilities, argmaxLabel, round3, roundDistribution } from '../affect-labels';
import { UndecodableInputError, VOICE_EMOTIONS, type VoiceAnalysis, type VoiceEmotion, type VoiceEmotionEngine } from '../types';
import { resample } from '../../../tutor/engine/audio/resample';
import { AudioInputError, decodeWavMono, MAX_SAMPLE_RATE, type MonoAudio } from '../../../tutor/engine/audio/wav-input';
import SHIPPED_VOICE from '../models/voice.json';
import { extractVoiceFeatures, VOICE_FEATURE_NAMES } from './voice-features';
import { SpeakerBaseline, type SpeakerBaselineState } from './speaker-baseline';
import { noiseFloor, speechStandsOut } from './speech-span';
import {
  blendLogProbabilities,
  classifierLogits,
  familiarity,
  independentClassifier,
  inputDistance,
  linearLogits,
  logProbabilities,
  type CueDetector,
  type NoisyRoomThresholds,
  readVoiceModel,
  standardisedInputs,
  validateVoiceModel,
  type VoiceClassifier,
  type VoiceModelParameters,
} from './voice-model';

/** Shortest recording with enough speech to judge (seconds). */
export const MIN_VOICE_SEC = 0.5;
/** Highest WAV sample rate a voice recording may have (Hz). */
export const MAX_VOICE_SAMPLE_RATE = 192_000;

export class VoiceEmotionRecognizer implements VoiceEmotionEngine {
  /** The speaker-independent classifier, with those for noisy and reverberant rooms, background talk and colouring microphones when the model has them. */
  private readonly cold: Readied & {
    noisy?: Readied & NoisyRoomThresholds;
    reverberant?: Readied & { detector: CueDetector };
    backgroundTalk?: Readied & { detector: CueDetector };
    microphone?: Readied & { detector: CueDetector };
  };
  private readonly adapted?: Readied & { adaptAfter: number; independentWeight?: number };

  constructor(private readonly model: VoiceModelParameters = validateVoiceModel(SHIPPED_VOICE, 'models/voice.json')) {
    const { noisy, reverberant, backgroundTalk, microphone } = model;
    this.cold = {
      ...readied(model),
      noisy: noisy && { ...noisy, ...readied(noisy) },
      reverberant: reverberant && { ...reverberant, ...readied(reverberant) },
      microphone: microphone && { ...microphone, ...readied(microphone) },
      backgroundTalk: backgroundTalk && { ...backgroundTalk, ...readied(backgroundTalk) },
    };
    if (model.speakerAdapted) this.adapted = { ...model.speakerAdapted, ...readied(model.speakerAdapted) };
  }

  /** One speaker's running baseline, fresh or from its stored state (pass it to every analysis of their voice). */
  newSpeakerBaseline(state?: SpeakerBaselineState): SpeakerBaseline {
    return SpeakerBaseline.restore(VOICE_FEATURE_NAMES.length, state);
  }

  /** Reads a parameter file (the operator's override); throws VoiceModelError. */
  static load(path?: string): VoiceEmotionRecognizer {
    return new VoiceEmotionRecognizer(path ? readVoiceModel(path) : undefined);
  }

  get trainedOn(): string {
    return this.model.trainedOn;
  }

  analyze(wav: Uint8Array, speaker?: SpeakerBaseline, options: { learn?: boolean } = {}): VoiceAnalysis {
    let audio: MonoAudio;
    try {
      audio = decodeWavMono(wav, { maxSampleRate: MAX_VOICE_SAMPLE_RATE });
      // Studio rates (88.2–192 kHz) are brought to the highest rate the rest of the reader is measured at.
      if (audio.sampleRate > MAX_SAMPLE_RATE) audio = { sampleRate: MAX_SAMPLE_RATE, samples: resample(audio.samples, audio.sampleRate, MAX_SAMPLE_RATE) };
    } catch (error) {
      if (error instanceof AudioInputError) throw new UndecodableInputError('voice', error.message);
      throw error;
    }
    return this.analyzeAudio(audio, speaker, options);
  }

  analyzeAudio(audio: MonoAudio, speaker?: SpeakerBaseline, { learn = true }: { learn?: boolean } = {}): VoiceAnalysis {
    if (audio.samples.length < MIN_VOICE_SEC * audio.sampleRate) throw new UndecodableInputError('voice', `the recording is shorter than ${MIN_VOICE_SEC} s`);
    let energy = 0;
    for (const v of audio.samples) energy += v * v;
    if (energy / audio.samples.length < 1e-9) throw new UndecodableInputError('voice', 'the recording is silent');
    if (!speechStandsOut(audio.samples, audio.sampleRate))
      throw new UndecodableInputError('voice', 'no speech stands out of the recording (only steady noise or a steady tone)');
    const features = extractVoiceFeatures(audio);
    if (learn) speaker?.add(features);
    const cold = independentClassifier<Readied>(this.cold, noiseFloor(audio.samples, audio.sampleRate), features);
    const inputs = standardisedInputs(cold, cold.columns, features);
    const independent = logProbabilities(linearLogits(cold, inputs), cold.temperature);
    const adapted = this.adapted;
    const logP =
      adapted && speaker && speaker.count >= adapted.adaptAfter
        ? blendLogProbabilities(
            independent,
            logProbabilities(classifierLogits(adapted, adapted.columns, features, speaker.mean), adapted.temperature),
            adapted.independentWeight ?? 0,
          )
        : independent;
    const { labels } = this.model;
    const probabilities: Partial<Record<VoiceEmotion, number>> = {};
    const trust = familiarity(inputDistance(inputs), this.model.familiarDistance);
    labels.forEach((label, k) => (probabilities[label] = trust * Math.exp(logP[k]) + (1 - trust) / labels.length));
    const emotion = argmaxLabel(probabilities, labels);
    const { valence, arousal } = affectOfProbabilities(probabilities);
    // Every voice label is reported, those the model does not read (surprise, not in EmoDB) at 0.
    const reported = roundDistribution(probabilities, VOICE_EMOTIONS);
    return { emotion, probabilities: reported, valence: round3(valence), arousal: round3(arousal), confidence: reported[emotion] };
  }
}

type Readied = VoiceClassifier & { columns: number[] };

function readied(classifier: VoiceClassifier): Readied {
  return { ...classifier, columns: classifier.features.map((name) => VOICE_FEATURE_NAMES.indexOf(name)) };
}
