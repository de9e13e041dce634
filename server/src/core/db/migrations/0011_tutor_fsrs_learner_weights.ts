import { Kysely, sql } from 'kysely';

/**
 * A learner's own FSRS weights, fitted on their attempts alone by a refit once they have enough long-term reviews and
 * taken only where they predicted the learner's held-out cards better than the weights the learner was scheduled with.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tutor_fsrs_learner_weights')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('fit_id', 'uuid', (c) => c.notNull().references('tutor_fsrs_fits.id').onDelete('cascade'))
    .addColumn('weights', sql`double precision[]`, (c) => c.notNull())
    .addColumn('reviews', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tutor_fsrs_learner_weights').execute();
}
