import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AllowQueryToken, AuthUser, CurrentUser } from '../core/auth/auth.decorators';
import { ProblemDto } from '../core/errors/problem.dto';
import { sendDownload } from '../core/http/send-download';
import { UuidParam } from '../core/validation/uuid-param';
import { JobAcceptedDto } from '../core/jobs/dto/job.dto';
import { AudioQueryDto, HistoryQueryDto } from '../music/dto/music-generation.dto';
import { CreateStoryDto, StoryHistoryPageDto, StoryStatusDto } from './dto/story.dto';
import { StoriesService } from './stories.service';

const IdParam = () => UuidParam('id');

@ApiTags('multimodal')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ProblemDto, description: 'Missing or expired access token' })
@Controller('multimodal/stories')
export class StoriesController {
  constructor(private readonly stories: StoriesService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Set a story to music: scenes → emotion arc and its shape → one piece that follows it, with a timeline (a job)' })
  @ApiAcceptedResponse({
    type: JobAcceptedDto,
    description: 'Queued; follow statusUrl or eventsUrl (stages: scenes, arc, composing, rendering, encoding, storing)',
  })
  @ApiResponse({ status: 400, type: ProblemDto, description: 'Empty or over 20,000 characters; `errors` names each field' })
  @ApiResponse({ status: 429, type: ProblemDto, description: 'Over MULTIMODAL_STORY_QUOTA_PER_HOUR' })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'Queue unavailable (Retry-After)' })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateStoryDto): Promise<JobAcceptedDto> {
    return this.stories.submit(user, body);
  }

  @Get()
  @ApiOperation({ summary: 'Your stories, newest first (paged)' })
  @ApiOkResponse({ type: StoryHistoryPageDto })
  history(@CurrentUser() user: AuthUser, @Query() query: HistoryQueryDto): Promise<StoryHistoryPageDto> {
    return this.stories.history(user, query.page ?? 1, query.pageSize ?? 20);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A story: its text, and its job status (progress and stage), or its scenes, arc, timeline and music once completed' })
  @ApiOkResponse({ type: StoryStatusDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  status(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<StoryStatusDto> {
    return this.stories.status(user, id);
  }

  @Get(':id/audio')
  @AllowQueryToken()
  @ApiOperation({ summary: 'The piece (MP3 by default, or WAV) with HTTP Range support; an <audio> element may pass the token as ?access_token=' })
  @ApiProduces('audio/mpeg', 'audio/wav')
  @ApiResponse({ status: 200, description: 'The whole file' })
  @ApiResponse({ status: 206, description: 'The requested byte range' })
  @ApiResponse({ status: 404, type: ProblemDto })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'Not completed yet' })
  async audio(@CurrentUser() user: AuthUser, @IdParam() id: string, @Query() query: AudioQueryDto, @Res() res: Response): Promise<void> {
    const format = query.format ?? 'mp3';
    await sendDownload(
      res,
      { ...(await this.stories.file(user, id, format)), filename: `story-${id.slice(0, 8)}.${format}` },
      { attachment: query.download === 1 },
    );
  }

  @Get(':id/midi')
  @AllowQueryToken()
  @ApiOperation({ summary: 'The piece as a Standard MIDI File; the token may be passed as ?access_token= for download links' })
  @ApiProduces('audio/midi')
  @ApiResponse({ status: 200, description: 'MIDI file' })
  @ApiResponse({ status: 404, type: ProblemDto })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'The story is not finished yet' })
  async midi(@CurrentUser() user: AuthUser, @IdParam() id: string, @Res() res: Response): Promise<void> {
    await sendDownload(res, { ...(await this.stories.file(user, id, 'midi')), filename: `story-${id.slice(0, 8)}.mid` }, { attachment: true });
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete one of your stories and its music' })
  @ApiNoContentResponse()
  @ApiResponse({ status: 404, type: ProblemDto })
  remove(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<void> {
    return this.stories.remove(user, id);
  }
}
