import { Module } from '@nestjs/common';
import { AiopsAnalysisService } from './aiops-analysis.service';
import { AiopsAnalysisController } from './aiops-analysis.controller';

/**
 * AIOps (issue 12): stateless scoring of any series and mining of any log lines on worker threads; collection,
 * alerts, incidents, root causes and fixes build on the engine in engine/ (docs/aiops.md).
 */
@Module({
  controllers: [AiopsAnalysisController],
  providers: [AiopsAnalysisService],
})
export class AiopsModule {}
