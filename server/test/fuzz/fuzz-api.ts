import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { send, type RawResponse } from './http-client';
import { violations } from './invariants';
import { loadOperations, type Operation } from './openapi-operations';
import { requestCases, type RequestCase, type TokenKind } from './request-cases';

export interface FuzzOptions {
  baseUrl: string;
  /** Real access tokens of an admin and of an ordinary user. */
  tokens: { admin: string; user: string };
  seed: number;
  /** Requests per operation. */
  runs: number;
  /** Only operations whose id or path contains this. */
  only?: string;
  /** fast-check's replay path of a reported failure (with `only` and `seed`). */
  path?: string;
  log?: (line: string) => void;
}

export interface OperationReport {
  operation: string;
  requests: number;
  seconds: number;
  statuses: Record<number, number>;
  failure?: string;
}

export interface FuzzReport {
  seed: number;
  operations: OperationReport[];
  requests: number;
  failures: string[];
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Tokens that must not pass: signed with another key, `alg: none`, and plain garbage. */
export function badTokens(realToken: string): Record<'forged' | 'alg-none' | 'garbage', string> {
  const [, payload] = realToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const forgedPayload = base64url(JSON.stringify({ ...claims, role: 'admin', exp: Math.floor(Date.now() / 1000) + 3600 }));
  const hs256 = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const signature = createHmac('sha256', 'not-the-server-secret-not-the-server-secret').update(`${hs256}.${forgedPayload}`).digest('base64url');
  return {
    forged: `${hs256}.${forgedPayload}.${signature}`,
    'alg-none': `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${forgedPayload}.`,
    garbage: 'eyJ.not-a-token.\u00e9',
  };
}

/** A per-operation seed, so one operation can be replayed alone with the run's seed. */
export function operationSeed(seed: number, operationId: string): number {
  let hash = seed | 0;
  for (const char of operationId) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
}

function authorization(token: TokenKind, tokens: FuzzOptions['tokens'], bad: ReturnType<typeof badTokens>): Record<string, string> {
  if (token === 'none') return {};
  const value = token === 'admin' ? tokens.admin : token === 'user' ? tokens.user : bad[token];
  return { authorization: `Bearer ${value}` };
}

function describe(sent: RequestCase, response?: RawResponse): string {
  const body = sent.body ? sent.body.subarray(0, 300).toString('utf8') + (sent.body.length > 300 ? `… (${sent.body.length} bytes)` : '') : '';
  const answer = response ? `\n  ← ${response.status} ${String(response.headers['content-type'] ?? '')} ${response.text.slice(0, 400)}` : '';
  return `${sent.kind} as ${sent.token}: ${sent.method} ${sent.url.slice(0, 300)}${sent.url.length > 300 ? '…' : ''} ${JSON.stringify(sent.headers)} ${JSON.stringify(body)}${answer}`;
}

const RESET_TOLERATED = /raw:too-large|raw:gzip-bomb|multipart:huge-field/;

/**
 * Sends `runs` generated requests to every operation of openapi/openapi.json and checks each answer against the
 * invariants (no 5xx but 503 with Retry-After, problem+json naming the field, no leaks, valid requests succeed).
 * Operations added later are covered without changing this file.
 */
export async function fuzzApi(options: FuzzOptions): Promise<FuzzReport> {
  const operations = loadOperations().filter((op) => !options.only || op.id === options.only || op.path.includes(options.only));
  const bad = badTokens(options.tokens.user);
  const knownIds = new Set<string>();
  const ids = () => [...knownIds];
  const report: FuzzReport = { seed: options.seed, operations: [], requests: 0, failures: [] };

  for (const operation of operations) {
    const entry: OperationReport = { operation: operation.id, requests: 0, seconds: 0, statuses: {} };
    const started = performance.now();
    const seed = operationSeed(options.seed, operation.id);
    const property = fc.asyncProperty(requestCases(operation, ids), async (sent) => {
      const response = await exchange(options, operation, sent, bad);
      entry.requests++;
      if (!response) return;
      entry.statuses[response.status] = (entry.statuses[response.status] ?? 0) + 1;
      const broken = violations(operation, sent, response);
      if (broken.length) throw new Error(`${broken.join('; ')}\n  → ${describe(sent, response)}`);
      if (response.status < 300 && String(response.headers['content-type'] ?? '').includes('json')) {
        for (const id of response.text.match(UUID) ?? []) if (knownIds.size < 500) knownIds.add(id.toLowerCase());
      }
    });
    const details = await fc.check(property, { seed, numRuns: options.runs, endOnFailure: true, ...(options.path ? { path: options.path } : {}) });
    if (details.failed) {
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      entry.failure = cause;
      report.failures.push(
        `${operation.id} (${operation.method} ${operation.path}): ${cause}\n  replay: npm run fuzz -- --seed ${options.seed} --only ${operation.id} --path ${details.counterexamplePath}`,
      );
    }
    entry.seconds = (performance.now() - started) / 1000;
    report.requests += entry.requests;
    report.operations.push(entry);
    options.log?.(
      `${entry.failure ? 'FAIL' : 'ok  '} ${operation.id.padEnd(34)} ${String(entry.requests).padStart(5)} requests ${entry.seconds.toFixed(1).padStart(5)} s  ${formatStatuses(entry.statuses)}`,
    );
  }
  return report;
}

async function exchange(options: FuzzOptions, operation: Operation, sent: RequestCase, bad: ReturnType<typeof badTokens>): Promise<RawResponse | undefined> {
  try {
    return await send(options.baseUrl, {
      method: sent.method,
      url: sent.url,
      headers: { ...sent.headers, ...authorization(sent.token, options.tokens, bad) },
      body: sent.body,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'ECONNRESET' || code === 'EPIPE') && RESET_TOLERATED.test(sent.kind)) return undefined;
    throw new Error(`no HTTP answer (${error instanceof Error ? error.message : String(error)})\n  → ${describe(sent)}`);
  }
}

export function formatStatuses(statuses: Record<number, number>): string {
  return Object.entries(statuses)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
}
