/** Reading NAB (../shared/datasets/nab): series, labelled windows, and the published detectors' result files. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NabSeries {
  /** `<category>/<file>.csv`, as in combined_windows.json. */
  readonly name: string;
  /** Epoch ms (timestamps are read as UTC). */
  readonly timestamps: number[];
  readonly values: number[];
  readonly windows: [number, number][];
}

/** "2014-07-01 00:00:00" or "2014-07-01 00:00:00.000000" → epoch ms (UTC). */
export function parseNabTimestamp(text: string): number {
  const t = Date.parse(`${text.trim().slice(0, 19).replace(' ', 'T')}Z`);
  if (!Number.isFinite(t)) throw new RangeError(`bad NAB timestamp "${text}"`);
  return t;
}

/** Rows of a CSV file with a header and no quoted fields (NAB's files), as column → values. */
function readCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

/** Every NAB series with its windows, in a stable order (category, then file name). */
export function loadNab(dir: string): NabSeries[] {
  const labels = JSON.parse(readFileSync(join(dir, 'labels', 'combined_windows.json'), 'utf8')) as Record<string, [string, string][]>;
  const out: NabSeries[] = [];
  for (const name of Object.keys(labels).sort()) {
    const { rows } = readCsv(join(dir, 'data', name));
    out.push({
      name,
      timestamps: rows.map((r) => parseNabTimestamp(r[0])),
      values: rows.map((r) => Number(r[1])),
      windows: labels[name].map(([s, e]) => [parseNabTimestamp(s), parseNabTimestamp(e)]),
    });
  }
  return out;
}

/** The anomaly_score column of a published detector's result files, per series name; undefined when that detector's files are absent. */
export function loadPublishedScores(dir: string, detector: string, series: readonly NabSeries[]): Map<string, number[]> | undefined {
  const root = join(dir, 'results', detector);
  if (!existsSync(root)) return undefined;
  const out = new Map<string, number[]>();
  for (const s of series) {
    const [category, file] = s.name.split('/');
    const path = join(root, category, `${detector}_${file}`);
    const { header, rows } = readCsv(path);
    const col = header.indexOf('anomaly_score');
    if (rows.length !== s.timestamps.length) throw new RangeError(`${path}: ${rows.length} rows, the series has ${s.timestamps.length}`);
    out.set(
      s.name,
      rows.map((r) => Number(r[col])),
    );
  }
  return out;
}

/** Detectors whose per-row results are in the dataset. */
export function publishedDetectorsWithResults(dir: string): string[] {
  const root = join(dir, 'results');
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** final_results.json: detector → profile → normalised score. */
export function loadFinalResults(dir: string): Record<string, Record<string, number>> {
  return JSON.parse(readFileSync(join(dir, 'results', 'final_results.json'), 'utf8')) as Record<string, Record<string, number>>;
}
