import { Controller, Delete, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import { UuidParam } from '../core/validation/uuid-param';
import { ApiAcceptedResponse, ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AllowQueryToken, type AuthUser, CurrentUser } from '../core/auth/auth.decorators';
import { ProblemDto } from '../core/errors/problem.dto';
import { sendDownload } from '../core/http/send-download';
import { JobAcceptedDto } from '../core/jobs/dto/job.dto';
import {
  OpenRoomDto,
  OpenRoomsDto,
  RecordingAudioQueryDto,
  RecordingAudioStatusDto,
  RecordingDto,
  RecordingMidiQueryDto,
  RecordingsPageDto,
  RecordingsQueryDto,
  RoomCodeParamDto,
} from './dto/ensemble-rest.dto';
import { EnsembleRecordingsService } from './ensemble-recordings.service';
import { EnsembleRoomsService } from './ensemble-rooms.service';
import type { RecordingRow } from './ensemble.repository';

const IdParam = () => UuidParam('id');

/** REST beside the `/ensemble` Socket.IO namespace: the lobby and the recordings (playing happens on the socket). */
@ApiTags('ensemble')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ProblemDto, description: 'Missing or expired access token' })
@Controller('ensemble')
export class EnsembleController {
  constructor(
    private readonly rooms: EnsembleRoomsService,
    private readonly recordings: EnsembleRecordingsService,
  ) {}

  @Get('rooms')
  @ApiOperation({ summary: 'The lobby: open rooms, newest first (join one on the /ensemble socket with room:join { code })' })
  @ApiOkResponse({ type: OpenRoomsDto })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'Redis unavailable' })
  async lobby(): Promise<OpenRoomsDto> {
    return { items: await this.rooms.lobby() };
  }

  @Get('rooms/:code')
  @ApiOperation({ summary: 'One room by its code (what a join link shows before joining), open or not' })
  @ApiOkResponse({ type: OpenRoomDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  async room(@Param() params: RoomCodeParamDto): Promise<OpenRoomDto> {
    const room = await this.rooms.byCode(params.code);
    if (!room) throw new NotFoundException(`There is no room with code ${params.code}.`);
    return room;
  }

  @Get('recordings')
  @ApiOperation({ summary: 'Recordings of the sessions the caller took part in, newest first' })
  @ApiOkResponse({ type: RecordingsPageDto })
  async list(@CurrentUser() user: AuthUser, @Query() query: RecordingsQueryDto): Promise<RecordingsPageDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { items, total } = await this.recordings.list(user, page, pageSize);
    return { items: items.map((row) => recordingDto(row, user)), total, page, pageSize };
  }

  @Get('recordings/:id')
  @ApiOperation({ summary: 'One recording: tracks, key, tempo and its audio state' })
  @ApiOkResponse({ type: RecordingDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  async get(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<RecordingDto> {
    return recordingDto(await this.recordings.get(user, id), user);
  }

  @Get('recordings/:id/midi')
  @AllowQueryToken()
  @ApiOperation({ summary: 'The recording as a multi-track Standard MIDI File (one track per member and part)' })
  @ApiProduces('audio/midi')
  @ApiOkResponse({ description: 'SMF format 1' })
  @ApiResponse({ status: 404, type: ProblemDto })
  async midi(@CurrentUser() user: AuthUser, @IdParam() id: string, @Query() _query: RecordingMidiQueryDto, @Res() res: Response): Promise<void> {
    await sendDownload(res, await this.recordings.midi(user, id), { attachment: true });
  }

  @Post('recordings/:id/audio')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Renders the recording to audio (WAV + MP3) with the bundled SoundFont on the ensemble-render queue' })
  @ApiAcceptedResponse({ type: JobAcceptedDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  @ApiResponse({ status: 503, type: ProblemDto, description: 'Queue unavailable (Retry-After)' })
  render(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<JobAcceptedDto> {
    return this.recordings.render(user, id);
  }

  @Get('recordings/:id/audio/status')
  @ApiOperation({ summary: "The recording's audio render: none, queued, active, completed or failed" })
  @ApiOkResponse({ type: RecordingAudioStatusDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  audioStatus(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<RecordingAudioStatusDto> {
    return this.recordings.renderStatus(user, id);
  }

  @Get('recordings/:id/audio')
  @AllowQueryToken()
  @ApiOperation({ summary: 'The rendered audio (MP3 by default, or WAV); supports HTTP Range requests' })
  @ApiProduces('audio/mpeg', 'audio/wav')
  @ApiOkResponse({ description: 'The audio' })
  @ApiResponse({ status: 206, description: 'The requested byte range (Content-Range)' })
  @ApiResponse({ status: 404, type: ProblemDto })
  @ApiResponse({ status: 409, type: ProblemDto, description: 'Not rendered yet' })
  async audio(@CurrentUser() user: AuthUser, @IdParam() id: string, @Query() query: RecordingAudioQueryDto, @Res() res: Response): Promise<void> {
    await sendDownload(res, await this.recordings.audio(user, id, query.format ?? 'mp3'), { attachment: query.download === 1, maxAgeSec: 3600 });
  }

  @Delete('recordings/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Deletes a recording the caller made' })
  @ApiNoContentResponse()
  @ApiResponse({ status: 403, type: ProblemDto })
  @ApiResponse({ status: 404, type: ProblemDto })
  remove(@CurrentUser() user: AuthUser, @IdParam() id: string): Promise<void> {
    return this.recordings.remove(user, id);
  }
}

function recordingDto(row: RecordingRow, user: AuthUser): RecordingDto {
  return {
    id: row.id,
    sessionId: row.sessionId,
    name: row.name,
    durationSec: row.durationSec,
    tempo: row.tempo,
    ...(row.keyName ? { key: row.keyName } : {}),
    tracks: row.tracks,
    audio: row.audioState,
    ...(row.audioError ? { audioError: row.audioError } : {}),
    mine: row.ownerId === user.id,
    createdAt: row.createdAt.toISOString(),
  };
}
