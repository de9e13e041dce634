import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IntegerField, isBoundedInteger, parseDecimalInteger } from './integer-field';

class PageQuery {
  @IntegerField({ in: 'query', optional: true, min: 1, max: 10_000 })
  page: number = 1;
}

class SeedBody {
  @IntegerField({ in: 'body', min: 0, max: 100 })
  seed!: number;
}

function errorsOf<T extends object>(type: new () => T, plain: Record<string, unknown>) {
  const instance = plainToInstance(type, plain);
  return { instance, errors: validateSync(instance).map((e) => ({ field: e.property, messages: Object.values(e.constraints ?? {}) })) };
}

describe('IntegerField', () => {
  it('parses plain decimal query strings and keeps the default when absent', () => {
    expect(errorsOf(PageQuery, { page: '42' })).toEqual({ instance: { page: 42 }, errors: [] });
    expect(errorsOf(PageQuery, {})).toEqual({ instance: { page: 1 }, errors: [] });
  });

  it.each(['1'.repeat(40), '0', '-3', '10001', '1e3', '0x10', '1.5', '', ' 7', 'abc', '９'])('rejects page=%j with one message naming page', (page) => {
    expect(errorsOf(PageQuery, { page }).errors).toEqual([{ field: 'page', messages: ['page must be an integer from 1 to 10000'] }]);
  });

  it('rejects arrays and objects in a query (page[]=1, page[$gt]=)', () => {
    expect(errorsOf(PageQuery, { page: ['1', '2'] }).errors[0].field).toBe('page');
    expect(errorsOf(PageQuery, { page: { $gt: '' } }).errors[0].field).toBe('page');
  });

  it('does not coerce body values: a JSON string is not an integer', () => {
    expect(errorsOf(SeedBody, { seed: 7 }).errors).toEqual([]);
    expect(errorsOf(SeedBody, { seed: '7' }).errors).toEqual([{ field: 'seed', messages: ['seed must be an integer from 0 to 100'] }]);
    expect(errorsOf(SeedBody, {}).errors[0].field).toBe('seed');
    expect(errorsOf(SeedBody, { seed: 1e40 }).errors[0].field).toBe('seed');
  });

  it('lets an optional field be absent but not null', () => {
    expect(errorsOf(PageQuery, { page: undefined }).errors).toEqual([]);
    expect(errorsOf(PageQuery, { page: null }).errors).toEqual([{ field: 'page', messages: ['page must be an integer from 1 to 10000'] }]);
  });

  it('bounds are inclusive and unsafe integers never pass', () => {
    expect(isBoundedInteger(1, 1, 2)).toBe(true);
    expect(isBoundedInteger(2, 1, 2)).toBe(true);
    expect(isBoundedInteger(2 ** 53, 0, Number.MAX_VALUE)).toBe(false);
    expect(isBoundedInteger(Number.NaN, 0, 1)).toBe(false);
    expect(parseDecimalInteger('+5')).toBe(5);
    expect(parseDecimalInteger(5)).toBe(5);
  });
});
