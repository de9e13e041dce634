import { Kysely, sql } from 'kysely';

/**
 * Every refit of the tutor's FSRS weights from its own review logs: what was fitted, how it predicted held-out
 * cards against the weights in use, and whether it was taken. The latest accepted row is what the planner schedules with.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tutor_fsrs_fits')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('requested_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('accepted', 'boolean', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('weights', sql`double precision[]`, (c) => c.notNull())
    .addColumn('report', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('tutor_fsrs_fits_created').on('tutor_fsrs_fits').columns(['created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tutor_fsrs_fits').execute();
}
