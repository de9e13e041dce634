import { Kysely, sql } from 'kysely';

/**
 * One row per fix action being applied (or reverted) right now, with a lease that expires: every replica and the
 * automatic policy take it before they check, apply and record, so one action never runs twice at once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('aiops_fix_leases')
    .addColumn('action', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'uuid', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('aiops_fix_leases').execute();
}
