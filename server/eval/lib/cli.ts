/** Command-line options of the evaluation and benchmark scripts (`--rounds 5`, `--only clock,key`). */

/** `--name <number>`: a non-negative number, or `fallback` when the option is absent. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`--${name} must be a non-negative number`);
  return v;
}

/** `--name a,b`: the listed values, or all of `all` when the option is absent. */
export function listArg(name: string, all: readonly string[]): Set<string> {
  const i = process.argv.indexOf(`--${name}`);
  return new Set(i >= 0 ? (process.argv[i + 1] ?? '').split(',') : all);
}
