import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AllowQueryToken, AuthUser, CurrentUser } from '../core/auth/auth.decorators';
import { ProblemDto } from '../core/errors/problem.dto';
import { sendDownload } from '../core/http/send-download';
import { JobAcceptedDto } from '../core/jobs/dto/job.dto';
import { UuidParam } from '../core/validation/uuid-param';
import { GenerateFromEmotionDto } from './dto/generate-emotion.dto';
import { GenerateFromTopicDto } from './dto/generate-topic.dto';
import { MusicCatalogDto } from './dto/music-catalog.dto';
import { AudioQueryDto, HistoryQueryDto, MusicGenerationStatusDto, MusicHistoryPageDto, MusicNotesDto, MusicPlanDocumentDto } from './dto/music-generation.dto';
import { MusicGenerationService, SubmitOutcome } from './music.service';
import type { MusicFileKind } from './music.storage';

const IdParam = () => UuidParam('id');

@ApiTags('music')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ProblemDto, description: 'Missing or expired access token' })
@Controller('music')
export class MusicController {
  constructor(private readonly music: MusicGenerationService) {}

  @Get('catalog')
  @ApiOperation({ summary: 'What a request can ask for: the emotions (with their valence/arousal), instruments and input limits' })
  @ApiOkResponse({ type: MusicCatalogDto })
  catalog(): MusicCatalogDto {
    return this.music.catalog();
  }

  @Post('generate/emotion')
  @ApiOperation({ summary: 'Generate a piece for an emotion (a name or a valence/arousal point)' })
  @ApiBody({
    type: GenerateFromEmotionDto,
    examples: {
      named: { summary: 'A named emotion', value: { emotion: 'happy', durationSec: 60, seed: 42, tempo: 128, instruments: [0, 48, 32] } },
      point: { summary: 'A valence/arousal point', value: { valence: -0.4, arousal: 0.3, durationSec: 30 } },
      chinese: { summary: 'A Chinese emotion name', value: { emotion: '平静', durationSec: 45 } },
    },
  })
  @ApiAcceptedResponse({ type: JobAcceptedDto, description: 'Queued; follow statusUrl or eventsUrl' })
  @ApiOkResponse({ type: JobAcceptedDto, description: 'Identical earlier request: already completed (state "completed")' })
  @ApiResponse({ status: 400, type: ProblemDto, description: 'Invalid input; `errors` names each field' })
  @ApiResponse({ status: 429, type: ProblemDto, description: 'Over MUSIC_QUOTA_PER_HOUR' })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'Queue unavailable (Retry-After)' })
  async generateFromEmotion(
    @CurrentUser() user: AuthUser,
    @Body() body: GenerateFromEmotionDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JobAcceptedDto> {
    return answer(await this.music.generateFromEmotion(user, body), res);
  }

  @Post('generate/topic')
  @ApiOperation({ summary: 'Generate a piece for a free-text topic (Chinese or English)' })
  @ApiAcceptedResponse({ type: JobAcceptedDto })
  @ApiOkResponse({ type: JobAcceptedDto, description: 'Identical earlier request: already completed' })
  @ApiResponse({ status: 400, type: ProblemDto })
  @ApiResponse({ status: 429, type: ProblemDto, description: 'Over MUSIC_QUOTA_PER_HOUR' })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'Queue unavailable (Retry-After)' })
  async generateFromTopic(
    @CurrentUser() user: AuthUser,
    @Body() body: GenerateFromTopicDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JobAcceptedDto> {
    return answer(await this.music.generateFromTopic(user, body), res);
  }

  @Get('generation/:id/status')
  @ApiOperation({ summary: 'Status of a generation: state, progress {percent, stage}, result when completed' })
  @ApiOkResponse({ type: MusicGenerationStatusDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  status(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<MusicGenerationStatusDto> {
    return this.music.status(user, id);
  }

  @Get('generation/:id/audio')
  @AllowQueryToken()
  @ApiOperation({
    summary: 'The audio (MP3 by default, or WAV); supports HTTP Range requests (206) for seeking. An <audio> element may pass the token as ?access_token=',
  })
  @ApiProduces('audio/mpeg', 'audio/wav')
  @ApiResponse({ status: 200, description: 'The whole file' })
  @ApiResponse({ status: 206, description: 'The requested byte range (Content-Range)' })
  @ApiResponse({ status: 404, type: ProblemDto })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'Not completed yet' })
  @ApiResponse({ status: 416, type: ProblemDto, description: 'Range outside the file' })
  async audio(@CurrentUser() user: AuthUser, @IdParam() id: string, @Query() query: AudioQueryDto, @Res() res: Response): Promise<void> {
    await sendDownload(res, await this.music.audio(user, id, query.format), { attachment: query.download === 1 });
  }

  @Get('generation/:id/midi')
  @AllowQueryToken()
  @ApiOperation({ summary: 'The Standard MIDI File (built-in composer only); the token may be passed as ?access_token= for download links' })
  @ApiProduces('audio/midi')
  @ApiResponse({ status: 200, description: 'MIDI file' })
  @ApiResponse({ status: 404, type: ProblemDto })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'Not completed yet' })
  async midi(@CurrentUser() user: AuthUser, @IdParam() id: string, @Res() res: Response): Promise<void> {
    await sendDownload(res, await this.music.file(user, id, 'midi' satisfies MusicFileKind), { attachment: true });
  }

  @Get('generation/:id/plan')
  @ApiOperation({ summary: 'The musical plan, explained in words, and how the piece was made' })
  @ApiOkResponse({ type: MusicPlanDocumentDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'Not completed yet' })
  plan(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<MusicPlanDocumentDto> {
    return this.music.plan(user, id);
  }

  @Get('generation/:id/notes')
  @ApiOperation({ summary: 'The notes, for a piano roll (built-in composer only)' })
  @ApiOkResponse({ type: MusicNotesDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'Not completed yet' })
  notes(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<MusicNotesDto> {
    return this.music.notes(user, id);
  }

  @Get('generations')
  @ApiOperation({ summary: 'Your generations, newest first (paged)' })
  @ApiOkResponse({ type: MusicHistoryPageDto })
  history(@CurrentUser() user: AuthUser, @Query() query: HistoryQueryDto): Promise<MusicHistoryPageDto> {
    return this.music.history(user, query.page ?? 1, query.pageSize ?? 20);
  }

  @Delete('generation/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete one of your generations (and its files when no one else shares them)' })
  @ApiNoContentResponse()
  @ApiResponse({ status: 404, type: ProblemDto })
  remove(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<void> {
    return this.music.remove(user, id);
  }
}

function answer(outcome: SubmitOutcome, res: Response) {
  res.status(outcome.cached ? HttpStatus.OK : HttpStatus.ACCEPTED);
  return outcome.accepted;
}
