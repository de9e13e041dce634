import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';

/**
 * Writes `target` so that readers never see half a file: the bytes go to a temporary name beside it, then are renamed
 * over it. The temporary name is unique to this write, since replicas share volumes and containers all run node under
 * the same pid: two writers of one file each finish whole, the last rename wins. A failed write (a full disk) removes
 * its temporary file.
 */
export async function writeFileAtomically(target: string, content: Uint8Array | string): Promise<void> {
  const temporary = `${target}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, content);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
