import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt with N=2^15, r=8, p=3: OWASP's equivalent of its minimum (N=2^17, r=8, p=1) at a quarter of the memory
// (32 MiB per hash, so a burst of logins stays within a pod's limits); about 0.3 s of one core on these machines.
const COST = 32768;
const BLOCK_SIZE = 8;
const PARALLELISM = 3;
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, cost: number, blockSize: number, parallelism: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { N: cost, r: blockSize, p: parallelism, maxmem: MAX_MEMORY }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Hashes a password as `scrypt$N$r$p$salt$key` (base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST, BLOCK_SIZE, PARALLELISM);
  return ['scrypt', COST, BLOCK_SIZE, PARALLELISM, salt.toString('base64'), key.toString('base64')].join('$');
}

/** A hash with the current parameters' shape, for timing a login of an unknown e-mail like that of a known one. */
export const DUMMY_HASH = ['scrypt', COST, BLOCK_SIZE, PARALLELISM, 'A'.repeat(22) + '==', 'A'.repeat(43) + '='].join('$');

/** Whether a stored hash was made with weaker parameters than today's (it is replaced at the next login). */
export function needsRehash(stored: string): boolean {
  const [scheme, cost, blockSize, parallelism] = stored.split('$');
  return scheme !== 'scrypt' || Number(cost) < COST || Number(blockSize) < BLOCK_SIZE || Number(parallelism) < PARALLELISM;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, cost, blockSize, parallelism, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), Number(cost), Number(blockSize), Number(parallelism));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
