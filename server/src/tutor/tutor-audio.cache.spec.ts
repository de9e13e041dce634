import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepClips } from './tutor-audio.cache';

describe('sweepClips', () => {
  let dir = '';
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'tutor-audio-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** Writes clip `name` of `size` bytes, last used `minutesAgo` minutes ago. */
  async function clip(name: string, size: number, minutesAgo: number): Promise<void> {
    const path = join(dir, `${name}.mp3`);
    await writeFile(path, Buffer.alloc(size));
    const at = new Date(Date.now() - minutesAgo * 60_000);
    await utimes(path, at, at);
  }

  it('leaves clips within the budget alone', async () => {
    await clip('a', 1000, 3);
    await clip('b', 1000, 2);
    expect(await sweepClips(dir, 5000)).toEqual({ files: 2, bytes: 2000 });
    expect((await readdir(dir)).sort()).toEqual(['a.mp3', 'b.mp3']);
  });

  it('deletes the least recently used clips past the budget, down to 80 % of it', async () => {
    for (const [name, minutesAgo] of [
      ['old', 50],
      ['older', 60],
      ['recent', 1],
      ['middle', 20],
      ['fresh', 0],
    ] as const)
      await clip(name, 1000, minutesAgo);
    await writeFile(join(dir, 'notes.txt'), 'not a clip');
    expect(await sweepClips(dir, 4000)).toEqual({ files: 3, bytes: 3000 });
    expect((await readdir(dir)).sort()).toEqual(['fresh.mp3', 'middle.mp3', 'notes.txt', 'recent.mp3']);
  });

  it('answers nothing to sweep for a directory not made yet', async () => {
    expect(await sweepClips(join(dir, 'none'), 1000)).toEqual({ files: 0, bytes: 0 });
  });
});
