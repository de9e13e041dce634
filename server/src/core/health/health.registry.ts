import { Injectable } from '@nestjs/common';

export interface CheckResult {
  up: boolean;
  details?: Record<string, unknown>;
}
export type HealthCheckFn = () => Promise<CheckResult>;

/** Dependencies that readiness depends on; features add theirs in onModuleInit. */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheckFn>();

  register(name: string, check: HealthCheckFn): void {
    this.checks.set(name, check);
  }

  entries(): [string, HealthCheckFn][] {
    return [...this.checks.entries()];
  }
}
