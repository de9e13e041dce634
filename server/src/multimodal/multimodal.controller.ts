import { Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ProblemDto } from '../core/errors/problem.dto';
import { MultipartBody, UseMultipart, type MultipartForm } from '../core/http/multipart';
import { ANALYZE_FORM, analyzeInputOf } from './analyze-input';
import { ANALYZE_FORM_SCHEMA, MultimodalAnalysisDto } from './dto/analysis.dto';
import { MultimodalAnalysisService } from './multimodal-analysis.service';

@ApiTags('multimodal')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ProblemDto, description: 'Missing or expired access token' })
@Controller('multimodal')
export class MultimodalController {
  constructor(private readonly analysis: MultimodalAnalysisService) {}

  @Post('analyze')
  @HttpCode(HttpStatus.OK)
  @UseMultipart(ANALYZE_FORM)
  @ApiOperation({
    summary: 'Recognise the emotion of a picture (faces), a voice recording and a text, each present one, and fuse them; nothing is stored',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: ANALYZE_FORM_SCHEMA })
  @ApiOkResponse({ type: MultimodalAnalysisDto })
  @ApiResponse({ status: 400, type: ProblemDto, description: 'Nothing given, empty text, an undecodable file, an unknown field; `errors` names each field' })
  @ApiResponse({ status: 413, type: ProblemDto, description: 'image over 10 MB, audio over 30 s, text over 5,000 characters' })
  @ApiResponse({ status: 415, type: ProblemDto, description: 'Not multipart/form-data, or a file of the wrong type (judged by its bytes)' })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'A model is not available (Retry-After)' })
  analyze(@MultipartBody() form: MultipartForm): Promise<MultimodalAnalysisDto> {
    return this.analysis.analyze(analyzeInputOf(form));
  }
}
