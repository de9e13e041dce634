import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database, InjectDatabase } from '../core/db/database';
import { type Page, selectPage } from '../core/db/paging';
import type { MusicGenerationState } from '../core/db/schema';

export interface MusicGenerationRow {
  id: string;
  userId: string;
  kind: 'emotion' | 'topic';
  request: Record<string, unknown>;
  seed: number;
  cacheKey: string;
  state: MusicGenerationState;
  fromCache: boolean;
  result: Record<string, unknown> | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface NewMusicGeneration {
  id: string;
  userId: string;
  kind: 'emotion' | 'topic';
  request: Record<string, unknown>;
  seed: number;
  cacheKey: string;
}

const COLUMNS = ['id', 'user_id', 'kind', 'request', 'seed', 'cache_key', 'state', 'from_cache', 'result', 'error', 'created_at', 'finished_at'] as const;

/** The only place that reads or writes music_generations. */
@Injectable()
export class MusicRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  /** A generation waiting for its job. */
  async insert(row: NewMusicGeneration): Promise<void> {
    await this.db
      .insertInto('music_generations')
      .values({
        id: row.id,
        user_id: row.userId,
        kind: row.kind,
        request: JSON.stringify(row.request),
        seed: row.seed,
        cache_key: row.cacheKey,
        state: 'queued',
      })
      .execute();
  }

  /**
   * Stores a completed generation that reuses `sourceId`'s result and files, in one statement that holds the source
   * row (FOR SHARE) while it inserts: a delete of the source waits for it and then counts the new row as a user of
   * the files, and a source deleted first is not reused. False when there is no completed source any more.
   */
  async insertReuse(row: NewMusicGeneration, sourceId: string): Promise<boolean> {
    const inserted = await this.db
      .insertInto('music_generations')
      .columns(['id', 'user_id', 'kind', 'request', 'seed', 'cache_key', 'state', 'from_cache', 'result', 'finished_at'])
      .expression((eb) =>
        eb
          .selectFrom('music_generations as source')
          .select([
            sql<string>`${row.id}::uuid`.as('id'),
            sql<string>`${row.userId}::uuid`.as('user_id'),
            sql<string>`${row.kind}`.as('kind'),
            sql<string>`${JSON.stringify(row.request)}::jsonb`.as('request'),
            sql<number>`${row.seed}::bigint`.as('seed'),
            sql<string>`${row.cacheKey}`.as('cache_key'),
            sql<string>`'completed'`.as('state'),
            sql<boolean>`true`.as('from_cache'),
            'source.result',
            sql<Date>`now()`.as('finished_at'),
          ])
          .where('source.id', '=', sourceId)
          .where('source.state', '=', 'completed')
          .forShare(),
      )
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async findOwned(id: string, userId: string): Promise<MusicGenerationRow | undefined> {
    const row = await this.db.selectFrom('music_generations').select(COLUMNS).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return row && toRow(row);
  }

  /**
   * A generation the request can reuse: the user's own (completed or still running) first,
   * else anyone's completed one with the same cache key.
   */
  async findReusable(cacheKey: string, userId: string): Promise<MusicGenerationRow | undefined> {
    const row = await this.db
      .selectFrom('music_generations')
      .select(COLUMNS)
      .where('cache_key', '=', cacheKey)
      .where((eb) => eb.or([eb('state', '=', 'completed'), eb.and([eb('user_id', '=', userId), eb('state', 'in', ['queued', 'active'])])]))
      .orderBy(sql`case when user_id = ${userId} then 0 else 1 end`)
      .orderBy(sql`case when state = 'completed' then 0 else 1 end`)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toRow(row);
  }

  /**
   * Moves a generation to active when its job starts: a queued one, or a failed one whose job an operator ran again
   * (AIOps "retry failed jobs"), whose error is then cleared. False when the row does not exist (yet, or any more).
   */
  async markActive(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('music_generations')
      .set({ state: 'active', error: null, finished_at: null })
      .where('id', '=', id)
      .where('state', 'in', ['queued', 'active', 'failed'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Marks the generation completed; false when its row is gone (deleted while it ran). */
  async complete(id: string, result: Record<string, unknown>): Promise<boolean> {
    const updated = await this.db
      .updateTable('music_generations')
      .set({ state: 'completed', result: JSON.stringify(result), error: null, finished_at: new Date() })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) > 0;
  }

  async countByCacheKey(cacheKey: string): Promise<number> {
    const row = await this.db
      .selectFrom('music_generations')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('cache_key', '=', cacheKey)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async fail(id: string, error: string): Promise<void> {
    await this.db.updateTable('music_generations').set({ state: 'failed', error, finished_at: new Date() }).where('id', '=', id).execute();
  }

  async listByUser(userId: string, offset: number, limit: number): Promise<Page<MusicGenerationRow>> {
    const page = await selectPage(
      this.db.selectFrom('music_generations').where('user_id', '=', userId),
      (query) => query.select(COLUMNS).orderBy('created_at', 'desc').orderBy('id'),
      offset,
      limit,
    );
    return { rows: page.rows.map(toRow), total: page.total };
  }

  /** Deletes the user's generation; returns its cache key and how many rows still use that key. */
  async delete(id: string, userId: string): Promise<{ cacheKey: string; remaining: number } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const deleted = await trx.deleteFrom('music_generations').where('id', '=', id).where('user_id', '=', userId).returning('cache_key').executeTakeFirst();
      if (!deleted) return undefined;
      // Two deletes of the last two rows of a key, at once: without the lock each counts the other's row (not yet
      // committed) as remaining, and the files stay on disk for good. With it the second counts after the first commits.
      await lockCacheKey(trx, deleted.cache_key);
      const left = await trx
        .selectFrom('music_generations')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('cache_key', '=', deleted.cache_key)
        .executeTakeFirstOrThrow();
      return { cacheKey: deleted.cache_key, remaining: Number(left.n) };
    });
  }
}

/** Serialises the transactions that decide whether a cache key's files are still used (held until commit). */
export async function lockCacheKey(trx: Database, cacheKey: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`music:${cacheKey}`}))`.execute(trx);
}

type DbRow = {
  id: string;
  user_id: string;
  kind: 'emotion' | 'topic';
  request: unknown;
  seed: string;
  cache_key: string;
  state: MusicGenerationState;
  from_cache: boolean;
  result: unknown;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
};

function toRow(row: DbRow): MusicGenerationRow {
  const json = (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : (value as Record<string, unknown> | null));
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    request: json(row.request) ?? {},
    seed: Number(row.seed),
    cacheKey: row.cache_key,
    state: row.state,
    fromCache: row.from_cache,
    result: json(row.result),
    error: row.error,
    createdAt: new Date(row.created_at),
    finishedAt: row.finished_at ? new Date(row.finished_at) : null,
  };
}
