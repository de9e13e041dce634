import { Global, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsString } from 'class-validator';
import { Registry } from 'prom-client';
import { loadConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { MetricsService } from '../metrics/metrics.service';
import { LanguageModelModule } from './language-model.module';
import { LanguageModelService } from './language-model.service';
import { chatReply, FakeChatServer } from '../../../test/support/fake-chat-server';

class Answer {
  @IsString() text!: string;
}

const registry = new Registry();

@Global()
@Module({ providers: [{ provide: MetricsService, useValue: { registry } }], exports: [MetricsService] })
class FakeMetricsModule {}

async function serviceFrom(env: NodeJS.ProcessEnv, withMetrics = false): Promise<LanguageModelService> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(loadConfig(env)), ...(withMetrics ? [FakeMetricsModule] : []), LanguageModelModule],
  }).compile();
  return moduleRef.get(LanguageModelService);
}

describe('LanguageModelModule', () => {
  let server: FakeChatServer;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    server = await FakeChatServer.start();
  });
  afterAll(() => server.close());

  it('is not configured when neither OPENAI_BASE_URL nor OPENAI_API_KEY is set', async () => {
    const service = await serviceFrom({});

    expect(service.describe()).toEqual({ configured: false, model: null, baseUrl: null });
  });

  it('reads OPENAI_* from AppConfig and counts calls in the metrics registry', async () => {
    server.enqueue(chatReply.json({ text: 'hello' }));
    const service = await serviceFrom({ OPENAI_BASE_URL: server.baseUrl, OPENAI_MODEL: 'llama3.2', OPENAI_MAX_RETRIES: '0' }, true);

    expect(service.describe()).toEqual({ configured: true, model: 'llama3.2', baseUrl: server.baseUrl });
    await expect(service.completeJson([{ role: 'user', content: 'hi' }], Answer)).resolves.toEqual({ text: 'hello' });
    expect(server.requests[0].body.model).toBe('llama3.2');
    expect(await registry.metrics()).toContain('llm_calls_total{outcome="ok"} 1');
  });
});
