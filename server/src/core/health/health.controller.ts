import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';
import { withTimeout } from '../jobs/redis-availability.service';
import { HealthRegistry } from './health.registry';

const CHECK_TIMEOUT_MS = 2000;

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
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
  ready(): Promise<HealthCheckResult> {
    return this.check();
  }

  @Get()
  @HealthCheck({ swaggerDocumentation: true })
  @ApiOperation({ summary: 'Health of every dependency, with details; 503 when one is down' })
  full(): Promise<HealthCheckResult> {
    return this.check();
  }

  private check(): Promise<HealthCheckResult> {
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
