import { HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, inject } from '@angular/core';
import { Api } from '../api/api';
import { healthFull, systemInfo, systemQueues } from '../api/functions';
import { QueueCountsDto, SystemInfoDto } from '../api/models';
import { AuthStore } from '../core/auth/auth.store';
import { ApiResult } from '../core/http/api-result';
import { silentErrors } from '../core/http/request-context';
import { RemoteValue } from '../core/http/remote-value';

/** The terminus health answer: `status` plus one indicator per dependency in `details`. */
export type HealthReport = ApiResult<typeof healthFull>;

/** One dependency's health as the System page shows it. */
export interface HealthCheckRow {
  name: string;
  /** "music-soundfont" → "Music soundfont". */
  label: string;
  up: boolean;
  status: string;
  message?: string;
}

function isHealthBody(body: unknown): body is HealthReport {
  return typeof body === 'object' && body !== null && 'details' in body && typeof (body as HealthReport).details === 'object';
}

/** A 503 from the health endpoint is an answer ("something is down"), not a failure to answer. */
function healthFromError(error: unknown): HealthReport | undefined {
  if (!(error instanceof HttpErrorResponse) || error.status !== 503) return undefined;
  const body: unknown = typeof error.error === 'string' ? safeParse(error.error) : error.error;
  return isHealthBody(body) ? body : undefined;
}

function checkLabel(name: string): string {
  const words = name.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** State of the System page: health checks, build/runtime info and (for admins) queue counts. */
@Injectable()
export class SystemStore {
  private readonly api = inject(Api);
  private readonly auth = inject(AuthStore);

  readonly health = new RemoteValue<HealthReport>();
  readonly info = new RemoteValue<SystemInfoDto>();
  readonly queues = new RemoteValue<QueueCountsDto[]>();
  readonly canSeeQueues = this.auth.isAdmin;

  readonly checks = computed<HealthCheckRow[]>(() => {
    const details = this.health.value()?.details ?? {};
    return Object.entries(details).map(([name, indicator]) => {
      const status = indicator.status ?? 'unknown';
      const message: unknown = indicator['message'] ?? indicator['error'];
      return {
        name,
        label: checkLabel(name),
        status,
        up: status === 'up',
        message: typeof message === 'string' ? message : undefined,
      };
    });
  });
  readonly downCount = computed(() => this.checks().filter((c) => !c.up).length);
  readonly healthy = computed(() => this.health.value()?.status === 'ok' && this.downCount() === 0);

  async reload(): Promise<void> {
    await Promise.all([this.reloadHealth(), this.reloadInfo(), this.reloadQueues()]);
  }

  reloadHealth(): Promise<void> {
    return this.health.load(() => this.api.invoke(healthFull, {}, silentErrors()), healthFromError);
  }

  reloadInfo(): Promise<void> {
    return this.info.load(() => this.api.invoke(systemInfo, {}, silentErrors()));
  }

  reloadQueues(): Promise<void> {
    if (!this.canSeeQueues()) return Promise.resolve();
    return this.queues.load(() => this.api.invoke(systemQueues, {}, silentErrors()));
  }
}
