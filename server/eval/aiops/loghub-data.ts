/** Reading LogHub-2k (../shared/datasets/loghub2k): raw lines, message contents and the labelled templates. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../lib/csv';

export const LOGHUB_SYSTEMS = ['Apache', 'BGL', 'HDFS', 'Hadoop', 'HealthApp', 'Linux', 'OpenSSH', 'Spark', 'Windows', 'Zookeeper'] as const;

/** The reference Drain evaluation's settings for one system (log-formats.json). */
export interface LogFormat {
  readonly log_format: string;
  readonly masks: string[];
  readonly drain_similarity: number;
  readonly drain_depth: number;
}

export interface LabelledLog {
  readonly system: string;
  /** The raw lines, header included. */
  readonly raw: string[];
  /** The message part of each line (the <Content> field of the system's log format). */
  readonly contents: string[];
  /** Ground-truth template of each line, per label set. */
  readonly truth: { readonly original: string[]; readonly corrected: string[] };
  readonly format: LogFormat;
}

/** logparser's generate_logformat_regex: `<Field>` → a lazy named group, runs of spaces → \s+, anchored. */
export function logFormatRegex(format: string): RegExp {
  const parts = format.split(/(<[^<>]+>)/);
  let regex = '';
  parts.forEach((part, k) => {
    if (k % 2 === 0) regex += part.replace(/ +/g, '\\s+');
    else regex += `(?<${part.slice(1, -1)}>.*?)`;
  });
  return new RegExp(`^${regex}$`);
}

function templates(path: string, expected: number): string[] {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  const col = header.indexOf('EventTemplate');
  const out = rows.filter((r) => r.length > col).map((r) => r[col]);
  if (out.length !== expected) throw new RangeError(`${path}: ${out.length} labelled lines, the log has ${expected}`);
  return out;
}

/** One system's lines and labels; lines the log format does not match are dropped, as logparser does. */
export function loadSystem(dir: string, system: string): LabelledLog {
  const formats = JSON.parse(readFileSync(join(dir, 'log-formats.json'), 'utf8')) as Record<string, LogFormat>;
  const format = formats[system];
  const regex = logFormatRegex(format.log_format);
  const raw: string[] = [];
  const contents: string[] = [];
  for (const line of readFileSync(join(dir, system, `${system}_2k.log`), 'utf8').split(/\r?\n/)) {
    const m = regex.exec(line.trim());
    if (!m?.groups) continue;
    raw.push(line);
    contents.push(m.groups.Content);
  }
  const base = join(dir, system, `${system}_2k.log_structured`);
  return {
    system,
    raw,
    contents,
    truth: { original: templates(`${base}.csv`, raw.length), corrected: templates(`${base}_corrected.csv`, raw.length) },
    format,
  };
}
