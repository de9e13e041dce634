import { Kysely, sql } from 'kysely';

/**
 * The fix audit names who acted as they were called then (a user's email, or aiops-policy), beside the durable id:
 * an audit entry must still say who it was after the user changes their email or is deleted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('aiops_fix_audit').addColumn('actor_name', 'text').execute();
  await sql`update aiops_fix_audit a set actor_name = coalesce((select u.email from users u where u.id::text = a.actor), a.actor)`.execute(db);
  await db.schema
    .alterTable('aiops_fix_audit')
    .alterColumn('actor_name', (c) => c.setNotNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('aiops_fix_audit').dropColumn('actor_name').execute();
}
