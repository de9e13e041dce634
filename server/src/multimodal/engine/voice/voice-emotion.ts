/**
 * VoiceEmotionRecognizer: a WAV recording → probabilities over neutral, happy, sad, angry, fearful, disgusted and
 * bored (EmoDB's seven), valence/arousal (Σ p·LABEL_AFFECT) and a confidence (the top probability of the calibrated
 * softmax). WAV decoding is the tutor engine's (any PCM/float WAV, mono or stereo, 8–48 kHz).
 */
import { affectOfProbabilities, argmaxLabel, round3 } from '../affect-labels';
import { UndecodableInputError, type VoiceAnalysis, type VoiceEmotion, type VoiceEmotionEngine } from '../types';
import { AudioInputError, decodeWavMono, type MonoAudio } from '../../../tutor/engine/audio/wav-input';
import SHIPPED_VOICE from '../models/voice.json';
import { extractVoiceFeatures, VOICE_FEATURE_NAMES } from './voice-features';
import { readVoiceModel, validateVoiceModel, type VoiceModelParameters } from './voice-model';

/** Shortest recording with enough speech to judge (seconds). */
export const MIN_VOICE_SEC = 0.5;

export class VoiceEmotionRecognizer implements VoiceEmotionEngine {
  private readonly columns: number[];

  constructor(private readonly model: VoiceModelParameters = validateVoiceModel(SHIPPED_VOICE, 'models/voice.json')) {
    this.columns = model.features.map((name) => VOICE_FEATURE_NAMES.indexOf(name));
  }

  /** Reads a parameter file (the operator's override); throws VoiceModelError. */
  static load(path?: string): VoiceEmotionRecognizer {
    return new VoiceEmotionRecognizer(path ? readVoiceModel(path) : undefined);
  }

  get trainedOn(): string {
    return this.model.trainedOn;
  }

  analyze(wav: Uint8Array): VoiceAnalysis {
    let audio: MonoAudio;
    try {
      audio = decodeWavMono(wav);
    } catch (error) {
      if (error instanceof AudioInputError) throw new UndecodableInputError('voice', error.message);
      throw error;
    }
    return this.analyzeAudio(audio);
  }

  analyzeAudio(audio: MonoAudio): VoiceAnalysis {
    if (audio.samples.length < MIN_VOICE_SEC * audio.sampleRate) throw new UndecodableInputError('voice', `the recording is shorter than ${MIN_VOICE_SEC} s`);
    let energy = 0;
    for (const v of audio.samples) energy += v * v;
    if (energy / audio.samples.length < 1e-9) throw new UndecodableInputError('voice', 'the recording is silent');
    const features = extractVoiceFeatures(audio);
    const { mean, sd, weights, bias, temperature, labels } = this.model;
    const x = this.columns.map((c, j) => (features[c] - mean[j]) / sd[j]);
    const logits = weights.map((w, k) => (bias[k] + w.reduce((s, wj, j) => s + wj * x[j], 0)) / temperature);
    const max = Math.max(...logits);
    const exps = logits.map((l) => Math.exp(l - max));
    const sum = exps.reduce((s, e) => s + e, 0);
    const probabilities: Partial<Record<VoiceEmotion, number>> = {};
    labels.forEach((label, k) => (probabilities[label] = exps[k] / sum));
    const emotion = argmaxLabel(probabilities, labels);
    const { valence, arousal } = affectOfProbabilities(probabilities);
    const rounded = Object.fromEntries(labels.map((l) => [l, round3(probabilities[l] ?? 0)]));
    return { emotion, probabilities: rounded, valence: round3(valence), arousal: round3(arousal), confidence: round3(probabilities[emotion] ?? 0) };
  }
}
