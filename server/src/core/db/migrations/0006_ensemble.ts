import { Kysely, sql } from 'kysely';

/** Ensemble: one session per room, its recordings (multi-track MIDI, optional rendered audio) and who took part. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ensemble_sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('ensemble_recordings')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('ensemble_sessions.id').onDelete('cascade'))
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('midi', 'bytea', (c) => c.notNull())
    .addColumn('duration_sec', 'real', (c) => c.notNull())
    .addColumn('tempo', 'real', (c) => c.notNull())
    .addColumn('key_name', 'text')
    .addColumn('tracks', 'jsonb', (c) => c.notNull())
    .addColumn('audio_state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('none')
        .check(sql`audio_state in ('none', 'queued', 'active', 'completed', 'failed')`),
    )
    .addColumn('audio_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('ensemble_recording_members')
    .addColumn('recording_id', 'uuid', (c) => c.notNull().references('ensemble_recordings.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('ensemble_recording_members_pk', ['recording_id', 'user_id'])
    .execute();
  await db.schema.createIndex('ensemble_recording_members_user_idx').on('ensemble_recording_members').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ensemble_recording_members').execute();
  await db.schema.dropTable('ensemble_recordings').execute();
  await db.schema.dropTable('ensemble_sessions').execute();
}
