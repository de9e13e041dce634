import { LanguageModelError } from '../core/llm/language-model.error';
import type { LanguageModelService } from '../core/llm/language-model.service';
import { MusicTopicAnalyser } from './music-topic.analyser';
import { TopicAnalysisDto } from './dto/topic-analysis.dto';

function fakeLlm(configured: boolean, answer: () => Promise<unknown>) {
  const completeJson = jest.fn(answer);
  return { llm: { isConfigured: () => configured, completeJson } as unknown as LanguageModelService, completeJson };
}

describe('MusicTopicAnalyser', () => {
  it('uses the built-in analyser (the text-affect model) when no language model is configured', async () => {
    const { llm, completeJson } = fakeLlm(false, () => Promise.reject(new Error('must not be called')));
    const { analysis, analyser } = await new MusicTopicAnalyser(llm).analyse('a happy sunny day at the beach');
    expect(analyser).toBe('built-in');
    expect(analysis.valence).toBeGreaterThan(0);
    expect(completeJson).not.toHaveBeenCalled();
  });

  it('asks the language model for a validated TopicAnalysis when configured', async () => {
    const { llm, completeJson } = fakeLlm(true, () =>
      Promise.resolve(Object.assign(new TopicAnalysisDto(), { valence: -0.5, arousal: -0.2, emotion: 'sad', style: 'ballad', keywords: ['rain'] })),
    );
    const { analysis, analyser } = await new MusicTopicAnalyser(llm).analyse('雨夜里的思念');
    expect(analyser).toBe('language-model');
    expect(analysis).toEqual({ valence: -0.5, arousal: -0.2, emotion: 'sad', style: 'ballad', keywords: ['rain'] });
    expect((completeJson.mock.calls[0] as unknown[])[1]).toBe(TopicAnalysisDto);
  });

  it('falls back to the built-in analyser when the language model fails', async () => {
    const { llm } = fakeLlm(true, () => Promise.reject(new LanguageModelError('timeout', 'slow')));
    const { analyser } = await new MusicTopicAnalyser(llm).analyse('storm');
    expect(analyser).toBe('built-in');
  });
});
