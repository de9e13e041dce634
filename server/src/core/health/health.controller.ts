import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public, SkipRateLimit } from '../auth/auth.decorators';
import { withTimeout } from '../jobs/redis-availability.service';
import { HealthRegistry } from './health.registry';

const CHECK_TIMEOUT_MS = 2000;
/** Probes poll on their own schedule; a client told 503 should come back in a few seconds. */
const HEALTH_RETRY_AFTER_SEC = 5;

@ApiTags('health')
@Public()
@SkipRateLimit()
@Controller('health')
export class HealthController {
  private round?: Promise<HealthCheckResult>;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: HealthRegistry,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers (no dependency is checked)' })
  @ApiResponse({ status: 200, schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: true })
  @ApiOperation({ summary: 'Readiness: database, Redis and enabled integrations; 503 when one is down' })
  ready(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    return this.check(response);
  }

  @Get()
  @HealthCheck({ swaggerDocumentation: true })
  @ApiOperation({ summary: 'Health of every dependency, with details; 503 when one is down' })
  full(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    return this.check(response);
  }

  /** A failing check answers 503 with the same terminus body (status, info, error, details) probes and the dashboard read. */
  private async check(response: Response): Promise<HealthCheckResult> {
    try {
      return await this.runChecks();
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      response.setHeader('Retry-After', String(HEALTH_RETRY_AFTER_SEC));
      return error.getResponse() as HealthCheckResult;
    }
  }

  /**
   * The dependencies' checks, once at a time: requests that arrive while a round runs share its answer, so the public,
   * unthrottled health routes cannot multiply into database and Redis load.
   */
  private runChecks(): Promise<HealthCheckResult> {
    this.round ??= this.checkAll().finally(() => (this.round = undefined));
    return this.round;
  }

  private checkAll(): Promise<HealthCheckResult> {
    return this.health.check(
      this.registry.entries().map(([name, check]) => async () => {
        const indicator = this.indicators.check(name);
        try {
          const result = await withTimeout(check(), CHECK_TIMEOUT_MS, `${name} check timed out`);
          return result.up ? indicator.up(result.details) : indicator.down(result.details);
        } catch (error) {
          return indicator.down({ message: error instanceof Error ? error.message : String(error) });
        }
      }),
    );
  }
}
