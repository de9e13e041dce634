import { Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AppConfig } from '../core/config/app-config';
import { ProblemDto } from '../core/errors/problem.dto';
import { readMultipart } from '../core/http/multipart';
import { AssessmentDto, AssessRequestDto } from './dto/assessment.dto';
import { TutorAssessmentService } from './tutor-assessment.service';
import { assessForm } from './tutor-forms';

@ApiTags('tutor')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ProblemDto, description: 'Missing or expired access token' })
@Controller('tutor')
export class TutorController {
  constructor(
    private readonly config: AppConfig,
    private readonly assessment: TutorAssessmentService,
  ) {}

  @Post('assess')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Assess a sung or played recording against a reference melody: score, one verdict per reference note, extra notes, feedback' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: AssessRequestDto })
  @ApiOkResponse({ type: AssessmentDto })
  @ApiResponse({
    status: 400,
    type: ProblemDto,
    description: 'No audio, not a readable WAV, or a reference that is not JSON / has no valid notes; `errors` names the field',
  })
  @ApiResponse({ status: 413, type: ProblemDto, description: 'Recording longer than 60 s (or larger than the upload limit)' })
  @ApiResponse({ status: 415, type: ProblemDto, description: 'Not multipart/form-data' })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'Every assessment worker is busy (Retry-After)' })
  async assess(@Req() request: Request): Promise<AssessmentDto> {
    return this.assessment.assess(await readMultipart(request, assessForm(this.config.TUTOR_MAX_AUDIO_BYTES)));
  }
}
