import { Injectable } from '@nestjs/common';
import { Database, InjectDatabase } from '../core/db/database';
import { type Page, selectPage } from '../core/db/paging';
import type { MusicGenerationState } from '../core/db/schema';
import type { MultimodalAnalysis } from './engine/types';
import type { ImageType } from './media-sniffing';

export interface SavedAnalysisRow {
  id: string;
  userId: string;
  result: MultimodalAnalysis;
  text: string | null;
  image: { type: ImageType; width: number; height: number } | null;
  audioDurationSec: number | null;
  createdAt: Date;
}

export type StoryState = MusicGenerationState;

export interface StoryRow {
  id: string;
  userId: string;
  title: string;
  text: string;
  seed: number;
  state: StoryState;
  result: Record<string, unknown> | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

const ANALYSIS_COLUMNS = ['id', 'user_id', 'result', 'text', 'image_type', 'image_width', 'image_height', 'audio_duration_sec', 'created_at'] as const;
const STORY_COLUMNS = ['id', 'user_id', 'title', 'text', 'seed', 'state', 'result', 'error', 'created_at', 'finished_at'] as const;
/** The history lists leave the story's text out (up to 20,000 characters each). */
const STORY_SUMMARY_COLUMNS = ['id', 'user_id', 'title', 'seed', 'state', 'result', 'error', 'created_at', 'finished_at'] as const;

/** The only place that reads or writes multimodal_analyses and multimodal_stories. */
@Injectable()
export class MultimodalRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  // ------------------------------------------------------------ saved analyses

  async insertAnalysis(row: Omit<SavedAnalysisRow, 'createdAt'>): Promise<SavedAnalysisRow> {
    const inserted = await this.db
      .insertInto('multimodal_analyses')
      .values({
        id: row.id,
        user_id: row.userId,
        result: JSON.stringify(row.result),
        text: row.text,
        image_type: row.image?.type ?? null,
        image_width: row.image?.width ?? null,
        image_height: row.image?.height ?? null,
        audio_duration_sec: row.audioDurationSec,
      })
      .returning(ANALYSIS_COLUMNS)
      .executeTakeFirstOrThrow();
    return toAnalysis(inserted);
  }

  async findAnalysis(id: string, userId: string): Promise<SavedAnalysisRow | undefined> {
    const row = await this.db.selectFrom('multimodal_analyses').select(ANALYSIS_COLUMNS).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return row && toAnalysis(row);
  }

  async listAnalyses(userId: string, offset: number, limit: number): Promise<Page<SavedAnalysisRow>> {
    const page = await selectPage(
      this.db.selectFrom('multimodal_analyses').where('user_id', '=', userId),
      (query) => query.select(ANALYSIS_COLUMNS).orderBy('created_at', 'desc').orderBy('id'),
      offset,
      limit,
    );
    return { rows: page.rows.map(toAnalysis), total: page.total };
  }

  async deleteAnalysis(id: string, userId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('multimodal_analyses').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  // ------------------------------------------------------------ stories

  async insertStory(row: { id: string; userId: string; title: string; text: string; seed: number }): Promise<void> {
    await this.db
      .insertInto('multimodal_stories')
      .values({ id: row.id, user_id: row.userId, title: row.title, text: row.text, seed: row.seed, state: 'queued' })
      .execute();
  }

  async findStory(id: string, userId: string): Promise<StoryRow | undefined> {
    const row = await this.db.selectFrom('multimodal_stories').select(STORY_COLUMNS).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return row && toStory(row);
  }

  /** The story a job works on, whoever owns it (the job carries its owner). */
  async findStoryForJob(id: string): Promise<StoryRow | undefined> {
    const row = await this.db.selectFrom('multimodal_stories').select(STORY_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && toStory(row);
  }

  async listStories(userId: string, offset: number, limit: number): Promise<Page<StoryRow>> {
    const page = await selectPage(
      this.db.selectFrom('multimodal_stories').where('user_id', '=', userId),
      (query) => query.select(STORY_SUMMARY_COLUMNS).orderBy('created_at', 'desc').orderBy('id'),
      offset,
      limit,
    );
    return { rows: page.rows.map((row) => toStory({ ...row, text: '' })), total: page.total };
  }

  /**
   * Moves a story to active when its job starts: a queued one, or a failed one whose job an operator ran again (AIOps
   * "retry failed jobs"), whose error is then cleared. False when its row is gone (deleted before the job started).
   */
  async markStoryActive(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('multimodal_stories')
      .set({ state: 'active', error: null, finished_at: null })
      .where('id', '=', id)
      .where('state', 'in', ['queued', 'active', 'failed'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Marks the story completed; false when its row is gone (deleted while it ran). */
  async completeStory(id: string, result: Record<string, unknown>): Promise<boolean> {
    const updated = await this.db
      .updateTable('multimodal_stories')
      .set({ state: 'completed', result: JSON.stringify(result), error: null, finished_at: new Date() })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) > 0;
  }

  async failStory(id: string, error: string): Promise<void> {
    await this.db.updateTable('multimodal_stories').set({ state: 'failed', error, finished_at: new Date() }).where('id', '=', id).execute();
  }

  async deleteStory(id: string, userId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('multimodal_stories').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

const json = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

function toAnalysis(row: {
  id: string;
  user_id: string;
  result: unknown;
  text: string | null;
  image_type: ImageType | null;
  image_width: number | null;
  image_height: number | null;
  audio_duration_sec: number | null;
  created_at: Date;
}): SavedAnalysisRow {
  return {
    id: row.id,
    userId: row.user_id,
    result: json<MultimodalAnalysis>(row.result),
    text: row.text,
    image: row.image_type ? { type: row.image_type, width: Number(row.image_width), height: Number(row.image_height) } : null,
    audioDurationSec: row.audio_duration_sec === null ? null : Number(row.audio_duration_sec),
    createdAt: new Date(row.created_at),
  };
}

function toStory(row: {
  id: string;
  user_id: string;
  title: string;
  text: string;
  seed: string;
  state: StoryState;
  result: unknown;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}): StoryRow {
  return {
    id: row.id,
    userId: row.user_id,
    title: row.title,
    text: row.text,
    seed: Number(row.seed),
    state: row.state,
    result: row.result === null ? null : json<Record<string, unknown>>(row.result),
    error: row.error,
    createdAt: new Date(row.created_at),
    finishedAt: row.finished_at ? new Date(row.finished_at) : null,
  };
}
