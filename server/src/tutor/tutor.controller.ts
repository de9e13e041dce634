import { Body, Controller, Get, HttpCode, HttpStatus, Post, Put, Query, Req, Res } from '@nestjs/common';
import { UuidParam } from '../core/validation/uuid-param';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AllowQueryToken, AuthUser, CurrentUser } from '../core/auth/auth.decorators';
import { AppConfig } from '../core/config/app-config';
import { ProblemDto } from '../core/errors/problem.dto';
import { sendDownload } from '../core/http/send-download';
import { readMultipart } from '../core/http/multipart';
import { AssessmentDto, AssessRequestDto } from './dto/assessment.dto';
import {
  AnswerAttemptDto,
  AttemptResultDto,
  AudioQueryDto,
  CourseMapDto,
  ExerciseDto,
  HistoryPageDto,
  HistoryQueryDto,
  NextExerciseRequestDto,
  ProgressDto,
  RecordingAttemptDto,
  TodayPlanDto,
  TutorSettingsDto,
} from './dto/tutor.dto';
import { TutorAssessmentService } from './tutor-assessment.service';
import { assessForm, recordingForm } from './tutor-forms';
import { TutorService } from './tutor.service';

const IdParam = () => UuidParam('id');

@ApiTags('tutor')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ProblemDto, description: 'Missing or expired access token' })
@Controller('tutor')
export class TutorController {
  constructor(
    private readonly config: AppConfig,
    private readonly assessment: TutorAssessmentService,
    private readonly tutor: TutorService,
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

  @Get('skills')
  @ApiOperation({ summary: 'The course map: every skill by area with mastery, ability, unlock state and its items' })
  @ApiOkResponse({ type: CourseMapDto })
  skills(@CurrentUser() user: AuthUser): Promise<CourseMapDto> {
    return this.tutor.courseMap(user);
  }

  @Get('plan')
  @ApiOperation({ summary: "Today's plan: reviews due (FSRS) and new material, each with its reason; recommendations; streak" })
  @ApiOkResponse({ type: TodayPlanDto })
  plan(@CurrentUser() user: AuthUser): Promise<TodayPlanDto> {
    return this.tutor.todayPlan(user);
  }

  @Post('exercises/next')
  @ApiOperation({
    summary: 'The next exercise the planner chooses (or one of a skill the learner picks, also ahead of the plan), with its audio URL and notation',
  })
  @ApiOkResponse({ type: ExerciseDto })
  @ApiResponse({ status: 400, type: ProblemDto })
  @HttpCode(HttpStatus.OK)
  next(@CurrentUser() user: AuthUser, @Body() body: NextExerciseRequestDto): Promise<ExerciseDto> {
    return this.tutor.nextExercise(user, body);
  }

  @Get('exercises/:id')
  @ApiOperation({ summary: 'An exercise handed out earlier' })
  @ApiOkResponse({ type: ExerciseDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  exercise(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<ExerciseDto> {
    return this.tutor.exercise(user, id);
  }

  @Get('exercises/:id/audio')
  @AllowQueryToken()
  @ApiOperation({ summary: 'The exercise audio (MP3, rendered by the SoundFont synthesizer and cached); an <audio> element may pass ?access_token=' })
  @ApiProduces('audio/mpeg')
  @ApiResponse({ status: 200, description: 'MP3' })
  @ApiResponse({ status: 206, description: 'The requested byte range (Content-Range)' })
  @ApiResponse({ status: 404, type: ProblemDto })
  async audio(@CurrentUser() user: AuthUser, @IdParam() id: string, @Query() _query: AudioQueryDto, @Res() res: Response): Promise<void> {
    const clip = await this.tutor.exerciseAudio(user, id);
    await sendDownload(res, { path: clip.path, contentType: 'audio/mpeg', filename: `exercise-${id.slice(0, 8)}.mp3` });
  }

  @Post('exercises/:id/answer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Answer a drill: a choice (ear training), note names (reading) or tap times (rhythm); updates ability, FSRS card and streak' })
  @ApiOkResponse({ type: AttemptResultDto })
  @ApiResponse({ status: 400, type: ProblemDto, description: 'The answer does not fit the exercise; `errors` names the field' })
  @ApiResponse({ status: 404, type: ProblemDto })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'Already answered' })
  answer(@CurrentUser() user: AuthUser, @IdParam() id: string, @Body() body: AnswerAttemptDto): Promise<AttemptResultDto> {
    return this.tutor.answer(user, id, body);
  }

  @Post('exercises/:id/recording')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Hand in a sung or played take (WAV) of a sight-singing or play-back exercise: assessed note by note, then recorded' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: RecordingAttemptDto })
  @ApiOkResponse({ type: AttemptResultDto })
  @ApiResponse({ status: 400, type: ProblemDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'Already answered' })
  @ApiResponse({ status: 413, type: ProblemDto, description: 'Recording longer than 60 s' })
  @ApiResponse({ status: 415, type: ProblemDto, description: 'Not multipart/form-data' })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'All assessment workers busy (Retry-After)' })
  async recording(@CurrentUser() user: AuthUser, @IdParam() id: string, @Req() request: Request): Promise<AttemptResultDto> {
    return this.tutor.recording(user, id, await readMultipart(request, recordingForm(this.config.TUTOR_MAX_AUDIO_BYTES)));
  }

  @Get('settings')
  @ApiOperation({ summary: "The learner's settings: the time zone their days are counted in" })
  @ApiOkResponse({ type: TutorSettingsDto })
  settings(@CurrentUser() user: AuthUser): Promise<TutorSettingsDto> {
    return this.tutor.settings(user);
  }

  @Put('settings')
  @ApiOperation({ summary: "Sets the time zone the learner's streak, today's plan and daily activity are counted in (the page sends the browser's)" })
  @ApiOkResponse({ type: TutorSettingsDto })
  @ApiResponse({ status: 400, type: ProblemDto, description: 'Not an IANA time zone; `errors` names `timeZone`' })
  updateSettings(@CurrentUser() user: AuthUser, @Body() body: TutorSettingsDto): Promise<TutorSettingsDto> {
    return this.tutor.updateSettings(user, body);
  }

  @Get('progress')
  @ApiOperation({ summary: 'Progress: attempts, mastered skills, streak, ability and mastery over time per skill, daily activity' })
  @ApiOkResponse({ type: ProgressDto })
  progress(@CurrentUser() user: AuthUser): Promise<ProgressDto> {
    return this.tutor.progress(user);
  }

  @Get('history')
  @ApiOperation({ summary: 'Your attempts, newest first (paged)' })
  @ApiOkResponse({ type: HistoryPageDto })
  history(@CurrentUser() user: AuthUser, @Query() query: HistoryQueryDto): Promise<HistoryPageDto> {
    return this.tutor.history(user, query.page ?? 1, query.pageSize ?? 20);
  }
}
