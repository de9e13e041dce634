import { Kysely, sql } from 'kysely';

/**
 * One row per piece of work a user started against an hourly quota (music generations, stories). Kept apart from
 * the work's own rows, so deleting a generation does not give its use back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('job_quota_uses')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('job_quota_uses_user_kind_used_at').on('job_quota_uses').columns(['user_id', 'kind', 'used_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('job_quota_uses').execute();
}
