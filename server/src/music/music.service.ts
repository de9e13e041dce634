import { createHash, randomInt, randomUUID } from 'node:crypto';
import { HttpStatus, Inject, Injectable, Logger, NotFoundException, OnModuleInit } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { Counter, Histogram } from 'prom-client';
import type { AuthUser } from '../core/auth/auth.decorators';
import { AppConfig } from '../core/config/app-config';
import { ProblemException } from '../core/errors/problem';
import type { JobAcceptedDto, JobProgressDto, JobStatusDto } from '../core/jobs/dto/job.dto';
import { JobsService, type OwnedJobData } from '../core/jobs/jobs.service';
import { QUEUES } from '../core/jobs/queues';
import { HealthRegistry } from '../core/health/health.registry';
import { MetricsService } from '../core/metrics/metrics.service';
import { planFromEmotion, planFromTopic, resolveEmotionLabel, type EmotionName, type MusicPlan, type TopicAnalysis } from './engine';
import type { GenerateFromEmotionDto } from './dto/generate-emotion.dto';
import type { GenerateFromTopicDto } from './dto/generate-topic.dto';
import type {
  AudioFormat,
  MusicGenerationResultDto,
  MusicGenerationStatusDto,
  MusicGenerationSummaryDto,
  MusicHistoryPageDto,
  MusicNotesDto,
  MusicPlanDocumentDto,
  ProviderAttemptDto,
  TopicAnalyser,
} from './dto/music-generation.dto';
import { EMOTION_TABLE } from './engine/emotion-table';
import { MusicAudioRenderer } from './music-audio.renderer';
import { MusicGenerationRow, MusicRepository } from './music.repository';
import { MUSIC_FILES, MusicFileKind, MusicStorage } from './music.storage';
import { MusicTopicAnalyser } from './music-topic.analyser';
import { describePlanAsPrompt, GeneratedMusic, MUSIC_PROVIDERS, type MusicProvider, type ProviderStage } from './providers/music-provider';

/** Bump when the composer or renderer changes output, so cached results are not reused across versions. */
export const MUSIC_PIPELINE_VERSION = 'music-v2';

/** Progress reported for each stage (percent when the stage starts). */
export const MUSIC_STAGES = { planning: 5, composing: 20, rendering: 40, encoding: 80, storing: 95 } as const;
export type MusicStage = keyof typeof MUSIC_STAGES;

export type NormalisedRequest =
  | { kind: 'emotion'; emotion?: EmotionName; valence?: number; arousal?: number; durationSec: number; tempo?: number; instruments?: number[] }
  | { kind: 'topic'; topic: string; durationSec: number };

export interface MusicJobData extends OwnedJobData {
  generationId?: string;
  request: NormalisedRequest;
  seed: number;
  cacheKey: string;
}

/** What the row's `result` column holds (URLs are derived per row when answering). */
interface StoredResult {
  provider: string;
  analyser?: TopicAnalyser;
  emotion: string;
  valence: number;
  arousal: number;
  key: string;
  mode: string;
  tempo: number;
  durationSec: number;
  explanation: string[];
  files: MusicFileKind[];
  mastering: MusicGenerationResultDto['mastering'];
}

export interface SubmitOutcome {
  accepted: JobAcceptedDto;
  /** True when answered from the cache: the generation is already complete. */
  cached: boolean;
}

const HOUR_MS = 3_600_000;
const ROW_WAIT_ATTEMPTS = 40;

@Injectable()
export class MusicGenerationService implements OnModuleInit {
  private readonly logger = new Logger(MusicGenerationService.name);
  private readonly generations: Counter<'provider' | 'outcome'>;
  private readonly duration: Histogram<'provider'>;

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly repository: MusicRepository,
    private readonly storage: MusicStorage,
    private readonly analyser: MusicTopicAnalyser,
    private readonly renderer: MusicAudioRenderer,
    private readonly health: HealthRegistry,
    @Inject(MUSIC_PROVIDERS) private readonly providers: MusicProvider[],
    metrics: MetricsService,
  ) {
    this.generations = new Counter({
      name: 'music_generations_total',
      help: 'Music generations by provider and outcome (ok, failed, cached)',
      labelNames: ['provider', 'outcome'] as const,
      registers: [metrics.registry],
    });
    this.duration = new Histogram({
      name: 'music_generation_seconds',
      help: 'Time from job start to stored files, by provider',
      labelNames: ['provider'] as const,
      buckets: [0.5, 1, 2, 4, 8, 16, 32, 64, 128],
      registers: [metrics.registry],
    });
  }

  onModuleInit(): void {
    this.health.register('music-soundfont', async () => ({ up: existsSync(this.renderer.soundFontPath), details: { path: this.renderer.soundFontPath } }));
  }

  // ---------------------------------------------------------------- submit

  generateFromEmotion(user: AuthUser, dto: GenerateFromEmotionDto): Promise<SubmitOutcome> {
    const emotion = dto.emotion !== undefined ? resolveEmotionLabel(dto.emotion) : undefined;
    const request: NormalisedRequest = {
      kind: 'emotion',
      ...(emotion ? { emotion } : { valence: round(dto.valence ?? 0, 3), arousal: round(dto.arousal ?? 0, 3) }),
      durationSec: round(dto.durationSec, 1),
      ...(dto.tempo !== undefined ? { tempo: dto.tempo } : {}),
      ...(dto.instruments?.length ? { instruments: dto.instruments } : {}),
    };
    // Validate the plan inputs now so a bad combination is a 400, not a failed job.
    this.planFor(request);
    return this.submit(user, request, dto.seed);
  }

  generateFromTopic(user: AuthUser, dto: GenerateFromTopicDto): Promise<SubmitOutcome> {
    const request: NormalisedRequest = { kind: 'topic', topic: dto.topic.trim().replace(/\s+/g, ' '), durationSec: round(dto.durationSec, 1) };
    return this.submit(user, request, dto.seed);
  }

  /** Cache hit → the stored generation at once (no job); else quota check, a queued row and a job. */
  private async submit(user: AuthUser, request: NormalisedRequest, requestedSeed: number | undefined): Promise<SubmitOutcome> {
    const seed = requestedSeed ?? randomInt(0, 2 ** 31 - 1);
    const cacheKey = cacheKeyOf(request, seed);
    const reusable = await this.repository.findReusable(cacheKey, user.id);
    if (reusable?.userId === user.id) {
      if (reusable.state === 'completed') this.generations.inc({ provider: String(reusable.result?.provider ?? 'unknown'), outcome: 'cached' });
      return { accepted: this.accepted(reusable.id, reusable.state), cached: reusable.state === 'completed' };
    }
    if (reusable) {
      const id = randomUUID();
      await this.repository.insert({
        id,
        userId: user.id,
        kind: request.kind,
        request,
        seed,
        cacheKey,
        state: 'completed',
        fromCache: true,
        result: reusable.result ?? undefined,
      });
      this.generations.inc({ provider: String(reusable.result?.provider ?? 'unknown'), outcome: 'cached' });
      return { accepted: this.accepted(id, 'completed'), cached: true };
    }

    const started = await this.repository.countStartedSince(user.id, new Date(Date.now() - HOUR_MS));
    if (started >= this.config.MUSIC_QUOTA_PER_HOUR) {
      throw new ProblemException(
        HttpStatus.TOO_MANY_REQUESTS,
        `You can start ${this.config.MUSIC_QUOTA_PER_HOUR} music generations per hour; try again later.`,
        {
          retryAfterSec: 600,
        },
      );
    }
    const data: MusicJobData = { userId: user.id, request, seed, cacheKey };
    const accepted = await this.jobs.submit(QUEUES.musicGeneration, `music-${request.kind}`, data, { statusUrl: statusUrlOf });
    await this.repository.insert({ id: accepted.id, userId: user.id, kind: request.kind, request, seed, cacheKey, state: 'queued' });
    return { accepted, cached: false };
  }

  private accepted(id: string, state: JobAcceptedDto['state']): JobAcceptedDto {
    return { id, queue: QUEUES.musicGeneration, state, statusUrl: statusUrlOf(id), eventsUrl: `/api/jobs/${QUEUES.musicGeneration}/${id}/events` };
  }

  // ---------------------------------------------------------------- the job

  /** Runs one generation (called by MusicGenerationProcessor); returns the job's result. */
  async runJob(jobId: string, data: MusicJobData, progress: (p: JobProgressDto) => Promise<void> | void): Promise<MusicGenerationResultDto> {
    const id = data.generationId ?? jobId;
    const started = performance.now();
    const report = (stage: MusicStage) => progress({ percent: MUSIC_STAGES[stage], stage });
    // The row is inserted right after the job is queued; give that insert a moment when we are faster.
    let present = await this.repository.markActive(id);
    for (let i = 0; !present && i < ROW_WAIT_ATTEMPTS; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      present = await this.repository.markActive(id);
    }
    if (!present) this.logger.warn(`Music generation ${id} has no row (deleted?); generating anyway`);

    let provider = 'none';
    try {
      await report('planning');
      const { plan, analysis, analyser } = await this.planForJob(data.request);
      const attempts: ProviderAttemptDto[] = [];
      let music: GeneratedMusic | undefined;
      for (const candidate of this.providers) {
        if (!candidate.isConfigured()) {
          attempts.push({ provider: candidate.name, outcome: 'skipped', reason: 'not configured' });
          continue;
        }
        try {
          music = await candidate.generate({
            plan,
            seed: data.seed,
            durationSec: data.request.durationSec,
            prompt: describePlanAsPrompt(plan),
            onStage: (stage: ProviderStage) => void report(stage),
          });
          attempts.push({ provider: candidate.name, outcome: 'ok' });
          provider = candidate.name;
          break;
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          attempts.push({ provider: candidate.name, outcome: 'failed', reason });
          this.logger.warn(`Music provider ${candidate.name} failed for ${id}: ${reason}`);
        }
      }
      if (!music) throw new Error(`every music provider failed: ${attempts.map((a) => `${a.provider}: ${a.reason}`).join('; ')}`);

      await report('storing');
      const planDocument: MusicPlanDocumentDto = {
        plan: plan as unknown as Record<string, unknown>,
        explanation: plan.explanation,
        ...(analysis ? { analysis: analysis as unknown as Record<string, unknown> } : {}),
        ...(analyser ? { analyser } : {}),
        provider,
        attempts,
        seed: data.seed,
        mastering: music.mastering,
      };
      const notes: MusicNotesDto | undefined = music.composition && {
        durationSec: music.composition.durationSec,
        tempo: music.composition.tempo,
        meter: [...music.composition.meter],
        tracks: music.composition.tracks.map(({ index, name, role, channel, program }) => ({ index, name, role, channel, program })),
        notes: music.composition.notes.map((n) => ({ ...n, startSec: round(n.startSec, 4), durationSec: round(n.durationSec, 4) })),
      };
      const files = await this.storage.save(data.cacheKey, {
        wav: music.wav,
        mp3: music.mp3,
        midi: music.midi,
        plan: JSON.stringify(planDocument),
        notes: notes && JSON.stringify(notes),
      });
      const stored: StoredResult = {
        provider,
        ...(analyser ? { analyser } : {}),
        emotion: plan.emotion,
        valence: plan.valence,
        arousal: plan.arousal,
        key: plan.key,
        mode: plan.mode,
        tempo: plan.tempo,
        durationSec: round(music.durationSec, 2),
        explanation: plan.explanation,
        files,
        mastering: music.mastering,
      };
      const kept = present && (await this.repository.complete(id, stored as unknown as Record<string, unknown>));
      // Deleted while it ran: drop the files unless another generation shares them.
      if (!kept && (await this.repository.countByCacheKey(data.cacheKey)) === 0) await this.storage.remove(data.cacheKey);
      this.generations.inc({ provider, outcome: 'ok' });
      this.duration.observe({ provider }, (performance.now() - started) / 1000);
      return this.resultDto(id, data.seed, false, stored);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (present) await this.repository.fail(id, message);
      this.generations.inc({ provider, outcome: 'failed' });
      throw error;
    }
  }

  private planFor(request: NormalisedRequest & { kind: 'emotion' }): MusicPlan {
    // A named emotion is planned at its anchor on the valence/arousal plane (the planner blends by position).
    const anchor = request.emotion ? EMOTION_TABLE.find((a) => a.emotion === request.emotion) : undefined;
    const target = anchor
      ? { valence: anchor.valence, arousal: anchor.arousal, label: anchor.emotion }
      : { valence: request.valence ?? 0, arousal: request.arousal ?? 0 };
    try {
      return planFromEmotion(target, request.durationSec, { tempo: request.tempo, instruments: request.instruments });
    } catch (error) {
      if (error instanceof RangeError) throw new ProblemException(HttpStatus.BAD_REQUEST, error.message);
      throw error;
    }
  }

  private async planForJob(request: NormalisedRequest): Promise<{ plan: MusicPlan; analysis?: TopicAnalysis; analyser?: TopicAnalyser }> {
    if (request.kind === 'emotion') return { plan: this.planFor(request) };
    const { analysis, analyser } = await this.analyser.analyse(request.topic);
    const plan = planFromTopic(analysis, request.durationSec);
    plan.explanation.unshift(
      analyser === 'language-model' ? 'The topic was read by the language model.' : 'The topic was read by the built-in lexicon analyser.',
    );
    return { plan, analysis, analyser };
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
      // The job finished between the two reads (the row is the record of truth once final), or its
      // worker died and BullMQ failed it without the row being updated: then the job's answer stands.
      const fresh = await this.owned(user, id);
      if (fresh.state !== 'completed' && fresh.state !== 'failed' && live) return live;
      return this.statusFromRow(fresh);
    }
    return this.statusFromRow(row);
  }

  private statusFromRow(row: MusicGenerationRow): MusicGenerationStatusDto {
    const base: JobStatusDto<MusicGenerationResultDto> = {
      id: row.id,
      queue: QUEUES.musicGeneration,
      state: row.state,
      progress: row.state === 'completed' ? { percent: 100, stage: 'done' } : { percent: 0, stage: row.state },
      createdAt: row.createdAt.toISOString(),
      ...(row.finishedAt ? { finishedAt: row.finishedAt.toISOString() } : {}),
    };
    if (row.state === 'completed' && row.result) base.result = this.resultDto(row.id, row.seed, row.fromCache, row.result as unknown as StoredResult);
    if (row.state === 'failed') base.error = row.error ?? 'The generation failed.';
    return base;
  }

  private resultDto(id: string, seed: number, fromCache: boolean, stored: StoredResult): MusicGenerationResultDto {
    const base = `/api/music/generation/${id}`;
    const formats = (['mp3', 'wav'] as const).filter((f) => stored.files.includes(f));
    const hasMidi = stored.files.includes('midi');
    return {
      generationId: id,
      provider: stored.provider,
      ...(stored.analyser ? { analyser: stored.analyser } : {}),
      emotion: stored.emotion,
      valence: stored.valence,
      arousal: stored.arousal,
      key: stored.key,
      mode: stored.mode,
      tempo: stored.tempo,
      durationSec: stored.durationSec,
      seed,
      explanation: stored.explanation,
      fromCache,
      formats,
      hasMidi,
      mastering: stored.mastering,
      audioUrl: `${base}/audio?format=${formats[0] ?? 'mp3'}`,
      ...(hasMidi ? { midiUrl: `${base}/midi`, notesUrl: `${base}/notes` } : {}),
      planUrl: `${base}/plan`,
    };
  }

  /** A stored file of the user's completed generation, for the controller to stream (with Range support). */
  async file(user: AuthUser, id: string, kind: MusicFileKind): Promise<{ path: string; size: number; contentType: string; filename: string }> {
    const row = await this.owned(user, id);
    if (row.state !== 'completed') throw new ProblemException(HttpStatus.CONFLICT, `Generation ${id} is ${row.state}; its files exist once it has completed.`);
    const located = await this.storage.locate(row.cacheKey, kind);
    if (!located)
      throw new NotFoundException(`Generation ${id} has no ${kind} file (the ${String(row.result?.provider ?? 'provider')} provider does not produce one).`);
    const extension = MUSIC_FILES[kind].name.split('.').pop();
    return { ...located, contentType: MUSIC_FILES[kind].contentType, filename: `xiaoyu-${id.slice(0, 8)}.${extension}` };
  }

  audio(user: AuthUser, id: string, format: AudioFormat = 'mp3') {
    return this.file(user, id, format);
  }

  async plan(user: AuthUser, id: string): Promise<MusicPlanDocumentDto> {
    return this.readJson<MusicPlanDocumentDto>(user, id, 'plan');
  }

  async notes(user: AuthUser, id: string): Promise<MusicNotesDto> {
    return this.readJson<MusicNotesDto>(user, id, 'notes');
  }

  private async readJson<T>(user: AuthUser, id: string, kind: 'plan' | 'notes'): Promise<T> {
    const { path } = await this.file(user, id, kind);
    const { readFile } = await import('node:fs/promises');
    return JSON.parse(await readFile(path, 'utf8')) as T;
  }

  async history(user: AuthUser, page = 1, pageSize = 20): Promise<MusicHistoryPageDto> {
    const { rows, total } = await this.repository.listByUser(user.id, (page - 1) * pageSize, pageSize);
    return { items: rows.map((row) => this.summary(row)), total, page, pageSize };
  }

  private summary(row: MusicGenerationRow): MusicGenerationSummaryDto {
    const status = this.statusFromRow(row);
    return {
      id: row.id,
      kind: row.kind,
      state: row.state,
      label: labelOf(row.request as NormalisedRequest),
      request: row.request,
      seed: row.seed,
      fromCache: row.fromCache,
      ...(status.result ? { result: status.result } : {}),
      ...(status.error ? { error: status.error } : {}),
      createdAt: row.createdAt.toISOString(),
      ...(row.finishedAt ? { finishedAt: row.finishedAt.toISOString() } : {}),
    };
  }

  /** Deletes the user's generation; its files go when no other generation shares them. */
  async remove(user: AuthUser, id: string): Promise<void> {
    const deleted = await this.repository.delete(id, user.id);
    if (!deleted) throw new NotFoundException(`No music generation ${id}.`);
    if (deleted.remaining === 0) await this.storage.remove(deleted.cacheKey);
    try {
      const job = await this.jobs.queue(QUEUES.musicGeneration).getJob(id);
      if (job && !(await job.isActive())) await job.remove();
    } catch {
      // The queue may be unreachable; the row is gone, which is what the user sees.
    }
  }

  private async owned(user: AuthUser, id: string): Promise<MusicGenerationRow> {
    const row = await this.repository.findOwned(id, user.id);
    if (!row) throw new NotFoundException(`No music generation ${id}.`);
    return row;
  }
}

function statusUrlOf(id: string): string {
  return `/api/music/generation/${id}/status`;
}

/** sha256 of the normalised request (keys sorted), the seed and the pipeline version. */
export function cacheKeyOf(request: NormalisedRequest, seed: number): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(request).sort(([a], [b]) => a.localeCompare(b))));
  return createHash('sha256').update(`${MUSIC_PIPELINE_VERSION}\n${canonical}\n${seed}`).digest('hex');
}

function labelOf(request: NormalisedRequest): string {
  if (request.kind === 'topic') return `"${request.topic.length > 40 ? `${request.topic.slice(0, 39)}…` : request.topic}" · ${request.durationSec} s`;
  const what = request.emotion ?? `valence ${request.valence}, arousal ${request.arousal}`;
  return `${what} · ${request.durationSec} s`;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
