import { applyDecorators, Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AllowQueryToken, AuthUser, CurrentUser } from '../core/auth/auth.decorators';
import { ProblemDto } from '../core/errors/problem.dto';
import { InFlightLimit } from '../core/http/in-flight-limit';
import { sendDownload } from '../core/http/send-download';
import { UuidParam } from '../core/validation/uuid-param';
import { readMultipart } from '../core/http/multipart';
import { JobAcceptedDto } from '../core/jobs/dto/job.dto';
import { HistoryQueryDto } from '../music/dto/music-generation.dto';
import { ANALYZE_FORM, analyzeInputOf, type AnalyzeInput } from './analyze-input';
import { ANALYZE_FORM_SCHEMA, MultimodalAnalysisDto } from './dto/analysis.dto';
import { MusicFromMoodDto, SavedAnalysisDto, SavedAnalysisPageDto } from './dto/saved-analysis.dto';
import { MultimodalAnalysisService } from './multimodal-analysis.service';
import { SavedAnalysesService } from './saved-analyses.service';

const IdParam = () => UuidParam('id');

const BadInput = () =>
  ApiResponse({ status: 400, type: ProblemDto, description: 'Nothing given, empty text, an undecodable file, an unknown field; `errors` names each field' });
const TooLarge = () => ApiResponse({ status: 413, type: ProblemDto, description: 'image over 10 MB, audio over 30 s, text over 5,000 characters' });
const WrongType = () =>
  ApiResponse({ status: 415, type: ProblemDto, description: 'Not multipart/form-data, or a file of the wrong type (judged by its bytes)' });
const ModelUnavailable = () =>
  applyDecorators(
    ApiResponse({ status: 429, type: ProblemDto, description: 'Two analyses of yours are already running (Retry-After)' }),
    ApiResponse({ status: 503, type: ProblemDto, description: 'A model is not available, or the analysers are busy with other requests (Retry-After)' }),
  );

/**
 * Analyses at once in one replica: each holds its upload (up to about 26 MB) and waits for the face model, which reads
 * one picture at a time (about 0.3 s), so more would only grow memory and every caller's wait. More wait their turn
 * (their uploads not read meanwhile) for up to 15 s, so a client sending a few in parallel is served, then 429/503.
 */
export const ANALYSES_IN_FLIGHT = { max: 8, maxPerCaller: 2, waitMs: 15_000, maxWaiting: 32 };

@ApiTags('multimodal')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ProblemDto, description: 'Missing or expired access token' })
@Controller('multimodal')
export class MultimodalController {
  private readonly slots = new InFlightLimit({ ...ANALYSES_IN_FLIGHT, busyDetail: 'The analysers are busy with other requests; try again in a moment.' });

  constructor(
    private readonly analysis: MultimodalAnalysisService,
    private readonly saved: SavedAnalysesService,
  ) {}

  /** Reads the form and runs `work` on it in one of the user's slots; a request refused one is drained, so its client reads the 429 or 503. */
  private async inSlot<T>(user: AuthUser, request: Request, work: (input: AnalyzeInput) => Promise<T>): Promise<T> {
    try {
      return await this.slots.run(user.id, async () => work(analyzeInputOf(await readMultipart(request, ANALYZE_FORM))));
    } catch (error) {
      if (!request.readableEnded) request.resume();
      throw error;
    }
  }

  @Post('analyze')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Recognise the emotion of a picture (its faces), a voice recording and a text, each one given, and fuse them; stores nothing' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: ANALYZE_FORM_SCHEMA })
  @ApiOkResponse({ type: MultimodalAnalysisDto })
  @BadInput()
  @TooLarge()
  @WrongType()
  @ModelUnavailable()
  async analyze(@CurrentUser() user: AuthUser, @Req() request: Request): Promise<MultimodalAnalysisDto> {
    return this.inSlot(user, request, (input) => this.analysis.analyze(input, user.id));
  }

  @Post('analyses')
  @ApiOperation({ summary: 'Analyse like /analyze and save the result with its picture, recording and text (the only way anything is stored)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: ANALYZE_FORM_SCHEMA })
  @ApiCreatedResponse({ type: SavedAnalysisDto })
  @BadInput()
  @TooLarge()
  @WrongType()
  @ModelUnavailable()
  async save(@CurrentUser() user: AuthUser, @Req() request: Request): Promise<SavedAnalysisDto> {
    return this.inSlot(user, request, (input) => this.saved.save(user, input));
  }

  @Get('analyses')
  @ApiOperation({ summary: 'Your saved analyses, newest first (paged)' })
  @ApiOkResponse({ type: SavedAnalysisPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: HistoryQueryDto): Promise<SavedAnalysisPageDto> {
    return this.saved.list(user, query.page ?? 1, query.pageSize ?? 20);
  }

  @Get('analyses/:id')
  @ApiOperation({ summary: 'One of your saved analyses' })
  @ApiOkResponse({ type: SavedAnalysisDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  get(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<SavedAnalysisDto> {
    return this.saved.get(user, id);
  }

  @Get('analyses/:id/image')
  @AllowQueryToken()
  @ApiOperation({ summary: 'The saved picture; an <img> element may pass the token as ?access_token=' })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  @ApiResponse({ status: 200, description: 'The picture' })
  @ApiResponse({ status: 404, type: ProblemDto })
  async image(@CurrentUser() user: AuthUser, @IdParam() id: string, @Res() res: Response): Promise<void> {
    const file = await this.saved.file(user, id, 'image');
    await sendDownload(res, { ...file, filename: `analysis-${id.slice(0, 8)}.${file.path.split('.').pop()}` });
  }

  @Get('analyses/:id/audio')
  @AllowQueryToken()
  @ApiOperation({ summary: 'The saved recording (WAV, Range requests); an <audio> element may pass the token as ?access_token=' })
  @ApiProduces('audio/wav')
  @ApiResponse({ status: 200, description: 'The recording' })
  @ApiResponse({ status: 206, description: 'The requested byte range (Content-Range)' })
  @ApiResponse({ status: 404, type: ProblemDto })
  async audio(@CurrentUser() user: AuthUser, @IdParam() id: string, @Res() res: Response): Promise<void> {
    await sendDownload(res, { ...(await this.saved.file(user, id, 'audio')), filename: `analysis-${id.slice(0, 8)}.wav` });
  }

  @Delete('analyses/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete one of your saved analyses with its picture and recording' })
  @ApiNoContentResponse()
  @ApiResponse({ status: 404, type: ProblemDto })
  remove(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<void> {
    return this.saved.remove(user, id);
  }

  @Delete('voice-baseline')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Forget how your voice usually sounds (the running mean of your recordings’ voice features that adapts the voice reading to you); your next recordings are read as a new speaker’s',
  })
  @ApiNoContentResponse()
  forgetVoice(@CurrentUser() user: AuthUser): Promise<void> {
    return this.analysis.forgetVoice(user.id);
  }

  @Post('music')
  @ApiBody({
    type: MusicFromMoodDto,
    examples: {
      point: { summary: 'A fused valence/arousal point', value: { valence: 0.4, arousal: 0.2, durationSec: 30 } },
      saved: { summary: 'A saved analysis', value: { analysisId: '0b0e7d1c-4b7a-4e49-9d7e-0d2f3c1a5b6e', durationSec: 30 } },
    },
  })
  @ApiOperation({
    summary: "Make a piece from a mood: a saved analysis's fused emotion, or the fused valence/arousal of an unsaved one (a music generation job)",
  })
  @ApiAcceptedResponse({ type: JobAcceptedDto, description: 'Queued on music-generation; follow statusUrl (/api/music/generation/:id/status) or eventsUrl' })
  @ApiOkResponse({ type: JobAcceptedDto, description: 'The same mood, length and seed as an earlier piece: already completed (from the cache)' })
  @ApiResponse({ status: 400, type: ProblemDto })
  @ApiResponse({ status: 404, type: ProblemDto, description: 'No such saved analysis' })
  @ApiResponse({ status: 429, type: ProblemDto, description: 'Over MUSIC_QUOTA_PER_HOUR' })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'Queue unavailable (Retry-After)' })
  async music(@CurrentUser() user: AuthUser, @Body() body: MusicFromMoodDto, @Res({ passthrough: true }) res: Response): Promise<JobAcceptedDto> {
    const outcome = await this.saved.makeMusic(user, body);
    res.status(outcome.cached ? HttpStatus.OK : HttpStatus.ACCEPTED);
    return outcome.accepted;
  }
}
