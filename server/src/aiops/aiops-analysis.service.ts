import { HttpStatus, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { ProblemException, ServiceUnavailableProblem } from '../core/errors/problem';
import { AnalysisBusyError, AnalysisInputError, AnalysisPool } from './analysis/analysis-pool';
import type { SeriesArrays } from './analysis/bulk-input';

/**
 * The stateless endpoints (score any series, mine any lines) on worker threads. Results come back as JSON text,
 * ready to send.
 */
@Injectable()
export class AiopsAnalysisService implements OnApplicationShutdown {
  private readonly pool: AnalysisPool;

  constructor(config: AppConfig) {
    this.pool = new AnalysisPool({ workers: config.AIOPS_ANALYSIS_WORKERS, maxQueued: 16, timeoutMs: 120_000 });
  }

  detect(series: SeriesArrays): Promise<string> {
    return this.run({ kind: 'detect', ...series });
  }

  mine(lines: string[]): Promise<string> {
    return this.run({ kind: 'mine', lines });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }

  private async run(payload: Parameters<AnalysisPool['run']>[0]): Promise<string> {
    try {
      return await this.pool.run(payload);
    } catch (error) {
      if (error instanceof AnalysisBusyError) throw new ServiceUnavailableProblem(`The analysis workers are busy: ${error.message}.`, 2);
      // The input was validated before; an engine RangeError still means the client's data, never a 500.
      if (error instanceof AnalysisInputError) throw new ProblemException(HttpStatus.BAD_REQUEST, `${error.message}.`);
      throw error;
    }
  }
}
