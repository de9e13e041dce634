import { Injectable, Logger } from '@nestjs/common';
import { LanguageModelError } from '../core/llm/language-model.error';
import { LanguageModelService } from '../core/llm/language-model.service';
import { analyseTopic, EMOTION_NAMES, STYLE_NAMES, type TopicAnalysis } from './engine';
import type { TopicAnalyser } from './dto/music-generation.dto';
import { TopicAnalysisDto } from './dto/topic-analysis.dto';

const LLM_DEADLINE_MS = 15_000;

const SYSTEM_PROMPT = [
  'You read a song topic (Chinese or English) and describe the music that suits it.',
  'Answer with one JSON object: {"valence": number -1..1 (unpleasant..pleasant), "arousal": number -1..1 (calm..energetic),',
  `"emotion": one of ${EMOTION_NAMES.join('|')}, "style": optional, one of ${STYLE_NAMES.join('|')},`,
  '"tempoHint": optional integer BPM 40..220, "instruments": optional array of up to 3 General MIDI program numbers 0..127 (melody, harmony, bass),',
  '"keywords": array of the topic words that decided it}.',
].join(' ');

/** Reads a topic with the language model when one is configured, else (or on any failure) with the built-in text-affect model. */
@Injectable()
export class MusicTopicAnalyser {
  private readonly logger = new Logger(MusicTopicAnalyser.name);

  constructor(private readonly llm: LanguageModelService) {}

  async analyse(topic: string): Promise<{ analysis: TopicAnalysis; analyser: TopicAnalyser }> {
    if (this.llm.isConfigured()) {
      try {
        const dto = await this.llm.completeJson(
          [
            { role: 'system', content: SYSTEM_PROMPT },
            { role: 'user', content: topic },
          ],
          TopicAnalysisDto,
          { temperature: 0.2, signal: AbortSignal.timeout(LLM_DEADLINE_MS) },
        );
        const analysis: TopicAnalysis = {
          valence: dto.valence,
          arousal: dto.arousal,
          emotion: dto.emotion,
          keywords: dto.keywords,
          ...(dto.style !== undefined ? { style: dto.style } : {}),
          ...(dto.tempoHint !== undefined ? { tempoHint: dto.tempoHint } : {}),
          ...(dto.instruments?.length ? { instruments: dto.instruments } : {}),
        };
        return { analysis, analyser: 'language-model' };
      } catch (error) {
        if (!(error instanceof LanguageModelError)) throw error;
        this.logger.warn(`Language model unavailable for topic analysis (${error.reason}); using the built-in analyser`);
      }
    }
    return { analysis: analyseTopic(topic), analyser: 'built-in' };
  }
}
