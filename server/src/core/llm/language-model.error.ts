/**
 * Why a language-model call did not produce a validated result. Callers treat every reason the
 * same way (fall back to their built-in engine); the reason is there for logs and metrics.
 */
export type LanguageModelFailureReason = 'not_configured' | 'timeout' | 'rate_limited' | 'upstream' | 'invalid_output';

export class LanguageModelError extends Error {
  override readonly name = 'LanguageModelError';

  constructor(
    readonly reason: LanguageModelFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
