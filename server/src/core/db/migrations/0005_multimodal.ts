import { Kysely, sql } from 'kysely';

/**
 * Multimodal: analyses a user chose to save (the result; the picture and recording are files beside it) and
 * storyteller jobs (the story, its state, and once completed the scenes, arc, timeline and piece).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('multimodal_analyses')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('result', 'jsonb', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('image_type', 'text', (c) => c.check(sql`image_type in ('jpeg', 'png', 'webp')`))
    .addColumn('image_width', 'integer')
    .addColumn('image_height', 'integer')
    .addColumn('audio_duration_sec', 'double precision')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('multimodal_analyses_user_created_idx').on('multimodal_analyses').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('multimodal_stories')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('seed', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('queued', 'active', 'completed', 'failed')`))
    .addColumn('result', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('multimodal_stories_user_created_idx').on('multimodal_stories').columns(['user_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('multimodal_stories').execute();
  await db.schema.dropTable('multimodal_analyses').execute();
}
