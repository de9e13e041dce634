import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from './password';

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect(stored).not.toContain('correct horse');
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterz', stored)).resolves.toBe(false);
  });

  it('asks for a new hash of a password stored with weaker parameters, and verifies the old one meanwhile', async () => {
    const old =
      'scrypt$32768$8$1$c2FsdHNhbHRzYWx0c2FsdA==$' +
      (await import('node:crypto'))
        .scryptSync('pw', Buffer.from('c2FsdHNhbHRzYWx0c2FsdA==', 'base64'), 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 })
        .toString('base64');
    await expect(verifyPassword('pw', old)).resolves.toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword('pw'))).toBe(false);
    expect(needsRehash(DUMMY_HASH)).toBe(false);
    await expect(verifyPassword('pw', DUMMY_HASH)).resolves.toBe(false);
  });

  it('salts every hash and refuses unknown formats', async () => {
    expect(await hashPassword('same')).not.toEqual(await hashPassword('same'));
    await expect(verifyPassword('x', 'bcrypt$whatever')).resolves.toBe(false);
  });
});
