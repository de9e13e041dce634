import { Injectable } from '@nestjs/common';
import { Database, InjectDatabase } from '../core/db/database';
import { type Page, selectPage } from '../core/db/paging';
import type { EnsembleAudioState } from '../core/db/schema';
import type { SessionTrack } from './engine';

export interface RecordingRow {
  id: string;
  sessionId: string;
  ownerId: string;
  name: string;
  durationSec: number;
  tempo: number;
  keyName: string | null;
  tracks: SessionTrack[];
  audioState: EnsembleAudioState;
  audioError: string | null;
  createdAt: Date;
}

export interface NewRecording {
  id: string;
  sessionId: string;
  ownerId: string;
  name: string;
  midi: Uint8Array;
  durationSec: number;
  tempo: number;
  keyName?: string;
  tracks: SessionTrack[];
  /** Users who may see it: everyone who was in the room. */
  memberUserIds: string[];
}

const COLUMNS = [
  'r.id',
  'r.session_id',
  'r.owner_id',
  'r.name',
  'r.duration_sec',
  'r.tempo',
  'r.key_name',
  'r.tracks',
  'r.audio_state',
  'r.audio_error',
  'r.created_at',
] as const;

/** The only place that reads or writes the ensemble tables. */
@Injectable()
export class EnsembleRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  async insertSession(session: { id: string; code: string; name: string; ownerId: string }): Promise<void> {
    await this.db.insertInto('ensemble_sessions').values({ id: session.id, code: session.code, name: session.name, owner_id: session.ownerId }).execute();
  }

  async closeSession(id: string): Promise<void> {
    await this.db.updateTable('ensemble_sessions').set({ closed_at: new Date() }).where('id', '=', id).where('closed_at', 'is', null).execute();
  }

  async insertRecording(recording: NewRecording): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('ensemble_recordings')
        .values({
          id: recording.id,
          session_id: recording.sessionId,
          owner_id: recording.ownerId,
          name: recording.name,
          midi: recording.midi,
          duration_sec: recording.durationSec,
          tempo: recording.tempo,
          key_name: recording.keyName ?? null,
          tracks: JSON.stringify(recording.tracks),
        })
        // A stop whose first save committed but whose answer was lost saves the longer session over it.
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            midi: eb.ref('excluded.midi'),
            duration_sec: eb.ref('excluded.duration_sec'),
            tempo: eb.ref('excluded.tempo'),
            key_name: eb.ref('excluded.key_name'),
            tracks: eb.ref('excluded.tracks'),
          })),
        )
        .execute();
      const users = [...new Set([recording.ownerId, ...recording.memberUserIds])];
      await tx
        .insertInto('ensemble_recording_members')
        .values(users.map((userId) => ({ recording_id: recording.id, user_id: userId })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    });
  }

  /** A recording the user may see (they were in the room), or undefined. */
  async findVisible(id: string, userId: string): Promise<RecordingRow | undefined> {
    const row = await this.db
      .selectFrom('ensemble_recordings as r')
      .innerJoin('ensemble_recording_members as m', 'm.recording_id', 'r.id')
      .select(COLUMNS)
      .where('r.id', '=', id)
      .where('m.user_id', '=', userId)
      .executeTakeFirst();
    return row && toRow(row);
  }

  async listVisible(userId: string, offset: number, limit: number): Promise<Page<RecordingRow>> {
    const page = await selectPage(
      this.db.selectFrom('ensemble_recordings as r').innerJoin('ensemble_recording_members as m', 'm.recording_id', 'r.id').where('m.user_id', '=', userId),
      (query) => query.select(COLUMNS).orderBy('r.created_at', 'desc').orderBy('r.id'),
      offset,
      limit,
    );
    return { rows: page.rows.map(toRow), total: page.total };
  }

  async midi(id: string): Promise<Uint8Array | undefined> {
    const row = await this.db.selectFrom('ensemble_recordings').select('midi').where('id', '=', id).executeTakeFirst();
    return row ? new Uint8Array(row.midi) : undefined;
  }

  /** Answers whether the recording still exists. */
  async setAudioState(id: string, state: EnsembleAudioState, error: string | null = null): Promise<boolean> {
    const result = await this.db.updateTable('ensemble_recordings').set({ audio_state: state, audio_error: error }).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Deletes the user's own recording; answers whether there was one. */
  async deleteOwned(id: string, userId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('ensemble_recordings').where('id', '=', id).where('owner_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

type Selected = {
  id: string;
  session_id: string;
  owner_id: string;
  name: string;
  duration_sec: number;
  tempo: number;
  key_name: string | null;
  tracks: unknown;
  audio_state: EnsembleAudioState;
  audio_error: string | null;
  created_at: Date;
};

function toRow(row: Selected): RecordingRow {
  return {
    id: row.id,
    sessionId: row.session_id,
    ownerId: row.owner_id,
    name: row.name,
    durationSec: Number(row.duration_sec),
    tempo: Number(row.tempo),
    keyName: row.key_name,
    tracks: (typeof row.tracks === 'string' ? JSON.parse(row.tracks) : row.tracks) as SessionTrack[],
    audioState: row.audio_state,
    audioError: row.audio_error,
    createdAt: new Date(row.created_at),
  };
}
