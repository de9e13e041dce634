import {
  UndecodableInputError,
  type FaceAnalysis,
  type FaceEmotionEngine,
  type FusedAffect,
  type TextAffectEngine,
  type TextAnalysis,
  type VoiceAnalysis,
  type VoiceEmotionEngine,
} from '../../src/multimodal/engine/types';
import { SpeakerBaseline, type SpeakerBaselineState } from '../../src/multimodal/engine/voice/speaker-baseline';
import type { AffectFusion, MultimodalEngineLoaders, StoryTeller } from '../../src/multimodal/multimodal-engines';
import { compose, planFromEmotion, toMidi } from '../../src/music/engine';

/** Test doubles of the recognisers: fixed answers, and `undecodable` inputs that make them throw as the real ones do. */

export const FAKE_FACE: FaceAnalysis = {
  faces: [
    {
      box: { x: 1, y: 2, width: 3, height: 4 },
      emotion: 'happy',
      probabilities: { neutral: 0.1, happy: 0.7, sad: 0.05, angry: 0.05, fearful: 0.05, disgusted: 0.025, surprised: 0.025 },
      valence: 0.7,
      arousal: 0.4,
    },
  ],
  detector: 'face',
  emotion: 'happy',
  valence: 0.7,
  arousal: 0.4,
  confidence: 0.7,
};

export const FAKE_VOICE: VoiceAnalysis = { emotion: 'sad', probabilities: { sad: 0.6, neutral: 0.4 }, valence: -0.6, arousal: -0.3, confidence: 0.6 };

/** Marks an input the fakes refuse, as a real recogniser refuses bytes it cannot decode. */
export const UNDECODABLE = new TextEncoder().encode('undecodable');

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

export class FakeFaceEngine implements FaceEmotionEngine {
  calls = 0;
  analyze(image: Uint8Array): Promise<FaceAnalysis> {
    this.calls++;
    if (same(image, UNDECODABLE)) return Promise.reject(new UndecodableInputError('face', 'the pixels cannot be decoded'));
    return Promise.resolve(FAKE_FACE);
  }
}

export class FakeVoiceEngine implements VoiceEmotionEngine {
  calls = 0;
  /** The speaker baseline each call was given (undefined: none). */
  speakers: (SpeakerBaseline | undefined)[] = [];
  newSpeakerBaseline(state?: SpeakerBaselineState): SpeakerBaseline {
    return SpeakerBaseline.restore(1, state);
  }
  analyze(wav: Uint8Array, speaker?: SpeakerBaseline, options: { learn?: boolean } = {}): VoiceAnalysis {
    this.calls++;
    this.speakers.push(speaker);
    if (same(wav, UNDECODABLE)) throw new UndecodableInputError('voice', 'unsupported sample format');
    if (options.learn !== false) speaker?.add([wav.length]);
    return FAKE_VOICE;
  }
}

/** Says `happy` when the text contains "happy", else `sad`; English unless it contains a CJK character. */
export class FakeTextEngine implements TextAffectEngine {
  calls = 0;
  analyze(text: string): TextAnalysis {
    this.calls++;
    const happy = /happy|开心/.test(text);
    return {
      emotion: happy ? 'happy' : 'sad',
      valence: happy ? 0.6 : -0.5,
      arousal: 0.2,
      confidence: 0.8,
      language: /[\u4e00-\u9fff]/.test(text) ? 'zh' : 'en',
    };
  }
}

/** Weights by confidence; disagreement is the spread of valence (what the real fusion does, much simplified). */
export const fakeFusion: AffectFusion = (parts) => {
  const present = Object.entries(parts).filter((entry): entry is [keyof typeof parts, FaceAnalysis | VoiceAnalysis | TextAnalysis] => !!entry[1]);
  const total = present.reduce((sum, [, p]) => sum + p.confidence, 0);
  const weights = Object.fromEntries(present.map(([name, p]) => [name, p.confidence / total]));
  const valence = present.reduce((sum, [, p]) => sum + (p.confidence / total) * p.valence, 0);
  const arousal = present.reduce((sum, [, p]) => sum + (p.confidence / total) * p.arousal, 0);
  const strongest = present.reduce((a, b) => (b[1].confidence > a[1].confidence ? b : a));
  const valences = present.map(([, p]) => p.valence);
  const fused: FusedAffect = {
    emotion: strongest[1].emotion,
    valence,
    arousal,
    confidence: total / present.length,
    weights,
    disagreement: (Math.max(...valences) - Math.min(...valences)) / 2,
  };
  return fused;
};

/**
 * Scenes are the story's paragraphs, read by the fake text engine; the arc is their valence as it is; the piece is the
 * music engine's 10 s composition for the mean mood, with the scenes sharing its time equally.
 */
export const fakeStoryteller: StoryTeller = (story, { seed, onStage }) => {
  onStage('scenes');
  const text = new FakeTextEngine();
  const scenes: { start: number; end: number }[] = [];
  for (const match of story.matchAll(/[^\n]+(?:\n(?!\s*\n)[^\n]*)*/g)) {
    if (match[0].trim()) scenes.push({ start: match.index, end: match.index + match[0].length });
  }
  onStage('arc');
  const read = scenes.map((scene) => ({ ...scene, ...text.analyze(story.slice(scene.start, scene.end)) }));
  onStage('composing');
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const plan = planFromEmotion({ valence: mean(read.map((s) => s.valence)), arousal: mean(read.map((s) => s.arousal)) }, 10);
  const composition = compose(plan, seed);
  const share = composition.durationSec / read.length;
  return {
    language: read[0]?.language ?? 'en',
    scenes: read.map(({ start, end, emotion, valence, arousal }) => ({ start, end, emotion, valence, arousal })),
    arc: { shape: 'man-in-a-hole', fit: 0.5, valence: read.map((s) => s.valence), arousal: read.map((s) => s.arousal) },
    midi: toMidi(composition),
    timeline: read.map((_, scene) => ({ scene, startSec: scene * share, endSec: (scene + 1) * share, key: `${plan.key} ${plan.mode}`, tempo: plan.tempo })),
    explanation: ['A test double: every scene shares one piece.'],
  };
};

export interface FakeEngines {
  face: FakeFaceEngine;
  voice: FakeVoiceEngine;
  text: FakeTextEngine;
  loaders: MultimodalEngineLoaders;
  loads: Record<keyof MultimodalEngineLoaders, number>;
}

export function fakeEngines(): FakeEngines {
  const face = new FakeFaceEngine();
  const voice = new FakeVoiceEngine();
  const text = new FakeTextEngine();
  const loads = { face: 0, voice: 0, text: 0, fusion: 0, storyteller: 0 };
  const loaders: MultimodalEngineLoaders = {
    face: () => (loads.face++, Promise.resolve(face)),
    voice: () => (loads.voice++, Promise.resolve(voice)),
    text: () => (loads.text++, Promise.resolve(text)),
    fusion: () => (loads.fusion++, Promise.resolve(fakeFusion)),
    storyteller: () => (loads.storyteller++, Promise.resolve(fakeStoryteller)),
  };
  return { face, voice, text, loaders, loads };
}

/** The voice baselines table in memory (the repository's find/save/forget). */
export class InMemoryVoiceBaselines {
  readonly stored = new Map<string, SpeakerBaselineState>();
  find(userId: string): Promise<SpeakerBaselineState | undefined> {
    return Promise.resolve(this.stored.get(userId));
  }
  /** As the repository: stored only if the stored baseline is still the one it grew from. */
  save(userId: string, state: SpeakerBaselineState, previous: number | undefined): Promise<void> {
    if (this.stored.get(userId)?.recordings === previous) this.stored.set(userId, state);
    return Promise.resolve();
  }
  forget(userId: string): Promise<void> {
    this.stored.delete(userId);
    return Promise.resolve();
  }
}
