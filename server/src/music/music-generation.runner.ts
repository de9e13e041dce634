import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JobContext } from '../core/jobs/job-processor';
import type { MusicGenerationResultDto, MusicNotesDto, MusicPlanDocumentDto, ProviderAttemptDto, TopicAnalyser } from './dto/music-generation.dto';
import { planFromTopic, type MusicPlan, type TopicAnalysis } from './engine';
import { MusicTopicAnalyser } from './music-topic.analyser';
import { planForEmotion, round, type MusicJobData, type NormalisedRequest } from './music-request';
import { resultOf, type StoredResult } from './music.mapping';
import { MusicMetrics } from './music.metrics';
import { MusicRepository } from './music.repository';
import { MusicStorage } from './music.storage';
import { describePlanAsPrompt, MUSIC_PROVIDERS, type GeneratedMusic, type MusicProvider } from './providers/music-provider';

/** Progress reported for each stage (percent when the stage starts). */
export const MUSIC_STAGES = { planning: 5, composing: 20, rendering: 40, encoding: 80, storing: 95 } as const;
export type MusicStage = keyof typeof MUSIC_STAGES;

/**
 * Runs one generation job: plan (reading a topic first), the provider chain (external providers first,
 * unconfigured ones skipped, the built-in composer last), then the files and the row.
 */
@Injectable()
export class MusicGenerationRunner {
  private readonly logger = new Logger(MusicGenerationRunner.name);

  constructor(
    private readonly repository: MusicRepository,
    private readonly storage: MusicStorage,
    private readonly analyser: MusicTopicAnalyser,
    @Inject(MUSIC_PROVIDERS) private readonly providers: MusicProvider[],
    private readonly metrics: MusicMetrics,
  ) {}

  async run({ id, data, progress, willRetry }: JobContext<MusicJobData>): Promise<MusicGenerationResultDto> {
    const started = performance.now();
    const report = (stage: MusicStage) => progress.report({ percent: MUSIC_STAGES[stage], stage });
    // The row is written before the job is queued, so a missing row means the generation was deleted first.
    if (!(await this.repository.markActive(id))) {
      const reason = `Music generation ${id} no longer exists; it was deleted before it started.`;
      this.logger.warn(reason);
      throw new Error(reason);
    }

    let provider = 'none';
    try {
      report('planning');
      const { plan, analysis, analyser } = await this.plan(data.request);
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
            onStage: report,
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

      report('storing');
      const stored = await this.store(data, { plan, analysis, analyser, provider, attempts, music });
      const kept = await this.repository.complete(id, stored as unknown as Record<string, unknown>);
      // Deleted while it ran: drop the files unless another generation shares them.
      if (!kept && (await this.repository.countByCacheKey(data.cacheKey)) === 0) await this.storage.remove(data.cacheKey);
      this.metrics.completed(provider, (performance.now() - started) / 1000);
      return resultOf(id, data.seed, false, stored);
    } catch (error) {
      // A lost connection is retried by the queue: the row stays active for the next attempt.
      if (willRetry(error)) throw error;
      await this.repository.fail(id, error instanceof Error ? error.message : String(error));
      this.metrics.failed(provider);
      throw error;
    }
  }

  private async plan(request: NormalisedRequest): Promise<{ plan: MusicPlan; analysis?: TopicAnalysis; analyser?: TopicAnalyser }> {
    if (request.kind === 'emotion') return { plan: planForEmotion(request) };
    const { analysis, analyser } = await this.analyser.analyse(request.topic);
    const plan = planFromTopic(analysis, request.durationSec);
    plan.explanation.unshift(
      analyser === 'language-model'
        ? 'The topic was read by the language model.'
        : 'The topic was read by the built-in text-affect model (the one the multimodal analysis uses).',
    );
    return { plan, analysis, analyser };
  }

  /** Writes the audio, MIDI, plan document and note list; returns what the row records. */
  private async store(
    data: MusicJobData,
    made: { plan: MusicPlan; analysis?: TopicAnalysis; analyser?: TopicAnalyser; provider: string; attempts: ProviderAttemptDto[]; music: GeneratedMusic },
  ): Promise<StoredResult> {
    const { plan, analysis, analyser, provider, attempts, music } = made;
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
    return {
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
  }
}
