import { HttpStatus } from '@nestjs/common';
import { fakeEngines, FAKE_FACE, FAKE_VOICE, InMemoryVoiceBaselines, UNDECODABLE, type FakeEngines } from '../../test/support/fake-multimodal-engines';
import { loadConfig } from '../core/config/app-config';
import { ProblemException, ServiceUnavailableProblem } from '../core/errors/problem';
import { HealthRegistry } from '../core/health/health.registry';
import { MultimodalAnalysisService } from './multimodal-analysis.service';
import { MultimodalEngines, type MultimodalEngineLoaders } from './multimodal-engines';
import type { VoiceBaselinesRepository } from './voice-baselines.repository';

const image = { bytes: new Uint8Array([1, 2, 3]), type: 'png' as const, width: 1, height: 1 };
const audio = { bytes: new Uint8Array([4, 5, 6]), durationSec: 1 };

function setUp(loaders?: MultimodalEngineLoaders) {
  const fakes: FakeEngines = fakeEngines();
  const health = new HealthRegistry();
  const engines = new MultimodalEngines(loaders ?? fakes.loaders, loadConfig({ NODE_ENV: 'test' }), health);
  engines.onModuleInit();
  const baselines = new InMemoryVoiceBaselines();
  return { fakes, engines, health, baselines, service: new MultimodalAnalysisService(engines, baselines as unknown as VoiceBaselinesRepository) };
}

describe('MultimodalAnalysisService', () => {
  it('runs only the recognisers of the modalities given and fuses what they found', async () => {
    const { fakes, service } = setUp();
    const result = await service.analyze({ text: 'I am so happy today' });
    expect(Object.keys(result).sort()).toEqual(['fused', 'text']);
    expect(result.text).toMatchObject({ emotion: 'happy', language: 'en' });
    expect(result.fused.weights).toEqual({ text: 1 });
    expect(fakes.face.calls + fakes.voice.calls).toBe(0);
  });

  it('fuses face, voice and text, and keeps each modality beside the fusion', async () => {
    const { service } = setUp();
    const result = await service.analyze({ image, audio, text: 'sad day' });
    expect(result.face).toEqual(FAKE_FACE);
    expect(result.voice).toEqual(FAKE_VOICE);
    expect(Object.keys(result.fused.weights).sort()).toEqual(['face', 'text', 'voice']);
    expect(result.fused.disagreement).toBeGreaterThan(0.5);
  });

  it('loads each model once and reuses it', async () => {
    const { fakes, service } = setUp();
    await Promise.all([service.analyze({ text: 'a' }), service.analyze({ text: 'b', image }), service.analyze({ text: 'c', image })]);
    expect(fakes.loads).toEqual({ face: 1, voice: 0, text: 1, fusion: 1, storyteller: 0 });
    expect(fakes.text.calls).toBe(3);
  });

  it("reads each user's voice against that user's own stored baseline, and anonymous calls against none", async () => {
    const { fakes, service, baselines } = setUp();
    await service.analyze({ audio }, 'user-a');
    await service.analyze({ audio }, 'user-b');
    await service.analyze({ audio }, 'user-a');
    await service.analyze({ audio });
    const [a1, b, a2, anonymous] = fakes.voice.speakers;
    expect([a1?.count, b?.count, a2?.count]).toEqual([1, 1, 2]); // the second of user-a's picked up the first
    expect(anonymous).toBeUndefined();
    expect(baselines.stored.get('user-a')).toEqual({ recordings: 2, mean: [3] });
    expect(baselines.stored.get('user-b')?.recordings).toBe(1);

    await service.analyze({ audio }, 'user-a', { learnVoice: false });
    expect(fakes.voice.speakers[4]?.count).toBe(2); // read against the two it heard, itself not counted again
    expect(baselines.stored.get('user-a')?.recordings).toBe(2);

    await service.analyze({ audio: { ...audio, bytes: UNDECODABLE } }, 'user-b').catch(() => undefined);
    expect(baselines.stored.get('user-b')?.recordings).toBe(1);

    await service.forgetVoice('user-a');
    await service.analyze({ audio }, 'user-a');
    expect(baselines.stored.get('user-a')?.recordings).toBe(1);
  });

  it('answers 400 naming the field when a recogniser cannot decode its input', async () => {
    const { service } = setUp();
    const asProblem = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error as ProblemException,
      );
    const face = await asProblem(service.analyze({ image: { ...image, bytes: UNDECODABLE } }));
    expect(face?.getStatus()).toBe(HttpStatus.BAD_REQUEST);
    expect(face?.problem.errors).toEqual([{ field: 'image', message: 'image cannot be decoded: the pixels cannot be decoded' }]);
    const voice = await asProblem(service.analyze({ audio: { ...audio, bytes: UNDECODABLE } }));
    expect(voice?.problem.errors).toEqual([{ field: 'audio', message: 'audio cannot be decoded: unsupported sample format' }]);
  });

  it('answers 503 while a model cannot be loaded, reports it in health, and loads it again on the next request', async () => {
    const working = fakeEngines();
    let attempts = 0;
    const { service, health } = setUp({
      ...working.loaders,
      text: () => (++attempts === 1 ? Promise.reject(new Error('weights file missing')) : working.loaders.text()),
    });
    await expect(service.analyze({ text: 'happy' })).rejects.toBeInstanceOf(ServiceUnavailableProblem);
    const check = health.entries().find(([name]) => name === 'multimodal-models')![1];
    expect(await check()).toMatchObject({ up: false, details: { failed: { text: 'weights file missing' } } });
    await expect(service.analyze({ text: 'happy' })).resolves.toMatchObject({ text: { emotion: 'happy' } });
    expect((await check()).up).toBe(true);
  });
});
