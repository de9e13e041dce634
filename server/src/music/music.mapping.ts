/** Pure mapping from stored generations to the API's answers (URLs are derived per row, never stored). */
import type { JobAcceptedDto } from '../core/jobs/dto/job.dto';
import { eventsUrlOf } from '../core/jobs/jobs.service';
import { QUEUES } from '../core/jobs/queues';
import type { MusicGenerationResultDto, MusicGenerationStatusDto, MusicGenerationSummaryDto, TopicAnalyser } from './dto/music-generation.dto';
import { labelOf, type NormalisedRequest } from './music-request';
import type { MusicGenerationRow } from './music.repository';
import type { MusicFileKind } from './music.storage';

/** What a row's `result` column holds. */
export interface StoredResult {
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

export function storedResultOf(row: MusicGenerationRow): StoredResult | undefined {
  return row.result ? (row.result as unknown as StoredResult) : undefined;
}

export function statusUrlOf(id: string): string {
  return `/api/music/generation/${id}/status`;
}

/** The answer to a submission (202 when queued, 200 with `completed` from the cache, which has no job to follow). */
export function acceptedOf(id: string, state: JobAcceptedDto['state']): JobAcceptedDto {
  return {
    id,
    queue: QUEUES.musicGeneration,
    state,
    statusUrl: statusUrlOf(id),
    ...(state === 'completed' ? {} : { eventsUrl: eventsUrlOf(QUEUES.musicGeneration, id) }),
  };
}

/** The job-status shape from the row alone (the record of truth once the generation is final). */
export function statusFromRow(row: MusicGenerationRow): MusicGenerationStatusDto {
  const stored = storedResultOf(row);
  const running = row.state === 'queued' || row.state === 'active';
  return {
    id: row.id,
    queue: QUEUES.musicGeneration,
    state: row.state,
    progress: row.state === 'completed' ? { percent: 100, stage: 'done' } : { percent: 0, stage: row.state },
    ...(running ? { eventsUrl: eventsUrlOf(QUEUES.musicGeneration, row.id) } : {}),
    ...(row.state === 'completed' && stored ? { result: resultOf(row.id, row.seed, row.fromCache, stored) } : {}),
    ...(row.state === 'failed' ? { error: row.error ?? 'The generation failed.' } : {}),
    createdAt: row.createdAt.toISOString(),
    ...(row.finishedAt ? { finishedAt: row.finishedAt.toISOString() } : {}),
  };
}

/** A completed generation's result with the URLs of its files. */
export function resultOf(id: string, seed: number, fromCache: boolean, stored: StoredResult): MusicGenerationResultDto {
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

/** One history entry. */
export function summaryOf(row: MusicGenerationRow): MusicGenerationSummaryDto {
  const status = statusFromRow(row);
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    label: labelOf(row.request as NormalisedRequest),
    request: row.request,
    seed: row.seed,
    fromCache: row.fromCache,
    ...(status.eventsUrl ? { eventsUrl: status.eventsUrl } : {}),
    ...(status.result ? { result: status.result } : {}),
    ...(status.error ? { error: status.error } : {}),
    createdAt: row.createdAt.toISOString(),
    ...(row.finishedAt ? { finishedAt: row.finishedAt.toISOString() } : {}),
  };
}
