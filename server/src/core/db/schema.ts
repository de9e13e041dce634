import type { ColumnType, Generated } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in on insert. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type UserRole = 'user' | 'admin';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  role: UserRole;
  created_at: CreatedAt;
}

export interface RefreshTokensTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  replaced_by: string | null;
  created_at: CreatedAt;
}

export type MusicGenerationState = 'queued' | 'active' | 'completed' | 'failed';

/** One music generation of a user (music/music.repository.ts). */
export interface MusicGenerationsTable {
  id: string;
  user_id: string;
  kind: 'emotion' | 'topic';
  /** The normalised request body (JSON). */
  request: ColumnType<unknown, string, string>;
  seed: ColumnType<string, number, number>;
  cache_key: string;
  state: MusicGenerationState;
  from_cache: ColumnType<boolean, boolean | undefined, boolean>;
  /** MusicGenerationResult (JSON) once completed. */
  result: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  created_at: CreatedAt;
  finished_at: Timestamp | null;
}

/** One ensemble room's life (ensemble/ensemble.repository.ts); the room itself lives in Redis. */
export interface EnsembleSessionsTable {
  id: string;
  code: string;
  name: string;
  owner_id: string;
  created_at: CreatedAt;
  closed_at: Timestamp | null;
}

export type EnsembleAudioState = 'none' | 'queued' | 'active' | 'completed' | 'failed';

/** A recorded stretch of an ensemble session: multi-track MIDI, and audio once rendered. */
export interface EnsembleRecordingsTable {
  id: string;
  session_id: string;
  owner_id: string;
  name: string;
  midi: Uint8Array;
  duration_sec: number;
  tempo: number;
  key_name: string | null;
  /** SessionTrack[] (JSON). */
  tracks: ColumnType<unknown, string, string>;
  audio_state: ColumnType<EnsembleAudioState, EnsembleAudioState | undefined, EnsembleAudioState>;
  audio_error: string | null;
  created_at: CreatedAt;
}

/** Who may see a recording: everyone who was in the room while it was made. */
export interface EnsembleRecordingMembersTable {
  recording_id: string;
  user_id: string;
}

/** Every table the server owns; each feature adds its tables here (and a migration). */
export interface DB {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  music_generations: MusicGenerationsTable;
  ensemble_sessions: EnsembleSessionsTable;
  ensemble_recordings: EnsembleRecordingsTable;
  ensemble_recording_members: EnsembleRecordingMembersTable;
}
