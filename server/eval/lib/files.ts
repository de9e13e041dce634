import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every `.mid`/`.midi` file below `dir`, in a stable order. */
export function midiFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...midiFiles(p));
    else if (/\.midi?$/i.test(name)) out.push(p);
  }
  return out;
}
