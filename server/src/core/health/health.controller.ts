import { Controller, Get, Logger, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { CurrentUser, Public, SkipRateLimit, type AuthUser } from '../auth/auth.decorators';
import { withTimeout } from '../jobs/redis-availability.service';
import { HealthRegistry } from './health.registry';

const CHECK_TIMEOUT_MS = 2000;
/** Probes poll on their own schedule; a client told 503 should come back in a few seconds. */
const HEALTH_RETRY_AFTER_SEC = 5;

/**
 * Probes' and operators' view of the dependencies. Liveness and readiness are public and say only up or down; the
 * details (engines, latencies, what failed and why: connection errors name hosts, model errors name files) are for
 * signed-in users, and the failures' messages for admins (everyone else reads them as `check failed`; the log has them).
 */
@ApiTags('health')
@SkipRateLimit()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);
  private round?: Promise<HealthCheckResult>;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: HealthRegistry,
  ) {}

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers (no dependency is checked)' })
  @ApiResponse({ status: 200, schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @HealthCheck({ swaggerDocumentation: true })
  @ApiOperation({
    summary: 'Readiness: the database and required integrations, each up or down; 503 when one is down (Redis and optional features do not count)',
  })
  async ready(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    const result = await this.runChecks();
    const required = Object.entries(result.details).filter(([name]) => this.registry.affectsReadiness(name));
    const [up, down] = [required.filter(([, i]) => i.status === 'up'), required.filter(([, i]) => i.status !== 'up')];
    const subset: HealthCheckResult = {
      status: down.length === 0 ? 'ok' : 'error',
      info: Object.fromEntries(up),
      error: Object.fromEntries(down),
      details: Object.fromEntries(required),
    };
    return this.answer(response, statusesOnly(subset));
  }

  @Get()
  @ApiBearerAuth()
  @HealthCheck({ swaggerDocumentation: true })
  @ApiOperation({ summary: "Health of every dependency, with details (failures' messages for admins); 503 when one is down" })
  @ApiResponse({ status: 401, description: 'Not signed in' })
  async full(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    const result = await this.runChecks();
    return this.answer(response, user.role === 'admin' ? result : withoutFailureMessages(result));
  }

  /** A failing answer is 503 with the same terminus body (status, info, error, details) probes and the dashboard read. */
  private answer(response: Response, result: HealthCheckResult): HealthCheckResult {
    if (result.status !== 'ok') {
      response.status(503);
      response.setHeader('Retry-After', String(HEALTH_RETRY_AFTER_SEC));
    }
    return result;
  }

  /**
   * The dependencies' checks, once at a time: requests that arrive while a round runs share its answer, so the public,
   * unthrottled health routes cannot multiply into database and Redis load.
   */
  private runChecks(): Promise<HealthCheckResult> {
    this.round ??= this.checkAll()
      .catch((error: unknown) => {
        // Terminus throws its answer when a check is down.
        if (error instanceof ServiceUnavailableException) return error.getResponse() as HealthCheckResult;
        throw error;
      })
      .finally(() => (this.round = undefined));
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
          const message = error instanceof Error ? error.message : String(error);
          this.logger.warn(`Health check ${name} failed: ${message}`);
          return indicator.down({ message });
        }
      }),
    );
  }
}

type Indicator = HealthIndicatorResult[string];

function mapIndicators<T extends Partial<HealthIndicatorResult> | undefined>(indicators: T, map: (indicator: Indicator) => Indicator): T {
  if (!indicators) return indicators;
  return Object.fromEntries(Object.entries(indicators).map(([name, indicator]) => [name, indicator && map(indicator)])) as T;
}

function mapResult(result: HealthCheckResult, map: (indicator: Indicator) => Indicator): HealthCheckResult {
  return { status: result.status, info: mapIndicators(result.info, map), error: mapIndicators(result.error, map), details: mapIndicators(result.details, map) };
}

/** The answer with each dependency's status and nothing else. */
function statusesOnly(result: HealthCheckResult): HealthCheckResult {
  return mapResult(result, ({ status }) => ({ status }));
}

/** The answer with the failed dependencies' messages and failure details replaced by a plain `check failed`. */
function withoutFailureMessages(result: HealthCheckResult): HealthCheckResult {
  return mapResult(result, (indicator) => {
    if (indicator.status === 'up') return indicator;
    const { status, message, failed, ...rest } = indicator as Record<string, unknown> & { status: 'down' };
    return { ...rest, status, ...(message !== undefined || failed !== undefined ? { message: 'check failed' } : {}) };
  });
}
