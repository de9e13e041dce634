import { randomInt, randomUUID } from 'node:crypto';
import { HttpStatus, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../core/auth/auth.decorators';
import { AppConfig } from '../core/config/app-config';
import { ProblemException } from '../core/errors/problem';
import type { JobAcceptedDto, JobStatusDto } from '../core/jobs/dto/job.dto';
import { JobQuota } from '../core/jobs/job-quota.service';
import { JobsService, LOST_JOB_REASON } from '../core/jobs/jobs.service';
import { QUEUES } from '../core/jobs/queues';
import { MAX_SEED, type GenerateFromEmotionDto } from './dto/generate-emotion.dto';
import type { GenerateFromTopicDto } from './dto/generate-topic.dto';
import type { MusicCatalogDto } from './dto/music-catalog.dto';
import type {
  AudioFormat,
  MusicGenerationResultDto,
  MusicGenerationStatusDto,
  MusicHistoryPageDto,
  MusicNotesDto,
  MusicPlanDocumentDto,
} from './dto/music-generation.dto';
import { MUSIC_CATALOG } from './music-catalog';
import { cacheKeyOf, normaliseEmotionRequest, normaliseTopicRequest, planForEmotion, type MusicJobData, type NormalisedRequest } from './music-request';
import { acceptedOf, statusFromRow, statusUrlOf, storedResultOf, summaryOf } from './music.mapping';
import { MusicMetrics } from './music.metrics';
import { MusicGenerationRow, MusicRepository } from './music.repository';
import { MUSIC_FILES, MusicFileKind, MusicStorage } from './music.storage';

export interface SubmitOutcome {
  accepted: JobAcceptedDto;
  /** True when answered from the cache: the generation is already complete. */
  cached: boolean;
}

/** A stored file of a completed generation, for the controller to stream. */
export interface MusicFile {
  path: string;
  size: number;
  contentType: string;
  filename: string;
}

/** A MIDI file rendered to audio. */

/** The music use cases: submit (cache, quota, queue), status, files, history, delete, and the catalogue. */
@Injectable()
export class MusicGenerationService {
  private readonly logger = new Logger(MusicGenerationService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly quota: JobQuota,
    private readonly repository: MusicRepository,
    private readonly storage: MusicStorage,
    private readonly metrics: MusicMetrics,
  ) {}

  /** What a request can ask for: emotions, instruments and limits. */
  catalog(): MusicCatalogDto {
    return MUSIC_CATALOG;
  }

  // ---------------------------------------------------------------- submit

  generateFromEmotion(user: AuthUser, dto: GenerateFromEmotionDto): Promise<SubmitOutcome> {
    const request = normaliseEmotionRequest(dto);
    // Plan now so a bad combination is a 400, not a failed job.
    try {
      planForEmotion(request);
    } catch (error) {
      if (error instanceof RangeError) throw new ProblemException(HttpStatus.BAD_REQUEST, error.message);
      throw error;
    }
    return this.submit(user, request, dto.seed);
  }

  generateFromTopic(user: AuthUser, dto: GenerateFromTopicDto): Promise<SubmitOutcome> {
    return this.submit(user, normaliseTopicRequest(dto), dto.seed);
  }

  /** Cache hit → the stored generation at once (no job); else quota check, a queued row, then its job. */
  private async submit(user: AuthUser, request: NormalisedRequest, requestedSeed: number | undefined): Promise<SubmitOutcome> {
    const seed = requestedSeed ?? randomInt(0, MAX_SEED);
    const cacheKey = cacheKeyOf(request, seed);
    const reusable = await this.repository.findReusable(cacheKey, user.id);
    if (reusable?.userId === user.id) {
      if (reusable.state === 'completed') this.metrics.cached(storedResultOf(reusable)?.provider ?? 'unknown');
      return { accepted: acceptedOf(reusable.id, reusable.state), cached: reusable.state === 'completed' };
    }
    if (reusable) {
      const id = randomUUID();
      // Its owner may delete it meanwhile: then it is not reused (its files may be gone) and a job makes the piece.
      if (await this.repository.insertReuse({ id, userId: user.id, kind: request.kind, request, seed, cacheKey }, reusable.id)) {
        this.metrics.cached(storedResultOf(reusable)?.provider ?? 'unknown');
        return { accepted: acceptedOf(id, 'completed'), cached: true };
      }
    }

    // The row comes first so the worker always finds it; without Redis there is nothing to write it for.
    this.jobs.assertAvailable();
    const id = randomUUID();
    await this.quota.take(user.id, { kind: 'music', perHour: this.config.MUSIC_QUOTA_PER_HOUR, noun: 'music generations' }, id);
    const data: MusicJobData = { userId: user.id, request, seed, cacheKey };
    try {
      await this.repository.insert({ id, userId: user.id, kind: request.kind, request, seed, cacheKey });
      const accepted = await this.jobs.submit(QUEUES.musicGeneration, `music-${request.kind}`, data, { id, statusUrl: statusUrlOf });
      return { accepted, cached: false };
    } catch (error) {
      // No job will ever run for this row: without it, it would stay queued forever; nor does it use the quota.
      await Promise.allSettled([this.repository.delete(id, user.id), this.quota.release(id)]);
      throw error;
    }
  }

  // ---------------------------------------------------------------- reads

  async status(user: AuthUser, id: string): Promise<MusicGenerationStatusDto> {
    const row = await this.owned(user, id);
    if (row.state === 'queued' || row.state === 'active') {
      let live: JobStatusDto<MusicGenerationResultDto> | undefined;
      try {
        live = await this.jobs.status<MusicGenerationResultDto>(QUEUES.musicGeneration, id, user);
        if (live.state !== 'completed' && live.state !== 'failed') return live;
      } catch (error) {
        if (!(error instanceof NotFoundException)) throw error;
      }
      // The job finished between the two reads (the row is the record of truth once final), or it ended without the
      // row hearing of it (its worker died; BullMQ failed or removed it): the row takes the job's end, for good.
      const fresh = await this.owned(user, id);
      if (fresh.state === 'completed' || fresh.state === 'failed') return statusFromRow(fresh);
      await this.repository.fail(id, live?.error ?? LOST_JOB_REASON);
      return statusFromRow(await this.owned(user, id));
    }
    return statusFromRow(row);
  }

  /** A stored file of the user's completed generation, for the controller to stream (with Range support). */
  async file(user: AuthUser, id: string, kind: MusicFileKind): Promise<MusicFile> {
    const row = await this.completed(user, id);
    const located = await this.storage.locate(row.cacheKey, kind);
    if (!located) throw missingFile(row, kind);
    const extension = MUSIC_FILES[kind].name.split('.').pop();
    return { ...located, contentType: MUSIC_FILES[kind].contentType, filename: `xiaoyu-${id.slice(0, 8)}.${extension}` };
  }

  audio(user: AuthUser, id: string, format: AudioFormat = 'mp3'): Promise<MusicFile> {
    return this.file(user, id, format);
  }

  async plan(user: AuthUser, id: string): Promise<MusicPlanDocumentDto> {
    const row = await this.completed(user, id);
    const plan = await this.storage.readJson<MusicPlanDocumentDto>(row.cacheKey, 'plan');
    if (!plan) throw missingFile(row, 'plan');
    return plan;
  }

  async notes(user: AuthUser, id: string): Promise<MusicNotesDto> {
    const row = await this.completed(user, id);
    const notes = await this.storage.readJson<MusicNotesDto>(row.cacheKey, 'notes');
    if (!notes) throw missingFile(row, 'notes');
    return notes;
  }

  async history(user: AuthUser, page = 1, pageSize = 20): Promise<MusicHistoryPageDto> {
    const { rows, total } = await this.repository.listByUser(user.id, (page - 1) * pageSize, pageSize);
    return { items: rows.map(summaryOf), total, page, pageSize };
  }

  /** Deletes the user's generation; its files go when no other generation shares them, its job unless it is running. */
  async remove(user: AuthUser, id: string): Promise<void> {
    const deleted = await this.repository.delete(id, user.id);
    if (!deleted) throw new NotFoundException(`No music generation ${id}.`);
    if (deleted.remaining === 0) await this.storage.remove(deleted.cacheKey);
    try {
      await this.jobs.cancel(QUEUES.musicGeneration, id);
    } catch (error) {
      // The row is gone, which is what the user sees; a job left queued finds no row and ends without work.
      this.logger.warn(`Could not cancel the job of deleted music generation ${id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async owned(user: AuthUser, id: string): Promise<MusicGenerationRow> {
    const row = await this.repository.findOwned(id, user.id);
    if (!row) throw new NotFoundException(`No music generation ${id}.`);
    return row;
  }

  private async completed(user: AuthUser, id: string): Promise<MusicGenerationRow> {
    const row = await this.owned(user, id);
    if (row.state !== 'completed') throw new ProblemException(HttpStatus.CONFLICT, `Generation ${id} is ${row.state}; its files exist once it has completed.`);
    return row;
  }
}

function missingFile(row: MusicGenerationRow, kind: MusicFileKind): NotFoundException {
  const provider = storedResultOf(row)?.provider ?? 'provider';
  return new NotFoundException(`Generation ${row.id} has no ${kind} file (the ${provider} provider does not produce one).`);
}
