/** Pure mapping from stored stories to the API's answers (URLs are derived per row, never stored). */
import type { JobAcceptedDto } from '../core/jobs/dto/job.dto';
import { eventsUrlOf } from '../core/jobs/jobs.service';
import { QUEUES } from '../core/jobs/queues';
import type { StoryResultDto, StoryStatusDto, StorySummaryDto } from './dto/story.dto';
import type { StoryRow } from './multimodal.repository';
import { shorten } from '../core/text/shorten';

/** What a completed story's `result` column holds (its URLs are added when it is read). */
export type StoredStoryResult = Omit<StoryResultDto, 'storyId' | 'audioUrl' | 'midiUrl'>;

export function storyStatusUrlOf(id: string): string {
  return `/api/multimodal/stories/${id}`;
}

export function storyAcceptedOf(id: string): JobAcceptedDto {
  return { id, queue: QUEUES.multimodalStory, state: 'queued', statusUrl: storyStatusUrlOf(id), eventsUrl: eventsUrlOf(QUEUES.multimodalStory, id) };
}

export function storyResultOf(id: string, stored: StoredStoryResult): StoryResultDto {
  const base = `/api/multimodal/stories/${id}`;
  return { storyId: id, ...stored, audioUrl: `${base}/audio?format=mp3`, midiUrl: `${base}/midi` };
}

/** The job-status shape from the row alone (the record of truth once the story is final). */
export function storyStatusFromRow(row: StoryRow, withText: boolean): StoryStatusDto {
  const running = row.state === 'queued' || row.state === 'active';
  return {
    id: row.id,
    queue: QUEUES.multimodalStory,
    state: row.state,
    title: row.title,
    ...(withText ? { text: row.text } : {}),
    progress: row.state === 'completed' ? { percent: 100, stage: 'done' } : { percent: 0, stage: row.state },
    ...(running ? { eventsUrl: eventsUrlOf(QUEUES.multimodalStory, row.id) } : {}),
    ...(row.state === 'completed' && row.result ? { result: storyResultOf(row.id, row.result as unknown as StoredStoryResult) } : {}),
    ...(row.state === 'failed' ? { error: row.error ?? 'The story could not be set to music.' } : {}),
    createdAt: row.createdAt.toISOString(),
    ...(row.finishedAt ? { finishedAt: row.finishedAt.toISOString() } : {}),
  };
}

export function storySummaryOf(row: StoryRow): StorySummaryDto {
  const stored = row.state === 'completed' && row.result ? (row.result as unknown as StoredStoryResult) : undefined;
  const running = row.state === 'queued' || row.state === 'active';
  return {
    id: row.id,
    title: row.title,
    state: row.state,
    ...(stored ? { shape: stored.arc.shape, durationSec: stored.durationSec, scenes: stored.scenes.length } : {}),
    ...(running ? { eventsUrl: eventsUrlOf(QUEUES.multimodalStory, row.id) } : {}),
    ...(row.state === 'failed' ? { error: row.error ?? 'The story could not be set to music.' } : {}),
    createdAt: row.createdAt.toISOString(),
    ...(row.finishedAt ? { finishedAt: row.finishedAt.toISOString() } : {}),
  };
}

/** A title from the story's first words when none was given. */
export function titleOf(text: string, maxChars = 60): string {
  const firstLine = text.trim().split(/\n/)[0].replace(/\s+/g, ' ');
  return shorten(firstLine, maxChars);
}
