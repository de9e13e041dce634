import { Controller, Get, Header, Headers, NotFoundException } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public, SkipRateLimit } from '../auth/auth.decorators';
import { MetricsService } from './metrics.service';

@ApiTags('system')
@SkipRateLimit()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /**
   * Public like every Prometheus target, for the scraper that reaches the pod directly (the pods' annotations; the
   * NetworkPolicy limits who can). A request that came through a proxy (the ingress, the client's nginx: they add
   * X-Forwarded-For or Forwarded) is from outside and is answered 404: routes, queue depths and pool states are not
   * the internet's business, and each scrape reads Redis.
   */
  @Public()
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics (for a scraper reaching the pod directly; 404 through a proxy)' })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 404, description: 'Asked through a proxy' })
  scrape(@Headers('x-forwarded-for') forwardedFor?: string, @Headers('forwarded') forwarded?: string): Promise<string> {
    if (forwardedFor !== undefined || forwarded !== undefined) throw new NotFoundException('Not found.');
    return this.metrics.registry.metrics();
  }
}
