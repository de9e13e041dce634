import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ForbiddenException, HttpStatus, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../core/auth/auth.decorators';
import { AppConfig } from '../core/config/app-config';
import { ProblemException, ServiceUnavailableProblem } from '../core/errors/problem';
import type { JobAcceptedDto } from '../core/jobs/dto/job.dto';
import { eventsUrlOf, JobsService, LOST_JOB_REASON } from '../core/jobs/jobs.service';
import { QUEUES } from '../core/jobs/queues';
import { ACCOMPANIST_CHANNELS, ACCOMPANIST_STYLES, DRUM_CHANNEL, recordSession, type SessionMember } from './engine';
import type { DeliveredNote } from './ensemble-accompanists.service';
import { EnsembleRoomsService, type Membership } from './ensemble-rooms.service';
import { EnsembleRoomsStore } from './ensemble-rooms.store';
import { ENSEMBLE_LIMITS } from './ensemble.limits';
import { EnsembleRepository, type RecordingRow } from './ensemble.repository';
import type { RoomRecord, RoomState } from './ensemble.types';
import { sharedNow } from './shared-time';
import { writeFileAtomically } from '../core/files/write-file-atomically';

export const RECORDING_AUDIO_FORMATS = ['mp3', 'wav'] as const;
export type RecordingAudioFormat = (typeof RECORDING_AUDIO_FORMATS)[number];

/** The render job's data: the job id is the recording's id. */
export interface EnsembleRenderJobData {
  userId: string;
  recordingId: string;
}

export interface RecordingFile {
  path?: string;
  bytes?: Uint8Array;
  size: number;
  contentType: string;
  filename: string;
}

/** Notes from other replicas reach the recording buffer within this long; a stop waits for them. */
const SETTLE_MS = 150;

/**
 * Session recording: while a room records, every note (players' and the accompanist's) is appended to the room's
 * Redis buffer by the replica that relays it; a stop turns the buffer into multi-track MIDI (the engine's
 * `recordSession`), stored with the session; on request it is rendered to audio on the ensemble-render queue with the
 * music module's renderer (the bundled SoundFont), for download.
 */
@Injectable()
export class EnsembleRecordingsService {
  private readonly logger = new Logger(EnsembleRecordingsService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly store: EnsembleRoomsStore,
    private readonly rooms: EnsembleRoomsService,
    private readonly repository: EnsembleRepository,
    private readonly jobs: JobsService,
  ) {
    // A render's job id is its recording's: every member who may see the recording follows the render another started.
    jobs.shareJobs(QUEUES.ensembleRender, async (id, user) => (await this.repository.findVisible(id, user.id)) !== undefined);
  }

  get audioDir(): string {
    return join(this.config.dataDir, 'ensemble', 'recordings');
  }

  /** Called on the note path for rooms that record (the cached state says so). */
  capture(state: RoomState, note: DeliveredNote): void {
    if (!state.recording) return;
    this.store.appendRecorded(state.recording.id, note);
  }

  async start(membership: Membership): Promise<RoomState> {
    if (membership.role !== 'player') throw new ForbiddenException('Listeners cannot record.');
    const recording = { id: randomUUID(), startedAt: sharedNow(), by: membership.userId };
    const state = await this.rooms.mutate(membership.roomId, (room) => {
      if (room.recording) throw new ProblemException(HttpStatus.CONFLICT, 'The room is already recording.');
      return { ...room, recording: { ...recording, timelines: [room.timeline] } };
    });
    if (!state) throw new NotFoundException('The room no longer exists.');
    // Its buffer is its own (keyed by its id): nothing of an earlier recording, still being saved, mixes in.
    for (const member of await this.store.members(state.id)) await this.store.rememberRecordedMember(recording.id, member);
    return state;
  }

  /**
   * Stops the room's recording and stores it; answers the recording (or 422 when nothing was played). When it cannot
   * be stored (the database is away), the room goes on recording with its buffer intact and the stop answers 503, so
   * a second stop saves the whole session.
   */
  async stop(membership: Membership): Promise<{ state: RoomState; recording?: RecordingRow }> {
    let stopped: RoomRecord | undefined;
    const state = await this.rooms.mutate(membership.roomId, (room) => {
      if (!room.recording) throw new ProblemException(HttpStatus.CONFLICT, 'The room is not recording.');
      stopped = room;
      return { ...room, recording: null };
    });
    if (!state || !stopped?.recording) throw new NotFoundException('The room no longer exists.');
    const [room, recording] = [stopped, stopped.recording];
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    let id: string | undefined;
    try {
      id = await this.insert(room, recording);
    } catch (error) {
      this.logger.warn(`Recording of room ${room.id} could not be saved; it goes on recording: ${(error as Error).message}`);
      // The same recording (its buffer, its id: had the insert committed after all, the next stop updates that row).
      await this.rooms.mutate(room.id, (now) => (now.recording ? undefined : { ...now, recording }));
      throw new ServiceUnavailableProblem('The recording could not be saved just now, so the room goes on recording; stop it again in a moment.');
    }
    return { state, recording: id === undefined ? undefined : await this.repository.findVisible(id, recording.by) };
  }

  /** Stops a recording that ran past its limits (checked on the note path every few hundred notes). */
  async enforceLimits(state: RoomState): Promise<void> {
    const running = state.recording;
    if (!running) return;
    const tooLong = sharedNow() - running.startedAt > ENSEMBLE_LIMITS.recordingMaxMs;
    if (!tooLong && (await this.store.recordedCount(running.id)) < ENSEMBLE_LIMITS.recordingMaxEvents) return;
    let stopped: RoomRecord | undefined;
    await this.rooms.mutate(state.id, (room) => {
      if (room.recording?.id !== running.id) return undefined;
      stopped = room;
      return { ...room, recording: null };
    });
    if (!stopped?.recording) return;
    const room = stopped;
    await this.insert(room, stopped.recording).catch((error: Error) => this.logger.warn(`Recording of room ${room.id}: ${error.message}`));
  }

  /**
   * Turns the recording's buffer into its row and answers its id (undefined when nothing was played). The buffer is
   * cleared only once the row is stored, so a failed insert leaves it for the next stop.
   */
  private async insert(room: RoomRecord, recording: NonNullable<RoomRecord['recording']>): Promise<string | undefined> {
    const [events, recorded, current] = await Promise.all([
      this.store.recordedEvents(recording.id),
      this.store.recordedMembers(recording.id),
      this.store.members(room.id),
    ]);
    if (!events.some((e) => e.type === 'on')) {
      await this.store.clearRecording(recording.id);
      return undefined;
    }
    const style = ACCOMPANIST_STYLES[room.accompanist.style] ?? ACCOMPANIST_STYLES.pop;
    const accompanistId = `ai-${room.id.slice(0, 8)}`;
    // Who joined as the recording started may be missing from its list: the room's members count too.
    const players = [...recorded, ...current.filter((m) => !recorded.some((r) => r.id === m.id))];
    const members: SessionMember[] = players.map((m) => ({ id: m.id, name: m.name, instrument: m.instrument }));
    members.push({
      id: accompanistId,
      name: 'AI accompanist',
      instrument: style.programs.chords,
      channelPrograms: {
        [ACCOMPANIST_CHANNELS.chords]: style.programs.chords,
        [ACCOMPANIST_CHANNELS.bass]: style.programs.bass,
        [ACCOMPANIST_CHANNELS.answer]: style.programs.answer,
        [DRUM_CHANNEL]: 0,
      },
    });
    const known = new Set(members.map((m) => m.id));
    const startedAt = new Date(Date.now() - (sharedNow() - recording.startedAt));
    const name = `${room.name} · ${startedAt.toISOString().slice(0, 16).replace('T', ' ')}`;
    const session = recordSession({
      title: name,
      members,
      events: events.filter((e) => known.has(e.memberId ?? '')),
      timeline: recording.timelines ?? [room.timeline],
      endTime: Math.max(...events.map((e) => e.time)),
    });
    const id = recording.id;
    await this.repository.insertRecording({
      id,
      sessionId: room.id,
      ownerId: recording.by,
      name,
      midi: session.midi,
      durationSec: Math.round(session.durationSec * 100) / 100,
      tempo: room.timeline.tempo,
      keyName: session.key?.name,
      tracks: session.tracks,
      memberUserIds: [...new Set(players.map((m) => m.userId))],
    });
    // Stored: a failure from here on must not resume the recording (the buffer expires by itself).
    await this.store.clearRecording(recording.id).catch((error: Error) => this.logger.warn(`Recording buffer of room ${room.id}: ${error.message}`));
    return id;
  }

  // ------------------------------------------------------------------ REST: list, read, render, download

  async list(user: AuthUser, page: number, pageSize: number): Promise<{ items: RecordingRow[]; total: number }> {
    const { rows, total } = await this.repository.listVisible(user.id, (page - 1) * pageSize, pageSize);
    return { items: rows, total };
  }

  async get(user: AuthUser, id: string): Promise<RecordingRow> {
    const row = await this.repository.findVisible(id, user.id);
    if (!row) throw new NotFoundException(`No recording ${id}.`);
    return row;
  }

  async midi(user: AuthUser, id: string): Promise<RecordingFile> {
    await this.get(user, id);
    const midi = await this.repository.midi(id);
    if (!midi) throw new NotFoundException(`No recording ${id}.`);
    return { bytes: midi, size: midi.byteLength, contentType: 'audio/midi', filename: `ensemble-${id.slice(0, 8)}.mid` };
  }

  /** Queues the audio render (202; the job id is the recording's); a recording rendered or rendering answers its job. */
  async render(user: AuthUser, id: string): Promise<JobAcceptedDto> {
    const row = await this.settledRender(user, await this.get(user, id));
    const statusUrl = (jobId: string) => `/api/ensemble/recordings/${jobId}/audio/status`;
    if (row.audioState === 'queued' || row.audioState === 'active' || row.audioState === 'completed') {
      return {
        id,
        queue: QUEUES.ensembleRender,
        state: row.audioState,
        statusUrl: statusUrl(id),
        ...(row.audioState === 'completed' ? {} : { eventsUrl: eventsUrlOf(QUEUES.ensembleRender, id) }),
      };
    }
    this.jobs.assertAvailable();
    // A failed render's job is kept for a week under the same id: it goes first, or the queue would ignore the new one.
    if (row.audioState === 'failed') await this.jobs.cancel(QUEUES.ensembleRender, id).catch(() => false);
    await this.repository.setAudioState(id, 'queued');
    try {
      const data: EnsembleRenderJobData = { userId: user.id, recordingId: id };
      return await this.jobs.submit(QUEUES.ensembleRender, 'ensemble-render', data, { id, statusUrl });
    } catch (error) {
      await this.repository.setAudioState(id, 'failed', 'The render could not be queued.');
      throw error;
    }
  }

  async renderStatus(user: AuthUser, id: string): Promise<{ state: RecordingRow['audioState']; error?: string }> {
    const row = await this.settledRender(user, await this.get(user, id));
    return { state: row.audioState, ...(row.audioError ? { error: row.audioError } : {}) };
  }

  /**
   * A render the row says is queued or running whose job is gone or over without the row hearing of it (its worker
   * died; BullMQ failed or removed it) is failed for good, with the job's error, so that it can be started again.
   */
  private async settledRender(user: AuthUser, row: RecordingRow): Promise<RecordingRow> {
    if (row.audioState !== 'queued' && row.audioState !== 'active') return row;
    const live = await this.jobs.find(QUEUES.ensembleRender, row.id);
    if (live && live.state !== 'completed' && live.state !== 'failed') return row;
    // The job may have finished between the two reads: the row, once final, is the record of truth.
    const fresh = await this.get(user, row.id);
    if (fresh.audioState !== 'queued' && fresh.audioState !== 'active') return fresh;
    await this.repository.setAudioState(row.id, 'failed', live?.error ?? LOST_JOB_REASON);
    return this.get(user, row.id);
  }

  async audio(user: AuthUser, id: string, format: RecordingAudioFormat): Promise<RecordingFile> {
    const row = await this.get(user, id);
    if (row.audioState !== 'completed') {
      throw new ProblemException(
        HttpStatus.CONFLICT,
        `The audio of recording ${id} is ${row.audioState === 'none' ? 'not rendered; POST …/audio first' : row.audioState}.`,
      );
    }
    const path = this.audioPath(id, format);
    if (!existsSync(path)) throw new NotFoundException(`Recording ${id} has no ${format} audio.`);
    return {
      path,
      size: (await stat(path)).size,
      contentType: format === 'mp3' ? 'audio/mpeg' : 'audio/wav',
      filename: `ensemble-${id.slice(0, 8)}.${format}`,
    };
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    if (!(await this.repository.deleteOwned(id, user.id))) {
      if (await this.repository.findVisible(id, user.id)) throw new ForbiddenException('Only who recorded it can delete a recording.');
      throw new NotFoundException(`No recording ${id}.`);
    }
    await this.discardAudio(id);
    // A render still queued would only fail on the missing recording; one that runs discards what it made.
    await this.jobs.cancel(QUEUES.ensembleRender, id).catch(() => false);
  }

  // ------------------------------------------------------------------ the render job

  async midiForRender(recordingId: string): Promise<Uint8Array | undefined> {
    return this.repository.midi(recordingId);
  }

  /** Answers whether the recording still exists (it may be deleted while it renders). */
  markRender(recordingId: string, state: 'active' | 'completed' | 'failed', error?: string): Promise<boolean> {
    return this.repository.setAudioState(recordingId, state, error ?? null);
  }

  async discardAudio(recordingId: string): Promise<void> {
    await Promise.all(RECORDING_AUDIO_FORMATS.map((f) => rm(this.audioPath(recordingId, f), { force: true })));
  }

  async storeAudio(recordingId: string, files: { wav: Uint8Array; mp3?: Uint8Array }): Promise<void> {
    await mkdir(this.audioDir, { recursive: true });
    for (const [format, bytes] of [
      ['wav', files.wav],
      ['mp3', files.mp3],
    ] as const) {
      if (!bytes) continue;
      const target = this.audioPath(recordingId, format);
      await writeFileAtomically(target, bytes);
    }
  }

  private audioPath(id: string, format: RecordingAudioFormat): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new NotFoundException(`No recording ${id}.`);
    return join(this.audioDir, `${id}.${format}`);
  }
}
