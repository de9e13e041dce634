import { Inject, Injectable, Logger, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';
import OpenAI from 'openai';
import { Counter, Histogram, type Registry } from 'prom-client';
import { LanguageModelError, type LanguageModelFailureReason } from './language-model.error';
import {
  DEFAULT_OPENAI_BASE_URL,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  isLanguageModelConfigured,
  LANGUAGE_MODEL_OPTIONS,
  type LanguageModelOptions,
} from './language-model.options';
import { ATTEMPT_TIMED_OUT, classifyAttemptFailure, nextRetryDelayMs, sleep, type AttemptFailure } from './retry-policy';
import { describeSchema, parseStructuredOutput } from './structured-output';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompleteJsonOptions {
  /** Budget of one HTTP attempt in milliseconds; defaults to OPENAI_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Sampling temperature; left to the server's default when absent (some models accept only their default). */
  temperature?: number;
  /** Cancels the call, including any wait between retries; it then fails with reason 'timeout'. */
  signal?: AbortSignal;
}

export interface LanguageModelDescription {
  configured: boolean;
  model: string | null;
  baseUrl: string | null;
}

/** The previous reply is echoed back in the correction turn; cap it so a runaway answer does not grow the prompt. */
const MAX_ECHOED_REPLY_CHARS = 4_000;

/**
 * The optional OpenAI-compatible language model (OpenAI, Ollama, LocalAI, vLLM...). Features call
 * `completeJson` when `isConfigured()` and fall back to their built-in engine on any
 * `LanguageModelError`, so everything works without it.
 */
@Injectable()
export class LanguageModelService implements OnApplicationBootstrap {
  private readonly logger = new Logger(LanguageModelService.name);
  private readonly client: OpenAI | null;
  private readonly apiKey: string | undefined;
  private readonly baseUrl: string | undefined;
  private readonly calls?: Counter<'outcome'>;
  private readonly attempts?: Counter<'result'>;
  private readonly duration?: Histogram<'outcome'>;

  constructor(
    @Inject(LANGUAGE_MODEL_OPTIONS) private readonly options: LanguageModelOptions,
    /** Where to register the llm_* collectors (MetricsService.registry); tests leave it out. */
    @Optional() metricsRegistry?: Registry,
  ) {
    this.apiKey = options.apiKey?.trim() || undefined;
    this.baseUrl = options.baseUrl?.trim() || undefined;
    this.client = isLanguageModelConfigured(options) ? this.createClient() : null;
    if (metricsRegistry) {
      const registers = [metricsRegistry];
      this.calls = new Counter({
        name: 'llm_calls_total',
        help: 'completeJson calls by outcome: ok or the LanguageModelError reason',
        labelNames: ['outcome'] as const,
        registers,
      });
      this.attempts = new Counter({
        name: 'llm_http_attempts_total',
        help: 'HTTP requests to the language model by result: ok, retried, failed',
        labelNames: ['result'] as const,
        registers,
      });
      this.duration = new Histogram({
        name: 'llm_call_duration_seconds',
        help: 'completeJson duration including retries, by outcome',
        labelNames: ['outcome'] as const,
        buckets: [0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80],
        registers,
      });
    }
  }

  onApplicationBootstrap(): void {
    const { configured, model, baseUrl } = this.describe();
    this.logger.log(
      configured
        ? `Language model: ${model} at ${baseUrl}${this.apiKey ? ' (with API key)' : ''}`
        : 'Language model: not configured; features use their built-in engines',
    );
  }

  isConfigured(): boolean {
    return this.client !== null;
  }

  /** What is in use, safe to show to operators: never the key, nor credentials embedded in the URL. */
  describe(): LanguageModelDescription {
    if (!this.client) return { configured: false, model: null, baseUrl: null };
    return { configured: true, model: this.options.model, baseUrl: redactUrl(this.baseUrl ?? DEFAULT_OPENAI_BASE_URL) };
  }

  /**
   * Asks for one JSON object matching `schema` (a class-validator DTO) and returns it validated.
   * A reply that fails validation is retried once with the problems fed back.
   * @throws LanguageModelError with reason not_configured | timeout | rate_limited | upstream | invalid_output
   */
  async completeJson<T extends object>(messages: ChatMessage[], schema: ClassConstructor<T>, options: CompleteJsonOptions = {}): Promise<T> {
    const started = performance.now();
    let outcome: 'ok' | LanguageModelFailureReason = 'ok';
    try {
      return await this.completeValidated(messages, schema, options);
    } catch (error) {
      // The contract is "a validated instance or a LanguageModelError": callers catch only that to fall back.
      const failure =
        error instanceof LanguageModelError
          ? error
          : new LanguageModelError('upstream', 'Unexpected language model failure', { cause: this.redactCause(error) });
      outcome = failure.reason;
      throw failure;
    } finally {
      this.calls?.inc({ outcome });
      if (outcome !== 'not_configured') this.duration?.observe({ outcome }, (performance.now() - started) / 1000);
    }
  }

  private async completeValidated<T extends object>(messages: ChatMessage[], schema: ClassConstructor<T>, options: CompleteJsonOptions): Promise<T> {
    if (!this.client) {
      throw new LanguageModelError('not_configured', 'No language model is configured (set OPENAI_BASE_URL or OPENAI_API_KEY)');
    }
    const conversation = withJsonInstructions(messages, schema);

    let problems: string[] = [];
    for (let round = 0; round < 2; round++) {
      const content = await this.requestCompletion(this.client, conversation, options);
      const parsed = await parseStructuredOutput(content, schema);
      if (parsed.ok) return parsed.value;

      problems = parsed.problems;
      this.logger.debug(`${schema.name}: reply ${round + 1} rejected (${problems.length} problem(s))`);
      conversation.push({ role: 'assistant', content: content.slice(0, MAX_ECHOED_REPLY_CHARS) }, { role: 'user', content: correctionPrompt(problems) });
    }
    this.logger.warn(`${schema.name}: the model's reply failed validation twice; the caller falls back`);
    throw new LanguageModelError('invalid_output', `The model's reply did not match ${schema.name}: ${problems.slice(0, 5).join('; ')}`);
  }

  /** One chat completion with timeouts and our retry policy (the SDK's own retries are off). */
  private async requestCompletion(client: OpenAI, messages: ChatMessage[], options: CompleteJsonOptions): Promise<string> {
    const policy = {
      maxRetries: Math.max(0, this.options.maxRetries),
      baseDelayMs: this.options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
      maxDelayMs: this.options.retryMaxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS,
    };
    const timeout = options.timeoutMs ?? this.options.timeoutMs;

    for (let retriesUsed = 0; ; retriesUsed++) {
      // Our own timer over the whole attempt (headers and body); the caller's signal cancels it too.
      const attempt = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        attempt.abort();
      }, timeout);
      const onCallerAbort = () => attempt.abort();
      if (options.signal?.aborted) attempt.abort();
      options.signal?.addEventListener('abort', onCallerAbort, { once: true });

      let failure: AttemptFailure;
      let cause: unknown;
      try {
        const completion = await client.chat.completions.create(
          {
            model: this.options.model,
            messages,
            response_format: { type: 'json_object' },
            ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
          },
          // The SDK's own timeout is only a backstop behind ours.
          { timeout: timeout + 1_000, maxRetries: 0, signal: attempt.signal },
        );
        this.attempts?.inc({ result: 'ok' });
        const content = completion.choices?.[0]?.message?.content;
        // A refusal or an empty choice is an answer, just not a usable one: let validation report it.
        return typeof content === 'string' ? content : '';
      } catch (error) {
        cause = error;
        failure = timedOut && !options.signal?.aborted ? ATTEMPT_TIMED_OUT : classifyAttemptFailure(error);
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onCallerAbort);
      }

      const delay = nextRetryDelayMs(failure, retriesUsed, policy);
      this.attempts?.inc({ result: delay === null ? 'failed' : 'retried' });
      if (delay === null) {
        const message = this.redact(`Language model request failed: ${failure.detail} after ${retriesUsed + 1} attempt(s)`);
        this.logger.warn(message);
        throw new LanguageModelError(failure.reason, message, { cause: this.redactCause(cause) });
      }
      this.logger.debug(`${failure.detail}; retry ${retriesUsed + 1}/${policy.maxRetries} in ${delay} ms`);
      try {
        await sleep(delay, options.signal);
      } catch {
        throw new LanguageModelError('timeout', 'Language model request aborted by the caller while waiting to retry');
      }
    }
  }

  private createClient(): OpenAI {
    return new OpenAI({
      // The SDK insists on a key; a keyless local server gets a placeholder and no Authorization header.
      apiKey: this.apiKey ?? 'unused',
      baseURL: this.baseUrl ?? DEFAULT_OPENAI_BASE_URL,
      // Pass everything explicitly so the SDK reads nothing from process.env behind the config schema's back.
      adminAPIKey: null,
      organization: null,
      project: null,
      webhookSecret: null,
      maxRetries: 0,
      timeout: this.options.timeoutMs,
      defaultHeaders: this.apiKey ? undefined : { Authorization: null },
      logLevel: 'off',
    });
  }

  /** Upstream messages may quote the key (OpenAI masks most of it; other servers may not). */
  private redact(text: string): string {
    return this.apiKey ? text.split(this.apiKey).join('[redacted]') : text;
  }

  private redactCause(cause: unknown): unknown {
    if (!this.apiKey || !(cause instanceof Error) || !cause.message.includes(this.apiKey)) return cause;
    return new Error(this.redact(cause.message));
  }
}

/** Adds the JSON instructions and field list to the caller's system message (one system message suits every chat template). */
function withJsonInstructions(messages: ChatMessage[], schema: ClassConstructor<object>): ChatMessage[] {
  const fields = describeSchema(schema);
  const instructions = [
    'Answer with exactly one JSON object and nothing else: no prose, no Markdown.',
    fields.length > 0 ? `The object has these fields:\n${fields.join('\n')}` : '',
    'Use exactly these field names and no others.',
  ]
    .filter(Boolean)
    .join('\n');

  const conversation = messages.map((message) => ({ ...message }));
  const first = conversation[0];
  if (first?.role === 'system') first.content = `${first.content}\n\n${instructions}`;
  else conversation.unshift({ role: 'system', content: instructions });
  return conversation;
}

function correctionPrompt(problems: string[]): string {
  return ['That reply cannot be used:', ...problems.slice(0, 20).map((problem) => `- ${problem}`), 'Answer again with one corrected JSON object only.'].join(
    '\n',
  );
}

function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = '';
    url.password = '';
    url.search = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '[invalid URL]';
  }
}
