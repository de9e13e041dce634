import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomically } from './write-file-atomically';

describe('writeFileAtomically', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'atomic-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets two writers of one file both finish, leaving one whole file and no temporary ones', async () => {
    const target = join(dir, 'clip.mp3');
    const a = Buffer.alloc(1 << 20, 1);
    const b = Buffer.alloc(1 << 20, 2);
    await Promise.all([writeFileAtomically(target, a), writeFileAtomically(target, b)]);
    const written = readFileSync(target);
    expect(written.equals(a) || written.equals(b)).toBe(true);
    expect(readdirSync(dir)).toEqual(['clip.mp3']);
  });

  it('removes its temporary file when the rename fails', async () => {
    const target = join(dir, 'taken');
    mkdirSync(join(target, 'inside'), { recursive: true });
    await expect(writeFileAtomically(target, 'bytes')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});
