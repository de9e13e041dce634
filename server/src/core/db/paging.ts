import type { SelectQueryBuilder } from 'kysely';

export interface Page<T> {
  rows: T[];
  total: number;
}

/**
 * One page of the rows `base` filters, and how many there are in all: `select` picks the columns and the order, the
 * two queries run together. Every history list (generations, analyses, stories, recordings) pages this way.
 */
export async function selectPage<DB, TB extends keyof DB, O>(
  base: SelectQueryBuilder<DB, TB, object>,
  select: (query: SelectQueryBuilder<DB, TB, object>) => SelectQueryBuilder<DB, TB, O>,
  offset: number,
  limit: number,
): Promise<Page<O>> {
  const [rows, count] = await Promise.all([
    select(base).offset(offset).limit(limit).execute(),
    base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number((count as { total: string }).total) };
}
