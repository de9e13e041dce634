import { randomInt, randomUUID } from 'node:crypto';
import { HttpStatus, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../core/auth/auth.decorators';
import { AppConfig } from '../core/config/app-config';
import { ProblemException } from '../core/errors/problem';
import type { JobAcceptedDto, JobStatusDto } from '../core/jobs/dto/job.dto';
import { JobQuota } from '../core/jobs/job-quota.service';
import { JobsService, LOST_JOB_REASON } from '../core/jobs/jobs.service';
import { QUEUES } from '../core/jobs/queues';
import { MAX_STORY_SEED, type CreateStoryDto, type StoryHistoryPageDto, type StoryResultDto, type StoryStatusDto } from './dto/story.dto';
import { MultimodalRepository, type StoryRow } from './multimodal.repository';
import { MultimodalStorage, type StoredFile, type StoryFileKind } from './multimodal.storage';
import { storyAcceptedOf, storyStatusFromRow, storyStatusUrlOf, storySummaryOf, titleOf } from './story.mapping';
import type { StoryJobData } from './story.runner';

/** The storyteller's use cases: submit (quota, row, job), status, history, files and delete. */
@Injectable()
export class StoriesService {
  private readonly logger = new Logger(StoriesService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly quota: JobQuota,
    private readonly repository: MultimodalRepository,
    private readonly storage: MultimodalStorage,
  ) {}

  async submit(user: AuthUser, dto: CreateStoryDto): Promise<JobAcceptedDto> {
    // The row comes first so the worker always finds it; without Redis there is nothing to write it for.
    this.jobs.assertAvailable();
    const id = randomUUID();
    await this.quota.take(user.id, { kind: 'story', perHour: this.config.MULTIMODAL_STORY_QUOTA_PER_HOUR, noun: 'stories' }, id);
    const seed = dto.seed ?? randomInt(0, MAX_STORY_SEED);
    const data: StoryJobData = { userId: user.id, seed, ...(dto.durationSec !== undefined ? { durationSec: dto.durationSec } : {}) };
    try {
      await this.repository.insertStory({ id, userId: user.id, title: dto.title || titleOf(dto.text), text: dto.text, seed });
      await this.jobs.submit(QUEUES.multimodalStory, 'story', data, { id, statusUrl: storyStatusUrlOf });
      return storyAcceptedOf(id);
    } catch (error) {
      // No job will ever run for this row: without it, it would stay queued forever; nor does it use the quota.
      await Promise.allSettled([this.repository.deleteStory(id, user.id), this.quota.release(id)]);
      throw error;
    }
  }

  /** The live job while it runs (progress and stage), the row once it is final. */
  async status(user: AuthUser, id: string): Promise<StoryStatusDto> {
    const row = await this.owned(user, id);
    if (row.state === 'queued' || row.state === 'active') {
      let live: JobStatusDto<StoryResultDto> | undefined;
      try {
        live = await this.jobs.status<StoryResultDto>(QUEUES.multimodalStory, id, user);
        if (live.state !== 'completed' && live.state !== 'failed') return { ...live, title: row.title, text: row.text };
      } catch (error) {
        if (!(error instanceof NotFoundException)) throw error;
      }
      // Finished between the two reads, or ended without the row hearing of it (its worker died; BullMQ failed or
      // removed it): the row takes the job's end, for good.
      const fresh = await this.owned(user, id);
      if (fresh.state === 'completed' || fresh.state === 'failed') return storyStatusFromRow(fresh, true);
      await this.repository.failStory(id, live?.error ?? LOST_JOB_REASON);
      return storyStatusFromRow(await this.owned(user, id), true);
    }
    return storyStatusFromRow(row, true);
  }

  async history(user: AuthUser, page = 1, pageSize = 20): Promise<StoryHistoryPageDto> {
    const { rows, total } = await this.repository.listStories(user.id, (page - 1) * pageSize, pageSize);
    return { items: rows.map(storySummaryOf), total, page, pageSize };
  }

  async file(user: AuthUser, id: string, kind: StoryFileKind): Promise<StoredFile> {
    const row = await this.owned(user, id);
    if (row.state !== 'completed') throw new ProblemException(HttpStatus.CONFLICT, `Story ${id} is ${row.state}; its music exists once it has completed.`);
    const file = await this.storage.locateStory(id, kind);
    if (!file) throw new NotFoundException(`Story ${id} has no ${kind} file.`);
    return file;
  }

  /** Deletes the story with its files; its job too unless it is running (then it finds no row and drops its files). */
  async remove(user: AuthUser, id: string): Promise<void> {
    if (!(await this.repository.deleteStory(id, user.id))) throw new NotFoundException(`No story ${id}.`);
    await this.storage.removeStory(id);
    try {
      await this.jobs.cancel(QUEUES.multimodalStory, id);
    } catch (error) {
      this.logger.warn(`Could not cancel the job of deleted story ${id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async owned(user: AuthUser, id: string): Promise<StoryRow> {
    const row = await this.repository.findStory(id, user.id);
    if (!row) throw new NotFoundException(`No story ${id}.`);
    return row;
  }
}
