/** Injection token for {@link LanguageModelOptions}; the module fills it from `AppConfig`. */
export const LANGUAGE_MODEL_OPTIONS = Symbol('LANGUAGE_MODEL_OPTIONS');

/** The provider's settings, read once from the environment (OPENAI_*) by the config schema. */
export interface LanguageModelOptions {
  /** OPENAI_API_KEY. Optional: a local server (Ollama, LocalAI, vLLM) needs none. */
  apiKey?: string;
  /** OPENAI_BASE_URL, e.g. `http://127.0.0.1:11434/v1`. Unset means api.openai.com. */
  baseUrl?: string;
  /** OPENAI_MODEL. */
  model: string;
  /** OPENAI_TIMEOUT_MS: budget of one HTTP attempt, in milliseconds. */
  timeoutMs: number;
  /** OPENAI_MAX_RETRIES: extra attempts after the first one for 429, 5xx, timeouts and connection errors. */
  maxRetries: number;
  /** First backoff step in milliseconds (doubles per retry, with jitter). Not an env variable; tests shorten it. */
  retryBaseDelayMs?: number;
  /**
   * Longest wait between two attempts, in milliseconds. A Retry-After beyond it ends the call with
   * 'rate_limited' at once: the caller's built-in engine answers sooner than a long queue would.
   */
  retryMaxDelayMs?: number;
}

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;
export const DEFAULT_RETRY_MAX_DELAY_MS = 30_000;

/** Configured means somewhere to send requests: a base URL (keyless local server) or an API key (OpenAI). */
export function isLanguageModelConfigured(options: Pick<LanguageModelOptions, 'apiKey' | 'baseUrl'>): boolean {
  return Boolean(options.apiKey?.trim() || options.baseUrl?.trim());
}
