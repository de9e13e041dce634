import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/** The local PostgreSQL's administrator, who creates and drops each bench run's database. */
export const ADMIN_URL = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A database of its own for one bench run, on the local PostgreSQL; `drop()` removes it, connections and all. */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `xiaoyu_${prefix}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  await asAdmin(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => asAdmin(`drop database if exists ${name} with (force)`) };
}

async function asAdmin(statement: string): Promise<void> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}
