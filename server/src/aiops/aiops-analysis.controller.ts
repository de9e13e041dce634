import { Body, Controller, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminOnly } from '../core/auth/auth.decorators';
import { ProblemDto } from '../core/errors/problem.dto';
import { BodyLimit } from '../core/http/body-limit';
import { AiopsAnalysisService } from './aiops-analysis.service';
import { DetectBodyPipe, LinesBodyPipe, type SeriesArrays } from './analysis/bulk-input';
import { AnomalyDetectRequestDto, AnomalyDetectResultDto } from './dto/anomaly-detect.dto';
import { LogPatternsRequestDto, LogPatternsResultDto } from './dto/log-patterns.dto';

function sendJson(res: Response, json: string): void {
  res.status(HttpStatus.OK).type('application/json').send(json);
}

@ApiTags('aiops')
@ApiBearerAuth()
@AdminOnly()
@ApiResponse({ status: 401, type: ProblemDto, description: 'Missing or expired access token' })
@ApiResponse({ status: 403, type: ProblemDto, description: 'Not an admin' })
@Controller('aiops')
export class AiopsAnalysisController {
  constructor(private readonly analysis: AiopsAnalysisService) {}

  @Post('anomaly/detect')
  @HttpCode(HttpStatus.OK)
  @BodyLimit('48mb')
  @ApiOperation({ summary: 'Score any series for anomalies (causal: the score of point i uses points 0..i only); up to 200,000 points' })
  @ApiBody({ type: AnomalyDetectRequestDto })
  @ApiOkResponse({ type: AnomalyDetectResultDto })
  @ApiResponse({ status: 400, type: ProblemDto, description: 'Empty series or a bad point; `errors` names the field (points[17].value)' })
  @ApiResponse({ status: 413, type: ProblemDto, description: 'More than 200,000 points, or a body over 48 MB' })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'The analysis workers are busy (Retry-After)' })
  async detect(@Body(DetectBodyPipe) series: SeriesArrays, @Res() res: Response): Promise<void> {
    sendJson(res, await this.analysis.detect(series));
  }

  @Post('logs/patterns')
  @HttpCode(HttpStatus.OK)
  @BodyLimit('64mb')
  @ApiOperation({ summary: 'Group log lines (message text) into templates with <*> for variables; up to 50,000 lines' })
  @ApiBody({ type: LogPatternsRequestDto })
  @ApiOkResponse({ type: LogPatternsResultDto })
  @ApiResponse({ status: 400, type: ProblemDto, description: 'No lines or a line that is not a string; `errors` names the field (lines[3])' })
  @ApiResponse({ status: 413, type: ProblemDto, description: 'More than 50,000 lines, or a body over 64 MB' })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'The analysis workers are busy (Retry-After)' })
  async patterns(@Body(LinesBodyPipe) lines: string[], @Res() res: Response): Promise<void> {
    sendJson(res, await this.analysis.mine(lines));
  }
}
