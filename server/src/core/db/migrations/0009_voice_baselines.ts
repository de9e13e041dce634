import { Kysely, sql } from 'kysely';

/**
 * Each user's running voice baseline (the voice recogniser's speaker adaptation), kept in the database instead of
 * one replica's memory, so that it survives restarts and every replica reads a user alike.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('multimodal_voice_baselines')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('recordings', 'integer', (c) => c.notNull())
    .addColumn('mean', sql`double precision[]`, (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('multimodal_voice_baselines').execute();
}
