import { hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(stored).not.toContain('correct horse');
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterz', stored)).resolves.toBe(false);
  });

  it('salts every hash and refuses unknown formats', async () => {
    expect(await hashPassword('same')).not.toEqual(await hashPassword('same'));
    await expect(verifyPassword('x', 'bcrypt$whatever')).resolves.toBe(false);
  });
});
