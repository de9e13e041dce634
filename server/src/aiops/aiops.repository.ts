import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database, InjectDatabase } from '../core/db/database';
import type { AiopsAlertSource, AiopsIncidentState, AiopsSeverity } from '../core/db/schema';

export interface SeriesRow {
  id: number;
  key: string;
  metric: string;
  labels: Record<string, string>;
  component: string;
  detector: unknown;
  last_value: number | null;
  last_score: number | null;
  last_at: Date | null;
}

export interface AlertRow {
  id: string;
  fingerprint: string;
  source: AiopsAlertSource;
  name: string;
  component: string;
  severity: AiopsSeverity;
  state: 'firing' | 'resolved';
  summary: string;
  labels: Record<string, string>;
  value: number | null;
  strength: number;
  silenced_by: string | null;
  incident_id: string | null;
  starts_at: Date;
  last_seen_at: Date;
  ends_at: Date | null;
}

export interface IncidentRow {
  id: string;
  title: string;
  severity: AiopsSeverity;
  state: AiopsIncidentState;
  components: string[];
  causes: unknown[];
  signals: unknown[];
  started_at: Date;
  updated_at: Date;
  quiet_since: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
}

export interface SilenceRow {
  id: string;
  matchers: Record<string, string>;
  comment: string;
  created_by: string;
  starts_at: Date;
  ends_at: Date;
  created_at: Date;
}

export interface AuditRow {
  id: string;
  incident_id: string | null;
  fix_id: string;
  mode: 'dry-run' | 'execute' | 'revert';
  actor: string;
  actor_name: string;
  automatic: boolean;
  outcome: 'planned' | 'succeeded' | 'failed' | 'refused';
  detail: string;
  changes: unknown[];
  undo: unknown;
  created_at: Date;
}

export interface NewAlert {
  fingerprint: string;
  source: AiopsAlertSource;
  name: string;
  component: string;
  severity: AiopsSeverity;
  summary: string;
  labels: Record<string, string>;
  value: number | null;
  strength: number;
}

export interface SamplePoint {
  ts: Date;
  value: number;
  score: number | null;
}

/** Everything the AIOps module stores: series and samples, log patterns, alerts, incidents, silences, the fix audit. */
@Injectable()
export class AiopsRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  /** Round trip of a trivial query, in ms (the database probe). */
  async pingMs(): Promise<number> {
    const started = performance.now();
    await sql`select 1`.execute(this.db);
    return performance.now() - started;
  }

  async databaseSizeBytes(): Promise<number | undefined> {
    const { rows } = await sql<{ size: string }>`select pg_database_size(current_database())::text as size`.execute(this.db);
    const size = Number(rows[0]?.size);
    return Number.isFinite(size) ? size : undefined;
  }

  // --- series ---

  async seriesByKeys(keys: string[]): Promise<Map<string, SeriesRow>> {
    if (!keys.length) return new Map();
    const rows = await this.db.selectFrom('aiops_series').selectAll().where('key', 'in', keys).execute();
    return new Map(rows.map((row) => [row.key, row as unknown as SeriesRow]));
  }

  async createSeries(key: string, metric: string, labels: Record<string, string>, component: string): Promise<SeriesRow> {
    await this.db
      .insertInto('aiops_series')
      .values({ key, metric, labels: JSON.stringify(labels), component })
      .onConflict((c) => c.column('key').doNothing())
      .execute();
    const row = await this.db.selectFrom('aiops_series').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
    return row;
  }

  async listSeries(metric?: string): Promise<SeriesRow[]> {
    let query = this.db.selectFrom('aiops_series').selectAll().orderBy('metric').orderBy('key');
    if (metric) query = query.where('metric', '=', metric);
    return await query.execute();
  }

  async seriesById(id: number): Promise<SeriesRow | undefined> {
    return await this.db.selectFrom('aiops_series').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Writes one collection's samples and each series' detector state in one transaction. */
  async writeSamples(samples: { series: SeriesRow; ts: Date; value: number; score: number | null; detector: unknown }[]): Promise<void> {
    if (!samples.length) return;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('aiops_samples')
        .values(samples.map((s) => ({ series_id: s.series.id, step_s: 0, ts: s.ts, value: s.value, score: s.score })))
        .onConflict((c) => c.columns(['series_id', 'step_s', 'ts']).doNothing())
        .execute();
      for (const s of samples) {
        await trx
          .updateTable('aiops_series')
          .set({ detector: JSON.stringify(s.detector), last_value: s.value, last_score: s.score, last_at: s.ts })
          .where('id', '=', s.series.id)
          .execute();
      }
    });
  }

  /** Samples of one series in [from, to], raw where raw samples are kept, five-minute averages before that. */
  /**
   * The series between `from` and `to`, oldest first: raw samples where they exist, the five-minute averages before
   * them. A range holding more than `limit` points comes back as at most `limit` even buckets over the whole range
   * (mean value, highest score), so a week reads as a week, not as its newest `limit` samples.
   */
  async samples(seriesId: number, from: Date, to: Date, limit = 5000): Promise<SamplePoint[]> {
    const inRange = this.db
      .selectFrom('aiops_samples')
      .where('series_id', '=', seriesId)
      .where('ts', '>=', from)
      .where('ts', '<=', to)
      // an average that raw samples also cover (compaction in progress) is left out
      .where((eb) =>
        eb.or([
          eb('step_s', '=', 0),
          eb(
            'ts',
            '<',
            eb
              .selectFrom('aiops_samples as raw')
              .select((r) => r.fn.coalesce(r.fn.min('raw.ts'), sql<Date>`'infinity'::timestamptz`).as('first_raw'))
              .where('raw.series_id', '=', seriesId)
              .where('raw.step_s', '=', 0)
              .where('raw.ts', '>=', from),
          ),
        ]),
      );
    const { points } = await inRange.select((eb) => eb.fn.countAll<string>().as('points')).executeTakeFirstOrThrow();
    if (Number(points) <= limit) {
      const rows = await inRange.select(['ts', 'value', 'score']).orderBy('ts').execute();
      return rows.map((r) => ({ ts: r.ts, value: r.value, score: r.score }));
    }
    const bucketSec = Math.ceil((to.getTime() - from.getTime()) / 1000 / limit);
    const bucket = sql<Date>`date_bin(make_interval(secs => ${bucketSec}), ts, ${from}::timestamptz)`;
    const rows = await inRange
      .select([bucket.as('ts'), (eb) => eb.fn.avg<number>('value').as('value'), (eb) => eb.fn.max('score').as('score')])
      .groupBy(sql`1`)
      .orderBy(sql`1`)
      .execute();
    return rows.map((r) => ({ ts: new Date(r.ts), value: Number(r.value), score: r.score === null ? null : Number(r.score) }));
  }

  /**
   * Downsampling and retention: raw samples older than `rawBefore` become five-minute averages (max score), then
   * are deleted; averages older than `keepBefore` are deleted.
   */
  async compact(rawBefore: Date, keepBefore: Date): Promise<{ downsampled: number; deleted: number }> {
    return this.db.transaction().execute(async (trx) => {
      const inserted = await sql`
        insert into aiops_samples (series_id, step_s, ts, value, score)
        select series_id, 300, to_timestamp(floor(extract(epoch from ts) / 300) * 300), avg(value), max(score)
        from aiops_samples where step_s = 0 and ts < ${rawBefore}
        group by 1, 3
        on conflict (series_id, step_s, ts) do update set value = (aiops_samples.value + excluded.value) / 2, score = greatest(aiops_samples.score, excluded.score)`.execute(
        trx,
      );
      const raw = await trx.deleteFrom('aiops_samples').where('step_s', '=', 0).where('ts', '<', rawBefore).executeTakeFirst();
      const old = await trx.deleteFrom('aiops_samples').where('ts', '<', keepBefore).executeTakeFirst();
      return { downsampled: Number(inserted.numAffectedRows ?? 0), deleted: Number(raw.numDeletedRows) + Number(old.numDeletedRows) };
    });
  }

  // --- log patterns ---

  async upsertLogPatterns(
    patterns: { id: string; template: string; component: string; level: string; count: number; firstSeen: Date; lastSeen: Date; bucket: Date }[],
  ): Promise<void> {
    if (!patterns.length) return;
    await this.db.transaction().execute(async (trx) => {
      for (const p of patterns) {
        await trx
          .insertInto('aiops_log_patterns')
          .values({ id: p.id, template: p.template, component: p.component, level: p.level, total: p.count, first_seen: p.firstSeen, last_seen: p.lastSeen })
          .onConflict((c) => c.column('id').doUpdateSet({ template: p.template, total: sql`aiops_log_patterns.total + ${p.count}`, last_seen: p.lastSeen }))
          .execute();
        await trx
          .insertInto('aiops_log_counts')
          .values({ pattern_id: p.id, bucket: p.bucket, count: p.count })
          .onConflict((c) => c.columns(['pattern_id', 'bucket']).doUpdateSet({ count: sql`aiops_log_counts.count + ${p.count}` }))
          .execute();
      }
    });
  }

  /** The stored pattern with this text, component and level, if any. */
  async logPatternIdOf(template: string, component: string, level: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('aiops_log_patterns')
      .select('id')
      .where('template', '=', template)
      .where('component', '=', component)
      .where('level', '=', level)
      .executeTakeFirst();
    return row?.id;
  }

  async markLogEvent(id: string, event: string, at: Date): Promise<void> {
    await this.db.updateTable('aiops_log_patterns').set({ last_event: event, last_event_at: at }).where('id', '=', id).execute();
  }

  async logPatterns(from: Date, to: Date): Promise<{ pattern: Record<string, unknown>; counts: { bucket: Date; count: number }[] }[]> {
    const patterns = await this.db
      .selectFrom('aiops_log_patterns')
      .selectAll()
      .where('last_seen', '>=', from)
      .where('first_seen', '<=', to)
      .orderBy('total', 'desc')
      .limit(500)
      .execute();
    if (!patterns.length) return [];
    const counts = await this.db
      .selectFrom('aiops_log_counts')
      .selectAll()
      .where(
        'pattern_id',
        'in',
        patterns.map((p) => p.id),
      )
      .where('bucket', '>=', from)
      .where('bucket', '<=', to)
      .orderBy('bucket')
      .execute();
    return patterns.map((pattern) => ({
      pattern: pattern,
      counts: counts.filter((c) => c.pattern_id === pattern.id).map((c) => ({ bucket: c.bucket, count: c.count })),
    }));
  }

  // --- alerts ---

  async firingAlerts(): Promise<AlertRow[]> {
    return await this.db.selectFrom('aiops_alerts').selectAll().where('state', '=', 'firing').execute();
  }

  async insertAlert(alert: NewAlert, at: Date, silencedBy: string | null): Promise<AlertRow> {
    const row = await this.db
      .insertInto('aiops_alerts')
      .values({ id: randomUUID(), ...alert, labels: JSON.stringify(alert.labels), state: 'firing', silenced_by: silencedBy, starts_at: at, last_seen_at: at })
      .returningAll()
      .executeTakeFirstOrThrow();
    return row;
  }

  async touchAlert(
    id: string,
    at: Date,
    update: { value: number | null; strength: number; summary: string; severity: AiopsSeverity; silencedBy: string | null },
  ): Promise<void> {
    await this.db
      .updateTable('aiops_alerts')
      .set({
        last_seen_at: at,
        value: update.value,
        strength: update.strength,
        summary: update.summary,
        severity: update.severity,
        silenced_by: update.silencedBy,
      })
      .where('id', '=', id)
      .execute();
  }

  async resolveAlerts(ids: string[], at: Date): Promise<void> {
    if (!ids.length) return;
    await this.db.updateTable('aiops_alerts').set({ state: 'resolved', ends_at: at }).where('id', 'in', ids).execute();
  }

  async assignAlerts(ids: string[], incidentId: string): Promise<void> {
    if (!ids.length) return;
    await this.db.updateTable('aiops_alerts').set({ incident_id: incidentId }).where('id', 'in', ids).execute();
  }

  async listAlerts(filter: { state?: 'firing' | 'resolved'; incidentId?: string; limit: number }): Promise<AlertRow[]> {
    let query = this.db.selectFrom('aiops_alerts').selectAll().orderBy('starts_at', 'desc').limit(filter.limit);
    if (filter.state) query = query.where('state', '=', filter.state);
    if (filter.incidentId) query = query.where('incident_id', '=', filter.incidentId);
    return await query.execute();
  }

  // --- incidents ---

  async openIncidents(): Promise<IncidentRow[]> {
    return await this.db.selectFrom('aiops_incidents').selectAll().where('state', '!=', 'resolved').execute();
  }

  async incident(id: string): Promise<IncidentRow | undefined> {
    return await this.db.selectFrom('aiops_incidents').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async listIncidents(filter: { state?: AiopsIncidentState; since?: Date; limit: number }): Promise<IncidentRow[]> {
    let query = this.db.selectFrom('aiops_incidents').selectAll().orderBy('started_at', 'desc').limit(filter.limit);
    if (filter.state) query = query.where('state', '=', filter.state);
    if (filter.since) query = query.where('started_at', '>=', filter.since);
    return await query.execute();
  }

  async insertIncident(incident: Omit<IncidentRow, 'acknowledged_at' | 'acknowledged_by' | 'resolved_at' | 'resolved_by' | 'quiet_since'>): Promise<void> {
    await this.db
      .insertInto('aiops_incidents')
      .values({
        ...incident,
        components: JSON.stringify(incident.components),
        causes: JSON.stringify(incident.causes),
        signals: JSON.stringify(incident.signals),
      })
      .execute();
  }

  async updateIncident(
    id: string,
    update: Partial<Pick<IncidentRow, 'title' | 'severity' | 'components' | 'causes' | 'signals' | 'updated_at' | 'quiet_since'>>,
  ): Promise<void> {
    const { components, causes, signals, ...rest } = update;
    await this.db
      .updateTable('aiops_incidents')
      .set({
        ...rest,
        ...(components ? { components: JSON.stringify(components) } : {}),
        ...(causes ? { causes: JSON.stringify(causes) } : {}),
        ...(signals ? { signals: JSON.stringify(signals) } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Moves an incident to `state` unless it is already resolved; returns the row after the change, or undefined when unknown. */
  async setIncidentState(id: string, state: 'acknowledged' | 'resolved', by: string, at: Date): Promise<IncidentRow | undefined> {
    const set = state === 'acknowledged' ? { state, acknowledged_at: at, acknowledged_by: by } : { state, resolved_at: at, resolved_by: by };
    await this.db.updateTable('aiops_incidents').set(set).where('id', '=', id).where('state', '!=', 'resolved').execute();
    return this.incident(id);
  }

  // --- silences ---

  async activeSilences(at: Date): Promise<SilenceRow[]> {
    return await this.db.selectFrom('aiops_silences').selectAll().where('starts_at', '<=', at).where('ends_at', '>', at).execute();
  }

  async listSilences(includeExpired: boolean, at: Date): Promise<SilenceRow[]> {
    let query = this.db.selectFrom('aiops_silences').selectAll().orderBy('created_at', 'desc').limit(200);
    if (!includeExpired) query = query.where('ends_at', '>', at);
    return await query.execute();
  }

  async insertSilence(silence: Omit<SilenceRow, 'id' | 'created_at'>): Promise<SilenceRow> {
    const row = await this.db
      .insertInto('aiops_silences')
      .values({ id: randomUUID(), ...silence, matchers: JSON.stringify(silence.matchers) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return row;
  }

  /** Ends a silence now; false when there is no such silence. */
  async expireSilence(id: string, at: Date): Promise<boolean> {
    const result = await this.db.updateTable('aiops_silences').set({ ends_at: at }).where('id', '=', id).where('ends_at', '>', at).executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) return true;
    return !!(await this.db.selectFrom('aiops_silences').select('id').where('id', '=', id).executeTakeFirst());
  }

  // --- fix audit ---

  async audit(entry: Omit<AuditRow, 'id' | 'created_at'>): Promise<AuditRow> {
    const row = await this.db
      .insertInto('aiops_fix_audit')
      .values({
        id: randomUUID(),
        ...entry,
        changes: JSON.stringify(entry.changes),
        undo: entry.undo === undefined || entry.undo === null ? null : JSON.stringify(entry.undo),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return row;
  }

  /**
   * Takes the lease on `action` for `holder` unless another holder's lease is still running; answers whether it was
   * taken. One statement, so two replicas asking at once cannot both get it.
   */
  async claimFixLease(action: string, holder: string, ttlMs: number): Promise<boolean> {
    const expiresAt = sql<Date>`now() + ${ttlMs} * interval '1 millisecond'`;
    const claimed = await this.db
      .insertInto('aiops_fix_leases')
      .values({ action, holder, expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .column('action')
          .doUpdateSet({ holder, expires_at: expiresAt })
          .where('aiops_fix_leases.expires_at', '<', sql<Date>`now()`),
      )
      .returning('holder')
      .executeTakeFirst();
    return claimed?.holder === holder;
  }

  async releaseFixLease(action: string, holder: string): Promise<void> {
    await this.db.deleteFrom('aiops_fix_leases').where('action', '=', action).where('holder', '=', holder).execute();
  }

  async auditEntry(id: string): Promise<AuditRow | undefined> {
    return await this.db.selectFrom('aiops_fix_audit').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async listAudit(filter: { incidentId?: string; fixId?: string; since?: Date; mode?: AuditRow['mode']; limit: number }): Promise<AuditRow[]> {
    let query = this.db.selectFrom('aiops_fix_audit').selectAll().orderBy('created_at', 'desc').limit(filter.limit);
    if (filter.incidentId) query = query.where('incident_id', '=', filter.incidentId);
    if (filter.fixId) query = query.where('fix_id', '=', filter.fixId);
    if (filter.since) query = query.where('created_at', '>=', filter.since);
    if (filter.mode) query = query.where('mode', '=', filter.mode);
    return await query.execute();
  }
}
