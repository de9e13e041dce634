import { Kysely } from 'kysely';

/** A learner's IANA time zone: streaks, "today" and daily activity count the learner's own calendar days. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('tutor_learners')
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tutor_learners').dropColumn('time_zone').execute();
}
