import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { migrate, openDatabase } from './database';

describe('embedded PGlite database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoyu-db-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('migrates, survives a restart and serialises transactions', async () => {
    const first = await openDatabase({ dataDir });
    expect(await migrate(first)).toContain('0001_users');
    await first.insertInto('users').values({ email: 'a@example.com', password_hash: 'x', role: 'user' }).execute();
    await first.destroy();

    const second = await openDatabase({ dataDir });
    expect(await migrate(second)).toEqual([]);
    const rows = await second.selectFrom('users').select(['email', 'role']).execute();
    expect(rows).toEqual([{ email: 'a@example.com', role: 'user' }]);

    const failing = second.transaction().execute(async (trx) => {
      await trx.insertInto('users').values({ email: 'b@example.com', password_hash: 'x', role: 'user' }).execute();
      throw new Error('roll back');
    });
    const concurrent = second
      .selectFrom('users')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    await expect(failing).rejects.toThrow('roll back');
    expect((await concurrent).n).toBe(1);

    const updated = await second.updateTable('users').set({ role: 'admin' }).where('email', '=', 'a@example.com').executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(1n);
    await second.destroy();
  }, 60_000); // booting PGlite's WebAssembly twice takes seconds on a busy 2-core machine
});
