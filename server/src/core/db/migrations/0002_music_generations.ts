import { Kysely, sql } from 'kysely';

/** Music generations: one row per user request (a cache hit for another user gets its own row). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('music_generations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('emotion', 'topic')`))
    .addColumn('request', 'jsonb', (c) => c.notNull())
    .addColumn('seed', 'bigint', (c) => c.notNull())
    .addColumn('cache_key', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('queued', 'active', 'completed', 'failed')`))
    .addColumn('from_cache', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('result', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('music_generations_user_created_idx').on('music_generations').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('music_generations_cache_key_idx').on('music_generations').column('cache_key').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('music_generations').execute();
}
