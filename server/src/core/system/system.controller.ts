import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.decorators';
import { QueueCountsDto, SystemInfoDto } from './system.dto';
import { SystemService } from './system.service';

@ApiTags('system')
@ApiBearerAuth()
@Controller('system')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Get('info')
  @ApiOperation({ summary: 'Version, role and integrations of this server' })
  @ApiResponse({ status: 200, type: SystemInfoDto })
  info(): SystemInfoDto {
    return this.system.info();
  }

  @AdminOnly()
  @Get('queues')
  @ApiOperation({ summary: 'Job counts per queue (admin)' })
  @ApiResponse({ status: 200, type: [QueueCountsDto] })
  @ApiResponse({ status: 503, description: 'Redis is down' })
  queues(): Promise<QueueCountsDto[]> {
    return this.system.queues();
  }
}
