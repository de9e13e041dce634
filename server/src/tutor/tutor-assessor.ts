import { join } from 'node:path';
import { HttpStatus, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { fieldProblem, ServiceUnavailableProblem } from '../core/errors/problem';
import { WorkerPool, WorkerPoolBusyError, WorkerTaskError } from '../core/workers/worker-pool';
import { AudioInputError, inspectWav, type AssessOptions, type ReferenceNote, type WavSummary } from './engine';
import type { AssessTask, AssessTaskResult } from './tutor-assess.worker';

/** Longest recording assessed (s); longer is 413. */
export const MAX_RECORDING_SEC = 60;
/** A 60 s take needs well under a second of CPU; this only guards against a stuck thread. */
const ASSESS_TIMEOUT_MS = 30_000;

const audioProblem = (status: HttpStatus, message: string) => fieldProblem('audio', `audio: ${message}`, { status });

/**
 * Runs assessments in the tutor's worker threads (pitch tracking a 30 s take costs 100–150 ms of CPU, which must not
 * stall other requests). The WAV header is read here first, so an unreadable file is a 400 and a take over 60 s a 413
 * without decoding it.
 */
@Injectable()
export class TutorAssessor implements OnApplicationShutdown {
  private readonly pool: WorkerPool<AssessTask, AssessTaskResult>;

  constructor(config: AppConfig) {
    this.pool = new WorkerPool({
      script: join(__dirname, 'tutor-assess.worker'),
      size: config.TUTOR_ASSESS_WORKERS,
      timeoutMs: ASSESS_TIMEOUT_MS,
      maxQueue: 16 * config.TUTOR_ASSESS_WORKERS,
    });
  }

  /** Checks the header (400 / 413 naming `audio`) without decoding. */
  inspect(wav: Uint8Array): WavSummary {
    let summary: WavSummary;
    try {
      summary = inspectWav(wav);
    } catch (error) {
      if (error instanceof AudioInputError) throw audioProblem(HttpStatus.BAD_REQUEST, error.message);
      throw error;
    }
    if (summary.durationSec > MAX_RECORDING_SEC) {
      throw audioProblem(HttpStatus.PAYLOAD_TOO_LARGE, `the recording is ${summary.durationSec.toFixed(1)} s long; at most ${MAX_RECORDING_SEC} s is assessed`);
    }
    return summary;
  }

  async assess(wav: Uint8Array, reference: ReferenceNote[], options?: AssessOptions): Promise<AssessTaskResult> {
    this.inspect(wav);
    // A private copy whose buffer moves to the thread (the upload's Buffer may share a pooled ArrayBuffer).
    const bytes = new Uint8Array(wav);
    try {
      return await this.pool.run({ wav: bytes, reference, options }, [bytes.buffer]);
    } catch (error) {
      if (error instanceof WorkerPoolBusyError) throw new ServiceUnavailableProblem('Every assessment worker is busy; try again in a few seconds.', 5);
      if (error instanceof WorkerTaskError && error.remoteName === 'AudioInputError') throw audioProblem(HttpStatus.BAD_REQUEST, error.message);
      if (error instanceof WorkerTaskError && error.remoteName === 'ReferenceInputError') {
        throw fieldProblem('reference', error.message);
      }
      throw error;
    }
  }

  /** After the HTTP server has closed: Nest destroys the modules first, while requests still run assessments. */
  onApplicationShutdown(): Promise<void> {
    return this.pool.close();
  }
}
