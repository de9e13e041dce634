import { Kysely, sql } from 'kysely';

/** AIOps: sampled time series, log patterns over time, alerts, incidents, silences and the audit of fixes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('aiops_series')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('labels', 'jsonb', (c) => c.notNull())
    .addColumn('component', 'text', (c) => c.notNull())
    .addColumn('detector', 'jsonb')
    .addColumn('last_value', 'double precision')
    .addColumn('last_score', 'double precision')
    .addColumn('last_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('aiops_series_metric_idx').on('aiops_series').column('metric').execute();
  // step_s 0: raw samples (kept AIOPS_RAW_RETENTION_HOURS); 300: five-minute averages (kept AIOPS_RETENTION_DAYS)
  await db.schema
    .createTable('aiops_samples')
    .addColumn('series_id', 'integer', (c) => c.notNull().references('aiops_series.id').onDelete('cascade'))
    .addColumn('step_s', 'integer', (c) => c.notNull())
    .addColumn('ts', 'timestamptz', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('score', 'double precision')
    .addPrimaryKeyConstraint('aiops_samples_pk', ['series_id', 'step_s', 'ts'])
    .execute();
  await db.schema
    .createTable('aiops_log_patterns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('component', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('first_seen', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen', 'timestamptz', (c) => c.notNull())
    .addColumn('last_event', 'text')
    .addColumn('last_event_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('aiops_log_counts')
    .addColumn('pattern_id', 'text', (c) => c.notNull().references('aiops_log_patterns.id').onDelete('cascade'))
    .addColumn('bucket', 'timestamptz', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('aiops_log_counts_pk', ['pattern_id', 'bucket'])
    .execute();
  await db.schema
    .createTable('aiops_incidents')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('critical', 'warning', 'info')`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('firing', 'acknowledged', 'resolved')`))
    .addColumn('components', 'jsonb', (c) => c.notNull())
    .addColumn('causes', 'jsonb', (c) => c.notNull())
    .addColumn('signals', 'jsonb', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('quiet_since', 'timestamptz')
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('acknowledged_by', 'text')
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_by', 'text')
    .execute();
  await db.schema.createIndex('aiops_incidents_started_idx').on('aiops_incidents').column('started_at').execute();
  await db.schema
    .createTable('aiops_alerts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('threshold', 'anomaly', 'forecast', 'log', 'health')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('component', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('critical', 'warning', 'info')`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('firing', 'resolved')`))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('labels', 'jsonb', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('strength', 'double precision', (c) => c.notNull())
    .addColumn('silenced_by', 'uuid')
    .addColumn('incident_id', 'uuid', (c) => c.references('aiops_incidents.id').onDelete('set null'))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('aiops_alerts_fingerprint_idx').on('aiops_alerts').columns(['fingerprint', 'state']).execute();
  await db.schema.createIndex('aiops_alerts_incident_idx').on('aiops_alerts').column('incident_id').execute();
  await db.schema
    .createTable('aiops_silences')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('matchers', 'jsonb', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('aiops_fix_audit')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('incident_id', 'uuid', (c) => c.references('aiops_incidents.id').onDelete('set null'))
    .addColumn('fix_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('dry-run', 'execute', 'revert')`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('automatic', 'boolean', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('planned', 'succeeded', 'failed', 'refused')`))
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('changes', 'jsonb', (c) => c.notNull())
    .addColumn('undo', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('aiops_fix_audit_created_idx').on('aiops_fix_audit').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'aiops_fix_audit',
    'aiops_silences',
    'aiops_alerts',
    'aiops_incidents',
    'aiops_log_counts',
    'aiops_log_patterns',
    'aiops_samples',
    'aiops_series',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
