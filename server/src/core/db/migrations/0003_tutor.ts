import { Kysely, sql } from 'kysely';

/**
 * The tutor's progress: learners (streaks), per-skill ability now and over time, FSRS cards per item, the shared item
 * calibration, the exercises handed out and the attempts at them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tutor_learners')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('streak_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('longest_streak_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_practice_day', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('tutor_skill_abilities')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('skill_id', 'text', (c) => c.notNull())
    .addColumn('theta', 'double precision', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('successes', 'integer', (c) => c.notNull())
    .addColumn('last_practiced', 'timestamptz')
    .addPrimaryKeyConstraint('tutor_skill_abilities_pk', ['user_id', 'skill_id'])
    .execute();
  await db.schema
    .createTable('tutor_ability_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('skill_id', 'text', (c) => c.notNull())
    .addColumn('theta', 'double precision', (c) => c.notNull())
    .addColumn('mastery', 'double precision', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('tutor_ability_history_user_idx').on('tutor_ability_history').columns(['user_id', 'recorded_at']).execute();
  await db.schema
    .createTable('tutor_cards')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('card', 'jsonb', (c) => c.notNull())
    .addColumn('due', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('tutor_cards_pk', ['user_id', 'item_id'])
    .execute();
  await db.schema
    .createTable('tutor_item_calibration')
    .addColumn('item_id', 'text', (c) => c.primaryKey())
    .addColumn('difficulty', 'double precision', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('tutor_exercises')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('skill_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('seed', 'integer', (c) => c.notNull())
    .addColumn('plan_kind', 'text', (c) => c.notNull().check(sql`plan_kind in ('review', 'practice', 'new', 'chosen')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('predicted_success', 'double precision', (c) => c.notNull())
    .addColumn('exercise', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('attempted_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('tutor_exercises_user_idx').on('tutor_exercises').columns(['user_id', 'created_at']).execute();
  await db.schema
    .createTable('tutor_attempts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('exercise_id', 'uuid', (c) => c.notNull().references('tutor_exercises.id').onDelete('cascade'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('skill_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('correct', 'boolean', (c) => c.notNull())
    .addColumn('result', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('tutor_attempts_user_idx').on('tutor_attempts').columns(['user_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'tutor_attempts',
    'tutor_exercises',
    'tutor_item_calibration',
    'tutor_cards',
    'tutor_ability_history',
    'tutor_skill_abilities',
    'tutor_learners',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
