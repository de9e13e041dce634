import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { LANGUAGE_MODEL_OPTIONS, type LanguageModelOptions } from './language-model.options';
import { LanguageModelService } from './language-model.service';

/** Maps the OPENAI_* variables of the one config schema onto the provider's options. */
export function languageModelOptionsFrom(config: AppConfig): LanguageModelOptions {
  return {
    apiKey: config.OPENAI_API_KEY,
    baseUrl: config.OPENAI_BASE_URL,
    model: config.OPENAI_MODEL,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
    maxRetries: config.OPENAI_MAX_RETRIES,
  };
}

/** The optional language model, available everywhere as `LanguageModelService`. */
@Global()
@Module({
  providers: [
    { provide: LANGUAGE_MODEL_OPTIONS, inject: [AppConfig], useFactory: languageModelOptionsFrom },
    {
      provide: LanguageModelService,
      inject: [LANGUAGE_MODEL_OPTIONS, { token: MetricsService, optional: true }],
      useFactory: (options: LanguageModelOptions, metrics?: MetricsService) => new LanguageModelService(options, metrics?.registry),
    },
  ],
  exports: [LanguageModelService],
})
export class LanguageModelModule {}
