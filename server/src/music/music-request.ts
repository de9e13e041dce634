import { createHash } from 'node:crypto';
import type { OwnedJobData } from '../core/jobs/jobs.service';
import type { GenerateFromEmotionDto } from './dto/generate-emotion.dto';
import type { GenerateFromTopicDto } from './dto/generate-topic.dto';
import { EMOTION_TABLE, planFromEmotion, resolveEmotionLabel, type EmotionName, type MusicPlan } from './engine';
import { shorten } from '../core/text/shorten';

/** Bump when the composer or renderer changes output, so cached results are not reused across versions. */
export const MUSIC_PIPELINE_VERSION = 'music-v3';

/** A request reduced to what determines the piece (with the seed, it makes the cache key). */
export type NormalisedRequest = EmotionRequest | TopicRequest;
export type EmotionRequest = {
  kind: 'emotion';
  emotion?: EmotionName;
  valence?: number;
  arousal?: number;
  durationSec: number;
  tempo?: number;
  instruments?: number[];
};
export type TopicRequest = { kind: 'topic'; topic: string; durationSec: number };

/** The music-generation job's data; the job id is the generation's id. */
export interface MusicJobData extends OwnedJobData {
  request: NormalisedRequest;
  seed: number;
  cacheKey: string;
}

/** A named emotion (English or Chinese, synonyms resolved) or a rounded valence/arousal point. */
export function normaliseEmotionRequest(dto: GenerateFromEmotionDto): EmotionRequest {
  const emotion = dto.emotion !== undefined ? resolveEmotionLabel(dto.emotion) : undefined;
  return {
    kind: 'emotion',
    ...(emotion ? { emotion } : { valence: round(dto.valence ?? 0, 3), arousal: round(dto.arousal ?? 0, 3) }),
    durationSec: round(dto.durationSec, 1),
    ...(dto.tempo !== undefined ? { tempo: dto.tempo } : {}),
    ...(dto.instruments?.length ? { instruments: dto.instruments } : {}),
  };
}

/** The topic with its whitespace collapsed, so the same words hit the same cache entry. */
export function normaliseTopicRequest(dto: GenerateFromTopicDto): TopicRequest {
  return { kind: 'topic', topic: dto.topic.trim().replace(/\s+/g, ' '), durationSec: round(dto.durationSec, 1) };
}

/** The plan of an emotion request; throws RangeError when the inputs do not combine (e.g. a bad instrument). */
export function planForEmotion(request: EmotionRequest): MusicPlan {
  // A named emotion is planned at its anchor on the valence/arousal plane (the planner blends by position).
  const anchor = request.emotion ? EMOTION_TABLE.find((a) => a.emotion === request.emotion) : undefined;
  const target = anchor
    ? { valence: anchor.valence, arousal: anchor.arousal, label: anchor.emotion }
    : { valence: request.valence ?? 0, arousal: request.arousal ?? 0 };
  return planFromEmotion(target, request.durationSec, { tempo: request.tempo, instruments: request.instruments });
}

/** sha256 of the normalised request (keys sorted), the seed and the pipeline version. */
export function cacheKeyOf(request: NormalisedRequest, seed: number): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries(request).sort(([a], [b]) => a.localeCompare(b))));
  return createHash('sha256').update(`${MUSIC_PIPELINE_VERSION}\n${canonical}\n${seed}`).digest('hex');
}

/** A short human label of a request: `happy · 30 s`, `"a rainy night" · 45 s`. */
export function labelOf(request: NormalisedRequest): string {
  if (request.kind === 'topic') return `"${shorten(request.topic, 40)}" · ${request.durationSec} s`;
  const what = request.emotion ?? `valence ${request.valence}, arousal ${request.arousal}`;
  return `${what} · ${request.durationSec} s`;
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
