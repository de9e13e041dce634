import { isTransientError } from './transient-error';

describe('isTransientError', () => {
  it.each([
    ['a reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['pg_terminate_backend (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a connection exception (08006)', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['node-postgres losing its socket', new Error('Connection terminated unexpectedly')],
    ['ioredis after a restart', new Error('Connection is closed.')],
    ['a wrapped cause', new Error('query failed', { cause: Object.assign(new Error('x'), { code: '57P01' }) })],
  ])('%s is transient', (_, error) => {
    expect(isTransientError(error)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' })],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a domain failure', new Error('every music provider failed')],
    ['not an error', 'ECONNRESET'],
  ])('%s is not', (_, error) => {
    expect(isTransientError(error)).toBe(false);
  });
});
