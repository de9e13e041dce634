import { Injectable } from '@nestjs/common';

export interface CheckResult {
  up: boolean;
  details?: Record<string, unknown>;
}
export type HealthCheckFn = () => Promise<CheckResult>;

export interface CheckOptions {
  /**
   * Whether a replica whose check is down stops taking traffic (/api/health/ready answers 503). False for an optional
   * feature (its own endpoints answer 503, the rest of the service goes on): /api/health still reports it down.
   */
  readiness?: boolean;
}

/** The dependencies' checks; features add theirs in onModuleInit. */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, { check: HealthCheckFn; readiness: boolean }>();

  register(name: string, check: HealthCheckFn, options: CheckOptions = {}): void {
    this.checks.set(name, { check, readiness: options.readiness ?? true });
  }

  entries(): [string, HealthCheckFn][] {
    return [...this.checks.entries()].map(([name, { check }]) => [name, check]);
  }

  /** Whether a down check takes the replica out of service. */
  affectsReadiness(name: string): boolean {
    return this.checks.get(name)?.readiness ?? true;
  }
}
