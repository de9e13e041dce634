import { planFromEmotion } from './plan';
import { EmotionName, MusicPlan } from './types';

/** What a topic analyser (built-in lexicon or a language model) extracts from free text. */
export interface TopicAnalysis {
  valence: number;
  arousal: number;
  emotion: EmotionName;
  style?: string;
  tempoHint?: number;
  instruments?: number[];
  keywords: string[];
}

/** Built-in multilingual topic analyser (first version: neutral). */
export function analyseTopic(text: string): TopicAnalysis {
  void text;
  return { valence: 0.3, arousal: 0, emotion: 'calm', keywords: [] };
}

/** Plan for a topic analysis and a duration in seconds (10–300). */
export function planFromTopic(analysis: TopicAnalysis, durationSec: number): MusicPlan {
  return planFromEmotion({ valence: analysis.valence, arousal: analysis.arousal, label: analysis.emotion }, durationSec, {
    tempo: analysis.tempoHint, instruments: analysis.instruments, style: analysis.style,
  });
}
