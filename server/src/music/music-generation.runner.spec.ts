import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { loadConfig } from '../core/config/app-config';
import type { JobProgressDto } from '../core/jobs/dto/job.dto';
import { JobProgressReporter, type ProgressTarget } from '../core/jobs/job-processor';
import type { MetricsService } from '../core/metrics/metrics.service';
import type { MusicPlanDocumentDto } from './dto/music-generation.dto';
import { compose } from './engine';
import { MusicGenerationRunner } from './music-generation.runner';
import { cacheKeyOf, type MusicJobData } from './music-request';
import type { MusicTopicAnalyser } from './music-topic.analyser';
import { MusicMetrics } from './music.metrics';
import type { MusicRepository } from './music.repository';
import { MusicStorage } from './music.storage';
import type { GeneratedMusic, MusicProvider, MusicProviderRequest } from './providers/music-provider';

const mastering = { inputLufs: -30, outputLufs: -16, gainDb: 14, limiterMaxReductionDb: 0, truePeakDb: -1.5, samplePeakDb: -1.6 };

function provider(name: string, configured: boolean, behaviour: (r: MusicProviderRequest) => Promise<GeneratedMusic>): MusicProvider & { calls: number } {
  const p = { name, calls: 0, isConfigured: () => configured, generate: (r: MusicProviderRequest) => (p.calls++, behaviour(r)) };
  return p;
}

/** A job whose progress lands in `stages` (or whose writes fail with `failWith`). */
function progressOf(stages: string[], failWith?: Error): JobProgressReporter {
  const job: ProgressTarget = {
    id: 'job',
    queueName: 'music-generation',
    updateProgress: (progress: JobProgressDto) => {
      if (failWith) return Promise.reject(failWith);
      stages.push(progress.stage);
      return Promise.resolve();
    },
  };
  return new JobProgressReporter(job, new Logger('test'));
}

describe('MusicGenerationRunner (provider fallback chain)', () => {
  let dataDir: string;
  let completed: Record<string, unknown> | undefined;
  let failed: string | undefined;
  let completeError: Error | undefined;
  let rowExists: boolean;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'music-runner-'));
    completed = undefined;
    failed = undefined;
    completeError = undefined;
    rowExists = true;
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  function runner(providers: MusicProvider[]) {
    const config = loadConfig({ DATA_DIR: dataDir });
    const repository = {
      markActive: () => Promise.resolve(rowExists),
      complete: (_id: string, result: Record<string, unknown>) =>
        completeError ? Promise.reject(completeError) : ((completed = result), Promise.resolve(true)),
      countByCacheKey: () => Promise.resolve(0),
      fail: (_id: string, error: string) => ((failed = error), Promise.resolve()),
    } as unknown as MusicRepository;
    const analyser = {
      analyse: () => Promise.resolve({ analysis: { valence: 0.6, arousal: 0.4, emotion: 'happy', keywords: ['sun'] }, analyser: 'built-in' }),
    } as unknown as MusicTopicAnalyser;
    const metrics = new MusicMetrics({ registry: new Registry() } as MetricsService);
    return new MusicGenerationRunner(repository, new MusicStorage(config), analyser, providers, metrics);
  }

  const builtIn = () =>
    provider('built-in', true, (r) => {
      r.onStage('composing');
      r.onStage('rendering');
      const composition = compose(r.plan, r.seed);
      return Promise.resolve({
        wav: new Uint8Array([1, 2, 3]),
        mp3: new Uint8Array([4, 5]),
        mastering,
        durationSec: composition.durationSec,
        midi: new Uint8Array([6]),
        composition,
      });
    });

  const data = (request: MusicJobData['request']): MusicJobData => ({ userId: 'u1', request, seed: 3, cacheKey: cacheKeyOf(request, 3) });
  const readPlan = (job: MusicJobData) =>
    JSON.parse(readFileSync(join(dataDir, 'music', job.cacheKey.slice(0, 2), job.cacheKey, 'plan.json'), 'utf8')) as MusicPlanDocumentDto;

  it('skips unconfigured providers, falls back past a failing one, and records who produced the piece', async () => {
    const neural = provider('neural', true, () => Promise.reject(new Error('neural timed out after 60000 ms')));
    const api = provider('music-api', false, () => Promise.reject(new Error('never')));
    const stages: string[] = [];
    const job = data({ kind: 'emotion', emotion: 'sad', durationSec: 20 });
    const progress = progressOf(stages);
    const result = await runner([neural, api, builtIn()]).run({ id: 'job-1', data: job, progress, willRetry: () => false });
    await progress.settled();

    expect(result).toMatchObject({ generationId: 'job-1', provider: 'built-in', emotion: 'sad', hasMidi: true, formats: ['mp3', 'wav'] });
    expect(api.calls).toBe(0);
    expect(completed).toMatchObject({ provider: 'built-in', files: expect.arrayContaining(['wav', 'mp3', 'midi', 'plan', 'notes']) as unknown });
    expect(stages).toEqual(['planning', 'composing', 'rendering', 'storing']);
    const plan = readPlan(job);
    expect(plan.attempts).toEqual([
      { provider: 'neural', outcome: 'failed', reason: 'neural timed out after 60000 ms' },
      { provider: 'music-api', outcome: 'skipped', reason: 'not configured' },
      { provider: 'built-in', outcome: 'ok' },
    ]);
    expect(plan.provider).toBe('built-in');
  });

  it('completes the generation when every progress update fails', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const progress = progressOf([], new Error('Missing key for job job. updateProgress'));
    const result = await runner([builtIn()]).run({
      id: 'job-5',
      data: data({ kind: 'emotion', emotion: 'calm', durationSec: 10 }),
      progress,
      willRetry: () => false,
    });
    await progress.settled();
    expect(result).toMatchObject({ generationId: 'job-5', provider: 'built-in' });
    expect(completed).toMatchObject({ provider: 'built-in' });
    expect(failed).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(4);
    warn.mockRestore();
  });

  it('uses an external provider when it succeeds (no MIDI, no notes)', async () => {
    const neural = provider('neural', true, () => Promise.resolve({ wav: new Uint8Array([1]), mp3: new Uint8Array([2]), mastering, durationSec: 20 }));
    const local = builtIn();
    const job = data({ kind: 'emotion', valence: 0.2, arousal: -0.4, durationSec: 20 });
    const result = await runner([neural, local]).run({ id: 'job-2', data: job, progress: progressOf([]), willRetry: () => false });
    expect(result).toMatchObject({ provider: 'neural', hasMidi: false });
    expect(result.midiUrl).toBeUndefined();
    expect(local.calls).toBe(0);
  });

  it('records the topic analyser in the plan', async () => {
    const job = data({ kind: 'topic', topic: 'sunny beach', durationSec: 15 });
    const result = await runner([builtIn()]).run({ id: 'job-3', data: job, progress: progressOf([]), willRetry: () => false });
    expect(result.analyser).toBe('built-in');
    expect(readPlan(job)).toMatchObject({ analyser: 'built-in', analysis: { keywords: ['sun'] } });
  });

  it('fails the generation when every provider fails', async () => {
    const broken = provider('built-in', true, () => Promise.reject(new Error('render worker failed')));
    const job = data({ kind: 'emotion', emotion: 'calm', durationSec: 10 });
    await expect(runner([broken]).run({ id: 'job-4', data: job, progress: progressOf([]), willRetry: () => false })).rejects.toThrow(
      /every music provider failed/,
    );
    expect(failed).toMatch(/built-in: render worker failed/);
  });

  it('leaves the row active for the retry when the database connection drops, and fails it on the last attempt', async () => {
    completeError = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const job = data({ kind: 'emotion', emotion: 'calm', durationSec: 10 });
    await expect(runner([builtIn()]).run({ id: 'job-6', data: job, progress: progressOf([]), willRetry: () => true })).rejects.toThrow(/administrator/);
    expect(failed).toBeUndefined();
    await expect(runner([builtIn()]).run({ id: 'job-6', data: job, progress: progressOf([]), willRetry: () => false })).rejects.toThrow(/administrator/);
    expect(failed).toMatch(/administrator command/);
  });

  it('does no work for a generation deleted before its job started', async () => {
    rowExists = false;
    const local = builtIn();
    const job = data({ kind: 'emotion', emotion: 'calm', durationSec: 10 });
    await expect(runner([local]).run({ id: 'job-6', data: job, progress: progressOf([]), willRetry: () => false })).rejects.toThrow(
      /deleted before it started/,
    );
    expect(local.calls).toBe(0);
  });
});
