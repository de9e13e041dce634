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

/** An analysis the user saved (multimodal/multimodal.repository.ts); its picture and recording are files. */
export interface MultimodalAnalysesTable {
  id: string;
  user_id: string;
  /** The analysis as `POST /api/multimodal/analyze` answered it (JSON). */
  result: ColumnType<unknown, string, string>;
  text: string | null;
  image_type: 'jpeg' | 'png' | 'webp' | null;
  image_width: number | null;
  image_height: number | null;
  audio_duration_sec: number | null;
  created_at: CreatedAt;
}

/** One storyteller job of a user (multimodal/multimodal.repository.ts). */
export interface MultimodalStoriesTable {
  id: string;
  user_id: string;
  title: string;
  text: string;
  seed: ColumnType<string, number, number>;
  state: MusicGenerationState;
  /** The stored story result (JSON) once completed. */
  result: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  created_at: CreatedAt;
  finished_at: Timestamp | null;
}

/** Every table the server owns; each feature adds its tables here (and a migration). */
export interface DB {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  music_generations: MusicGenerationsTable;
  multimodal_analyses: MultimodalAnalysesTable;
  multimodal_stories: MultimodalStoriesTable;
}
