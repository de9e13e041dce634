import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { loadConfig } from '../core/config/app-config';
import type { HealthRegistry } from '../core/health/health.registry';
import type { JobsService } from '../core/jobs/jobs.service';
import type { MetricsService } from '../core/metrics/metrics.service';
import { compose } from './engine';
import type { MusicAudioRenderer } from './music-audio.renderer';
import type { MusicTopicAnalyser } from './music-topic.analyser';
import type { MusicRepository } from './music.repository';
import { cacheKeyOf, MusicGenerationService, type MusicJobData } from './music.service';
import { MusicStorage } from './music.storage';
import type { GeneratedMusic, MusicProvider, MusicProviderRequest } from './providers/music-provider';

const mastering = { inputLufs: -30, outputLufs: -16, gainDb: 14, limiterMaxReductionDb: 0, truePeakDb: -1.5, samplePeakDb: -1.6 };

function provider(name: string, configured: boolean, behaviour: (r: MusicProviderRequest) => Promise<GeneratedMusic>): MusicProvider & { calls: number } {
  const p = { name, calls: 0, isConfigured: () => configured, generate: (r: MusicProviderRequest) => (p.calls++, behaviour(r)) };
  return p;
}

describe('MusicGenerationService.runJob (provider fallback chain)', () => {
  let dataDir: string;
  let completed: Record<string, unknown> | undefined;
  let failed: string | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'music-service-'));
    completed = undefined;
    failed = undefined;
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  function service(providers: MusicProvider[]) {
    const config = loadConfig({ DATA_DIR: dataDir });
    const repository = {
      markActive: async () => true,
      complete: async (_id: string, result: Record<string, unknown>) => ((completed = result), true),
      countByCacheKey: async () => 0,
      fail: async (_id: string, error: string) => void (failed = error),
    } as unknown as MusicRepository;
    const analyser = {
      analyse: async () => ({ analysis: { valence: 0.6, arousal: 0.4, emotion: 'happy', keywords: ['sun'] }, analyser: 'built-in' }),
    } as unknown as MusicTopicAnalyser;
    return new MusicGenerationService(
      config,
      {} as JobsService,
      repository,
      new MusicStorage(config),
      analyser,
      { soundFontPath: '/nowhere' } as MusicAudioRenderer,
      { register: () => undefined } as unknown as HealthRegistry,
      providers,
      { registry: new Registry() } as MetricsService,
    );
  }

  const builtIn = () =>
    provider('built-in', true, async (r) => {
      r.onStage('composing');
      r.onStage('rendering');
      const composition = compose(r.plan, r.seed);
      return {
        wav: new Uint8Array([1, 2, 3]),
        mp3: new Uint8Array([4, 5]),
        mastering,
        durationSec: composition.durationSec,
        midi: new Uint8Array([6]),
        composition,
      };
    });

  const data = (request: MusicJobData['request']): MusicJobData => ({ userId: 'u1', request, seed: 3, cacheKey: cacheKeyOf(request, 3) });

  it('skips unconfigured providers, falls back past a failing one, and records who produced the piece', async () => {
    const neural = provider('neural', true, () => Promise.reject(new Error('neural timed out after 60000 ms')));
    const api = provider('music-api', false, () => Promise.reject(new Error('never')));
    const stages: string[] = [];
    const job = data({ kind: 'emotion', emotion: 'sad', durationSec: 20 });
    const result = await service([neural, api, builtIn()]).runJob('job-1', job, (p) => void stages.push(p.stage));

    expect(result).toMatchObject({ generationId: 'job-1', provider: 'built-in', emotion: 'sad', hasMidi: true, formats: ['mp3', 'wav'] });
    expect(api.calls).toBe(0);
    expect(completed).toMatchObject({ provider: 'built-in', files: expect.arrayContaining(['wav', 'mp3', 'midi', 'plan', 'notes']) });
    expect(stages).toEqual(['planning', 'composing', 'rendering', 'storing']);
    const folder = join(dataDir, 'music', job.cacheKey.slice(0, 2), job.cacheKey);
    const plan = JSON.parse(readFileSync(join(folder, 'plan.json'), 'utf8'));
    expect(plan.attempts).toEqual([
      { provider: 'neural', outcome: 'failed', reason: 'neural timed out after 60000 ms' },
      { provider: 'music-api', outcome: 'skipped', reason: 'not configured' },
      { provider: 'built-in', outcome: 'ok' },
    ]);
    expect(plan.provider).toBe('built-in');
  });

  it('uses an external provider when it succeeds (no MIDI, no notes)', async () => {
    const neural = provider('neural', true, async () => ({ wav: new Uint8Array([1]), mp3: new Uint8Array([2]), mastering, durationSec: 20 }));
    const local = builtIn();
    const result = await service([neural, local]).runJob('job-2', data({ kind: 'emotion', valence: 0.2, arousal: -0.4, durationSec: 20 }), () => undefined);
    expect(result).toMatchObject({ provider: 'neural', hasMidi: false });
    expect(result.midiUrl).toBeUndefined();
    expect(local.calls).toBe(0);
  });

  it('records the topic analyser in the plan', async () => {
    const job = data({ kind: 'topic', topic: 'sunny beach', durationSec: 15 });
    const result = await service([builtIn()]).runJob('job-3', job, () => undefined);
    expect(result.analyser).toBe('built-in');
    const plan = JSON.parse(readFileSync(join(dataDir, 'music', job.cacheKey.slice(0, 2), job.cacheKey, 'plan.json'), 'utf8'));
    expect(plan).toMatchObject({ analyser: 'built-in', analysis: { keywords: ['sun'] } });
  });

  it('fails the generation when every provider fails', async () => {
    const broken = provider('built-in', true, () => Promise.reject(new Error('render worker failed')));
    await expect(service([broken]).runJob('job-4', data({ kind: 'emotion', emotion: 'calm', durationSec: 10 }), () => undefined)).rejects.toThrow(
      /every music provider failed/,
    );
    expect(failed).toMatch(/built-in: render worker failed/);
  });
});

describe('cacheKeyOf', () => {
  it('ignores key order and depends on the seed', () => {
    const a = cacheKeyOf({ kind: 'emotion', emotion: 'happy', durationSec: 30 }, 1);
    const b = cacheKeyOf({ durationSec: 30, emotion: 'happy', kind: 'emotion' } as never, 1);
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKeyOf({ kind: 'emotion', emotion: 'happy', durationSec: 30 }, 2)).not.toBe(a);
  });
});
