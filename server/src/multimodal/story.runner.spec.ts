import { Logger } from '@nestjs/common';
import { JobProgressReporter, type ProgressTarget } from '../core/jobs/job-processor';
import type { MusicRenderService } from '../music/music-render.service';
import type { MultimodalEngines } from './multimodal-engines';
import type { MultimodalRepository } from './multimodal.repository';
import type { MultimodalStorage } from './multimodal.storage';
import { StoryRunner } from './story.runner';

/** A runner whose rendering fails with `error`; it records what it did to the story's row. */
function failingRunner(error: Error) {
  const calls: string[] = [];
  const repository = {
    findStoryForJob: () => Promise.resolve({ id: 's1', text: 'Once upon a time.' }),
    markStoryActive: () => Promise.resolve(true),
    failStory: (id: string, message: string) => Promise.resolve(void calls.push(`failStory ${message}`)),
  } as unknown as MultimodalRepository;
  const engines = { storyteller: () => Promise.resolve(() => Promise.resolve({ midi: new Uint8Array(4) })) } as unknown as MultimodalEngines;
  const rendering = { render: () => Promise.reject(error) } as unknown as MusicRenderService;
  const runner = new StoryRunner(engines, rendering, repository, {} as MultimodalStorage);
  const job: ProgressTarget = { id: 's1', queueName: 'multimodal-story', updateProgress: () => Promise.resolve() };
  const progress = new JobProgressReporter(job, new Logger('test'));
  return { calls, run: (willRetry: boolean) => runner.run({ id: 's1', data: { userId: 'u1', seed: 1 }, progress, willRetry: () => willRetry }) };
}

describe('StoryRunner', () => {
  it('leaves the story active for the retry of a transient failure', async () => {
    const { calls, run } = failingRunner(new Error('Connection terminated unexpectedly'));
    await expect(run(true)).rejects.toThrow('Connection terminated');
    expect(calls).toEqual([]);
  });

  it('marks the story failed, with the reason, when no attempt is left or the failure is not transient', async () => {
    const { calls, run } = failingRunner(new Error('the render pool was closed'));
    await expect(run(false)).rejects.toThrow('render pool');
    expect(calls).toEqual(['failStory the render pool was closed']);
  });
});
