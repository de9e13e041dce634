import { Logger } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, Min, ValidateNested } from 'class-validator';
import { LanguageModelError } from './language-model.error';
import type { LanguageModelOptions } from './language-model.options';
import { LanguageModelService } from './language-model.service';
import { chatReply, FakeChatServer } from '../../../test/support/fake-chat-server';

class SectionPlan {
  @IsString() name!: string;
  @IsInt() @Min(1) bars!: number;
}

class SongPlan {
  @ApiProperty({ description: 'the mood of the song' })
  @IsIn(['calm', 'joyful', 'sad'])
  mood!: 'calm' | 'joyful' | 'sad';

  @IsInt() @Min(40) @Max(220) tempo!: number;

  @ValidateNested({ each: true }) @Type(() => SectionPlan) sections!: SectionPlan[];
}

const VALID_PLAN = { mood: 'calm', tempo: 72, sections: [{ name: 'verse', bars: 8 }] };
const MESSAGES = [{ role: 'user' as const, content: 'Plan a song about rain at night' }];
const API_KEY = 'sk-test-do-not-leak-0123456789';

async function failureOf(promise: Promise<unknown>): Promise<LanguageModelError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(LanguageModelError);
    return error as LanguageModelError;
  }
  throw new Error('expected the call to fail');
}

describe('LanguageModelService against an OpenAI-compatible server', () => {
  let server: FakeChatServer;

  const serviceFor = (overrides: Partial<LanguageModelOptions> = {}) =>
    new LanguageModelService({
      baseUrl: server.baseUrl,
      model: 'test-model',
      timeoutMs: 5_000,
      maxRetries: 3,
      retryBaseDelayMs: 5,
      ...overrides,
    });

  beforeAll(async () => {
    Logger.overrideLogger(false);
    server = await FakeChatServer.start();
  });
  afterEach(() => server.reset());
  afterAll(() => server.close());

  it('returns a validated instance of the schema class from a valid JSON answer', async () => {
    server.enqueue(chatReply.json({ ...VALID_PLAN, extra: 'stripped by the whitelist' }));

    const plan = await serviceFor().completeJson(MESSAGES, SongPlan);

    expect(plan).toBeInstanceOf(SongPlan);
    expect(plan.sections[0]).toBeInstanceOf(SectionPlan);
    expect(plan).toEqual(Object.assign(new SongPlan(), { mood: 'calm', tempo: 72, sections: [Object.assign(new SectionPlan(), { name: 'verse', bars: 8 })] }));
    expect(plan).not.toHaveProperty('extra');
    expect(server.requests).toHaveLength(1);
  });

  it('asks for a JSON object and describes the expected fields in one system message', async () => {
    server.enqueue(chatReply.json(VALID_PLAN));

    await serviceFor().completeJson([{ role: 'system', content: 'You are a composer.' }, ...MESSAGES], SongPlan, { temperature: 0.3 });

    const { body } = server.requests[0];
    expect(body.model).toBe('test-model');
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.temperature).toBe(0.3);
    expect(body.messages?.filter((message) => message.role === 'system')).toHaveLength(1);
    const system = body.messages?.[0].content ?? '';
    expect(system).toMatch(/^You are a composer\./);
    expect(system).toContain('JSON object');
    expect(system).toContain('"mood": one of "calm", "joyful", "sad", required, the mood of the song');
    expect(system).toContain('"tempo": integer, required, >= 40, <= 220');
    expect(system).toContain('"bars": integer, required, >= 1');
    expect(body.messages?.[1]).toEqual(MESSAGES[0]);
  });

  it('accepts JSON wrapped in a ```json fence', async () => {
    server.enqueue(chatReply.text('Here you go:\n```json\n' + JSON.stringify(VALID_PLAN, null, 2) + '\n```'));

    await expect(serviceFor().completeJson(MESSAGES, SongPlan)).resolves.toMatchObject({ mood: 'calm', tempo: 72 });
    expect(server.requests).toHaveLength(1);
  });

  it('retries once with the validation errors fed back when the answer fails the schema', async () => {
    server.enqueue(chatReply.json({ mood: 'furious', tempo: 500, sections: [] }), chatReply.json(VALID_PLAN));

    const plan = await serviceFor().completeJson(MESSAGES, SongPlan);

    expect(plan.mood).toBe('calm');
    expect(server.requests).toHaveLength(2);
    const retry = server.requests[1].body.messages ?? [];
    expect(retry.at(-2)).toEqual({ role: 'assistant', content: JSON.stringify({ mood: 'furious', tempo: 500, sections: [] }) });
    expect(retry.at(-1)?.role).toBe('user');
    expect(retry.at(-1)?.content).toContain('mood: mood must be one of the following values: calm, joyful, sad');
    expect(retry.at(-1)?.content).toContain('tempo: tempo must not be greater than 220');
  });

  it("throws 'invalid_output' after two malformed answers", async () => {
    server.respondWith(chatReply.text('{"mood": "calm", "tempo": 72,'));

    const error = await failureOf(serviceFor().completeJson(MESSAGES, SongPlan));

    expect(error.reason).toBe('invalid_output');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].body.messages?.at(-1)?.content).toContain('not valid JSON');
  });

  it('waits out a 429 with Retry-After, then succeeds', async () => {
    server.enqueue(chatReply.rateLimited(1), chatReply.json(VALID_PLAN));

    await expect(serviceFor().completeJson(MESSAGES, SongPlan)).resolves.toBeInstanceOf(SongPlan);
    expect(server.requests).toHaveLength(2);
  });

  it("gives up with 'rate_limited' at once when Retry-After is longer than the longest wait", async () => {
    server.enqueue(chatReply.rateLimited(3600), chatReply.json(VALID_PLAN));

    const error = await failureOf(serviceFor({ retryMaxDelayMs: 2_000 }).completeJson(MESSAGES, SongPlan));

    expect(error.reason).toBe('rate_limited');
    expect(server.requests).toHaveLength(1);
  });

  it('retries 5xx answers with backoff, then succeeds', async () => {
    server.enqueue(chatReply.serverError(500), chatReply.serverError(502), chatReply.serverError(503), chatReply.json(VALID_PLAN));

    await expect(serviceFor({ maxRetries: 3 }).completeJson(MESSAGES, SongPlan)).resolves.toBeInstanceOf(SongPlan);
    expect(server.requests).toHaveLength(4);
  });

  it("throws 'upstream' when 5xx outlast the retries", async () => {
    server.respondWith(chatReply.serverError(500));

    const error = await failureOf(serviceFor({ maxRetries: 2 }).completeJson(MESSAGES, SongPlan));

    expect(error.reason).toBe('upstream');
    expect(server.requests).toHaveLength(3);
  });

  it("throws 'timeout' when the server hangs past the timeout, after retrying", async () => {
    server.respondWith(chatReply.hang());

    const error = await failureOf(serviceFor({ timeoutMs: 150, maxRetries: 1 }).completeJson(MESSAGES, SongPlan));

    expect(error.reason).toBe('timeout');
    expect(server.requests).toHaveLength(2);
  });

  it("throws 'timeout' when the server sends headers and then stalls", async () => {
    server.respondWith(chatReply.stallAfterHeaders());

    const error = await failureOf(serviceFor({ timeoutMs: 150, maxRetries: 0 }).completeJson(MESSAGES, SongPlan));

    expect(error.reason).toBe('timeout');
    expect(server.requests).toHaveLength(1);
  });

  it('lets the per-call timeoutMs override the configured one', async () => {
    server.respondWith(chatReply.hang());

    const error = await failureOf(serviceFor({ timeoutMs: 60_000, maxRetries: 0 }).completeJson(MESSAGES, SongPlan, { timeoutMs: 100 }));

    expect(error.reason).toBe('timeout');
    expect(server.requests).toHaveLength(1);
  });

  it("throws 'upstream' on 401 without retrying, and keeps the key out of the error", async () => {
    server.enqueue(chatReply.status(401, `Incorrect API key provided: ${API_KEY}`), chatReply.json(VALID_PLAN));

    const error = await failureOf(serviceFor({ apiKey: API_KEY }).completeJson(MESSAGES, SongPlan));

    expect(error.reason).toBe('upstream');
    expect(server.requests).toHaveLength(1);
    expect(`${error.message} ${String((error.cause as Error | undefined)?.message)}`).not.toContain(API_KEY);
  });

  it.each([400, 404, 408, 422])('does not retry HTTP %i', async (status) => {
    server.respondWith(chatReply.status(status));

    const error = await failureOf(serviceFor().completeJson(MESSAGES, SongPlan));

    expect(error.reason).toBe('upstream');
    expect(server.requests).toHaveLength(1);
  });

  it("throws 'upstream' after retrying when nothing listens at the base URL", async () => {
    const closed = await FakeChatServer.start();
    const deadUrl = closed.baseUrl;
    await closed.close();

    const error = await failureOf(serviceFor({ baseUrl: deadUrl, maxRetries: 1 }).completeJson(MESSAGES, SongPlan));

    expect(error.reason).toBe('upstream');
  });

  it("stops when the caller's signal aborts, with reason 'timeout'", async () => {
    server.respondWith(chatReply.hang());
    const controller = new AbortController();
    const call = serviceFor({ timeoutMs: 60_000 }).completeJson(MESSAGES, SongPlan, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);

    const error = await failureOf(call);

    expect(error.reason).toBe('timeout');
    expect(server.requests).toHaveLength(1);
  });

  it('sends the API key as a bearer token when one is set, and no Authorization header for a keyless local server', async () => {
    server.enqueue(chatReply.json(VALID_PLAN), chatReply.json(VALID_PLAN));

    await serviceFor({ apiKey: API_KEY }).completeJson(MESSAGES, SongPlan);
    await serviceFor({ apiKey: undefined }).completeJson(MESSAGES, SongPlan);

    expect(server.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(server.requests[1].headers.authorization).toBeUndefined();
  });

  it('ignores OPENAI_* in process.env: only the options object counts', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { OPENAI_API_KEY: 'sk-from-env', OPENAI_ADMIN_KEY: 'admin-from-env', OPENAI_ORG_ID: 'org-env' });
    try {
      server.enqueue(chatReply.json(VALID_PLAN));
      await serviceFor({ apiKey: undefined }).completeJson(MESSAGES, SongPlan);
    } finally {
      process.env = saved;
    }

    const { headers } = server.requests[0];
    expect(headers.authorization).toBeUndefined();
    expect(headers['openai-organization']).toBeUndefined();
  });

  it('describes the provider without the key or URL credentials', () => {
    const service = serviceFor({ apiKey: API_KEY, baseUrl: 'http://user:secret@127.0.0.1:11434/v1?token=abc' });

    expect(service.isConfigured()).toBe(true);
    expect(service.describe()).toEqual({ configured: true, model: 'test-model', baseUrl: 'http://127.0.0.1:11434/v1' });
    expect(JSON.stringify(service.describe())).not.toMatch(/sk-test|secret|token/);
  });

  it('reports api.openai.com when only a key is set', () => {
    const service = serviceFor({ apiKey: API_KEY, baseUrl: undefined });

    expect(service.describe()).toEqual({ configured: true, model: 'test-model', baseUrl: 'https://api.openai.com/v1' });
  });
});

describe('LanguageModelService without configuration', () => {
  const service = new LanguageModelService({ apiKey: '  ', baseUrl: '', model: 'gpt-4o-mini', timeoutMs: 1_000, maxRetries: 2 });

  it('says it is not configured and describes nothing', () => {
    expect(service.isConfigured()).toBe(false);
    expect(service.describe()).toEqual({ configured: false, model: null, baseUrl: null });
  });

  it("throws 'not_configured' without touching the network", async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    try {
      const error = await failureOf(service.completeJson(MESSAGES, SongPlan));
      expect(error.reason).toBe('not_configured');
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });
});
