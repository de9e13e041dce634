import { join } from 'node:path';

type Section = { default: () => Promise<void> };

/** Runs the section files of a folder (`<name><suffix>`), all of them or those named in `only`, one after another. */
export async function runSections(dir: string, suffix: string, files: readonly string[], only: readonly string[]): Promise<void> {
  const names = files
    .filter((f) => f.endsWith(suffix))
    .map((f) => f.slice(0, -suffix.length))
    .sort();
  const chosen = only.length ? names.filter((n) => only.includes(n)) : names;
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length) {
    console.error(`unknown section(s): ${unknown.join(', ')}; there are: ${names.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  for (const name of chosen) {
    const started = Date.now();
    console.log(`# ${name}\n`);
    const section = (await import(join(dir, `${name}${suffix}`))) as Section;
    await section.default();
    console.log(`(${name}: ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  }
}
