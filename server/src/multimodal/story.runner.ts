import { Injectable, Logger } from '@nestjs/common';
import type { JobContext } from '../core/jobs/job-processor';
import type { OwnedJobData } from '../core/jobs/jobs.service';
import { MusicRenderService } from '../music/music-render.service';
import type { StoryResultDto } from './dto/story.dto';
import { MultimodalEngines, type StoryStage, type ToldStory } from './multimodal-engines';
import { MultimodalRepository } from './multimodal.repository';
import { MultimodalStorage } from './multimodal.storage';
import { storyResultOf, type StoredStoryResult } from './story.mapping';
import { shorten } from '../core/text/shorten';

/** The story job's data; the job id is the story's id, and the text is read from its row. */
export interface StoryJobData extends OwnedJobData {
  seed: number;
  durationSec?: number;
}

/** Progress reported when each stage starts. */
export const STORY_STAGES = { scenes: 5, arc: 15, composing: 25, rendering: 40, encoding: 80, storing: 95 } as const;
export type StoryJobStage = keyof typeof STORY_STAGES;

const EXCERPT_CHARS = 80;

/** Runs one story job: the storyteller (scenes, arc, composing), the music module's rendering, then the files and the row. */
@Injectable()
export class StoryRunner {
  private readonly logger = new Logger(StoryRunner.name);

  constructor(
    private readonly engines: MultimodalEngines,
    private readonly rendering: MusicRenderService,
    private readonly repository: MultimodalRepository,
    private readonly storage: MultimodalStorage,
  ) {}

  async run({ id, data, progress, willRetry }: JobContext<StoryJobData>): Promise<StoryResultDto> {
    const report = (stage: StoryJobStage) => progress.report({ percent: STORY_STAGES[stage], stage });
    const story = await this.repository.findStoryForJob(id);
    // The row is written before the job is queued, so a missing row means the story was deleted first.
    if (!story || !(await this.repository.markStoryActive(id))) {
      const reason = `Story ${id} no longer exists; it was deleted before it started.`;
      this.logger.warn(reason);
      throw new Error(reason);
    }
    try {
      report('scenes');
      const tell = await this.engines.storyteller();
      const told = await tell(story.text, { seed: data.seed, durationSec: data.durationSec, onStage: (stage: StoryStage) => report(stage) });
      report('rendering');
      const piece = await this.rendering.render(told.midi, (stage) => report(stage));
      report('storing');
      await this.storage.saveStory(id, { mp3: piece.mp3, wav: piece.wav, midi: told.midi });
      const stored = storedResultOf(story.text, told, piece.durationSec);
      if (!(await this.repository.completeStory(id, stored))) {
        await this.storage.removeStory(id); // deleted while it ran
      }
      return storyResultOf(id, stored);
    } catch (error) {
      // A transient failure (the database or Redis away for a moment) is retried with the row still active.
      if (willRetry(error)) throw error;
      await this.repository.failStory(id, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }
}

function storedResultOf(text: string, told: ToldStory, durationSec: number): StoredStoryResult {
  return {
    language: told.language,
    scenes: told.scenes.map((scene, index) => ({
      index,
      start: scene.start,
      end: scene.end,
      excerpt: excerptOf(text.slice(scene.start, scene.end)),
      emotion: scene.emotion,
      valence: round(scene.valence),
      arousal: round(scene.arousal),
      arcValence: round(told.arc.valence[index] ?? scene.valence),
      arcArousal: round(told.arc.arousal[index] ?? scene.arousal),
    })),
    arc: { shape: told.arc.shape, fit: round(told.arc.fit), valence: told.arc.valence.map(round), arousal: told.arc.arousal.map(round) },
    timeline: told.timeline.map((entry) => ({ ...entry, startSec: round(entry.startSec), endSec: round(entry.endSec) })),
    durationSec: round(durationSec),
    explanation: told.explanation,
  };
}

function excerptOf(scene: string): string {
  const flat = scene.trim().replace(/\s+/g, ' ');
  return shorten(flat, EXCERPT_CHARS);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
