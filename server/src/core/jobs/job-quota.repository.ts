import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database, InjectDatabase } from '../db/database';

export interface QuotaUse {
  id: string;
  userId: string;
  /** What was started: a queue-like name ('music', 'story'). */
  kind: string;
}

/** The uses of hourly quotas, one row per start (deleting the work does not give it back). */
@Injectable()
export class JobQuotaRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  /**
   * Records the use if fewer than `limit` uses of its kind by its user lie within the last `windowMs` (database time);
   * otherwise answers when the oldest of them leaves the window. One user's uses of one kind are taken one at a time,
   * so a burst of requests cannot all see room for one more.
   */
  take(use: QuotaUse, limit: number, windowMs: number): Promise<{ taken: true } | { taken: false; freeAt: Date }> {
    return this.db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`quota:${use.userId}:${use.kind}`}))`.execute(tx);
      const windowStart = sql<Date>`now() - ${windowMs} * interval '1 millisecond'`;
      const mine = tx.deleteFrom('job_quota_uses').where('user_id', '=', use.userId).where('kind', '=', use.kind);
      await mine.where('used_at', '<', windowStart).execute();
      const { n, oldest } = await tx
        .selectFrom('job_quota_uses')
        .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min('used_at').as('oldest')])
        .where('user_id', '=', use.userId)
        .where('kind', '=', use.kind)
        .executeTakeFirstOrThrow();
      if (Number(n) >= limit) return { taken: false, freeAt: new Date(new Date(oldest).getTime() + windowMs) };
      await tx.insertInto('job_quota_uses').values({ id: use.id, user_id: use.userId, kind: use.kind }).execute();
      return { taken: true };
    });
  }

  /** Gives a use back (the work it was for never started). */
  async release(id: string): Promise<void> {
    await this.db.deleteFrom('job_quota_uses').where('id', '=', id).execute();
  }
}
