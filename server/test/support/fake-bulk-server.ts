import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A stand-in for Elasticsearch that speaks the `_bulk` NDJSON wire format (plus `/`, index templates, ILM
 * policies and a minimal `_search`), and misbehaves on command: go down (refuse connections), drop
 * connections, answer 429/503, fail single bulk items, or answer slowly. Used by the fault tests and
 * `npm run bench:logs`; run standalone with `node -r @swc-node/register fake-bulk-server.ts [port]`, then
 * steer it over HTTP: `POST /_fake/fault` (JSON Fault), `POST /_fake/outage?ms=15000`, `GET /_fake/stats?field=n`,
 * `POST /_fake/reset`.
 */

export type Fault =
  | { kind: 'none' }
  /** accept the connection, then destroy it without answering */
  | { kind: 'drop' }
  /** answer every bulk request with this status (429 storm, 503 unavailable) */
  | { kind: 'status'; status: number }
  /** index the documents but answer after `delayMs` (a client timeout then sees a failure that actually succeeded) */
  | { kind: 'slow'; delayMs: number }
  /** fail every `every`-th bulk item with `status` (partial failure); an item fails at most `times` times (default 1) */
  | { kind: 'fail-items'; every: number; status: number; times?: number };

export interface FakeBulkStats {
  /** documents stored (distinct index/_id) */
  stored: number;
  bulkRequests: number;
  /** `create` of an _id that was already stored (answered 409) */
  conflicts: number;
  /** items answered 400 (documents carrying "poison":true) */
  rejected: number;
  /** items failed on purpose by a `fail-items` fault */
  failedItems: number;
  /** with ?field=f: distinct values of that field among stored docs, and how many stored docs repeat a value */
  unique?: number;
  duplicates?: number;
}

const ES_HEADERS = { 'x-elastic-product': 'Elasticsearch', 'content-type': 'application/json' };
/** What a bulk endpoint that is not Elasticsearch itself may answer with: no product header, JSON not labelled so. */
const PLAIN_HEADERS = { 'content-type': 'text/plain' };

/** The fake's own trouble goes to stderr: a test then fails on what it expected, with this line as the reason. */
function reportFailure(what: string): (err: unknown) => void {
  return (err) => process.stderr.write(`fake-bulk-server ${what}: ${err instanceof Error ? err.message : String(err)}\n`);
}

export class FakeBulkServer {
  private server: http.Server | null = null;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private fault: Fault = { kind: 'none' };
  private readonly failuresById = new Map<string, number>();
  private itemCounter = 0;
  private generatedIds = 0;
  private outageTimer: NodeJS.Timeout | null = null;
  private readonly slowAnswers = new Set<NodeJS.Timeout>();
  /** `${index}\u0000${_id}` → document source text */
  readonly docs = new Map<string, string>();
  readonly templates = new Map<string, unknown>();
  readonly policies = new Map<string, unknown>();
  private counters = { bulkRequests: 0, conflicts: 0, rejected: 0, failedItems: 0 };
  /** Answer as a bulk endpoint that does not claim to be Elasticsearch (no `x-elastic-product`, text/plain). */
  plain = false;
  /** Lean mode (HTTP-cost benchmark): count documents and answer 201 for each without parsing or storing them. */
  lean = false;
  private leanCount = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get isDown(): boolean {
    return this.server === null;
  }

  async start(port = 0): Promise<string> {
    this.port = port;
    await this.listen();
    return this.url;
  }

  /** Stops listening and severs every open connection: clients get ECONNREFUSED until `comeBack()`. */
  async goDown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async comeBack(): Promise<void> {
    if (!this.server) await this.listen();
  }

  /** Goes down now and comes back after `ms`. */
  async outage(ms: number): Promise<void> {
    await this.goDown();
    if (this.outageTimer) clearTimeout(this.outageTimer);
    this.outageTimer = setTimeout(() => {
      this.outageTimer = null;
      this.comeBack().catch(reportFailure('could not come back after the outage'));
    }, ms);
  }

  setFault(fault: Fault): void {
    this.fault = fault;
    if (fault.kind === 'drop') {
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
    }
    this.itemCounter = 0;
  }

  reset(): void {
    this.docs.clear();
    this.leanCount = 0;
    this.failuresById.clear();
    this.counters = { bulkRequests: 0, conflicts: 0, rejected: 0, failedItems: 0 };
    this.fault = { kind: 'none' };
  }

  async stop(): Promise<void> {
    if (this.outageTimer) clearTimeout(this.outageTimer);
    for (const t of this.slowAnswers) clearTimeout(t);
    this.slowAnswers.clear();
    await this.goDown();
  }

  /** Parsed stored documents. */
  documents(): Array<Record<string, unknown>> {
    return [...this.docs.values()].map((d) => JSON.parse(d) as Record<string, unknown>);
  }

  stats(field?: string): FakeBulkStats {
    const out: FakeBulkStats = { stored: this.docs.size + this.leanCount, ...this.counters };
    if (field) {
      const seen = new Set<unknown>();
      let duplicates = 0;
      for (const doc of this.documents()) {
        const v = doc[field];
        if (seen.has(v)) duplicates += 1;
        else seen.add(v);
      }
      out.unique = seen.size;
      out.duplicates = duplicates;
    }
    return out;
  }

  private listen(): Promise<void> {
    const server = http.createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket) => {
      if (this.fault.kind === 'drop') {
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        this.server = server;
        resolve();
      });
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        this.route(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        this.json(res, 500, { error: { type: 'fake_server_exception', reason: (err as Error).message }, status: 500 });
      }
    });
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const p = url.pathname;
    const method = req.method ?? 'GET';
    if (p.startsWith('/_fake/')) return this.control(p, method, url, body, res);
    if (p === '/' || p === '') {
      return this.json(res, 200, {
        name: 'fake-bulk-server',
        cluster_name: 'fake',
        version: { number: '8.15.0', build_flavor: 'default', lucene_version: '9.11.1' },
        tagline: 'You Know, for Search',
      });
    }
    if (p === '/_bulk' || p.endsWith('/_bulk')) return this.bulk(res, body, p);
    let m = /^\/_index_template\/([^/]+)$/.exec(p);
    if (m) return this.resource(this.templates, decodeURIComponent(m[1]), method, body, res, (name, v) => ({ index_templates: [{ name, index_template: v }] }));
    m = /^\/_ilm\/policy\/([^/]+)$/.exec(p);
    if (m)
      return this.resource(this.policies, decodeURIComponent(m[1]), method, body, res, (name, v) => ({
        [name]: { version: 1, policy: (v as { policy?: unknown }).policy },
      }));
    m = /^\/([^/]+)\/_search$/.exec(p);
    if (m) return this.search(decodeURIComponent(m[1]), body ? (JSON.parse(body) as Record<string, unknown>) : {}, res);
    if (p.endsWith('/_refresh')) return this.json(res, 200, { _shards: { total: 1, successful: 1, failed: 0 } });
    this.json(res, 404, { error: { type: 'fake_unsupported', reason: `${method} ${p}` }, status: 404 });
  }

  private bulk(res: http.ServerResponse, body: string, path: string): void {
    this.counters.bulkRequests += 1;
    const fault = this.fault;
    if (fault.kind === 'status') {
      return this.json(res, fault.status, { error: { type: 'es_rejected_execution_exception', reason: 'fault injected' }, status: fault.status });
    }
    if (this.lean) {
      let n = 0;
      for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) n += 1;
      const docs = Math.floor(n / 2);
      this.leanCount += docs;
      res.writeHead(200, this.plain ? PLAIN_HEADERS : ES_HEADERS);
      res.end(`{"took":1,"errors":false,"items":[${'{"create":{"status":201}},'.repeat(docs).slice(0, -1)}]}`);
      return;
    }
    const defaultIndex = path === '/_bulk' ? undefined : decodeURIComponent(path.slice(1, -'/_bulk'.length));
    const lines = body.split('\n');
    const items: unknown[] = [];
    let errors = false;
    for (let i = 0; i + 1 < lines.length; i += 2) {
      if (!lines[i]) {
        i -= 1;
        continue;
      }
      const action = JSON.parse(lines[i]) as Record<string, { _index?: string; _id?: string; op_type?: string }>;
      const op = Object.keys(action)[0];
      const meta = action[op];
      const index = meta._index ?? defaultIndex ?? 'default';
      const id = meta._id ?? `gen-${++this.generatedIds}`;
      const key = `${index}\u0000${id}`;
      const source = lines[i + 1];
      this.itemCounter += 1;
      let status: number;
      let error: unknown;
      if (fault.kind === 'fail-items' && this.itemCounter % fault.every === 0 && (this.failuresById.get(key) ?? 0) < (fault.times ?? 1)) {
        this.failuresById.set(key, (this.failuresById.get(key) ?? 0) + 1);
        this.counters.failedItems += 1;
        status = fault.status;
        error = { type: status === 429 ? 'es_rejected_execution_exception' : 'fault_injected', reason: 'fault injected' };
      } else if (source.includes('"poison":true')) {
        this.counters.rejected += 1;
        status = 400;
        error = { type: 'document_parsing_exception', reason: '[1:2] failed to parse field [poison]' };
      } else if (this.docs.has(key) && (op === 'create' || meta.op_type === 'create')) {
        this.counters.conflicts += 1;
        status = 409;
        error = { type: 'version_conflict_engine_exception', reason: `[${id}]: version conflict, document already exists` };
      } else {
        JSON.parse(source);
        this.docs.set(key, source);
        status = 201;
      }
      if (status >= 300) errors = true;
      items.push({ [op]: { _index: index, _id: id, status, ...(error ? { error } : { result: 'created', _version: 1 }) } });
    }
    const payload = { took: 1, errors, items };
    if (fault.kind === 'slow') {
      const timer = setTimeout(() => {
        this.slowAnswers.delete(timer);
        this.json(res, 200, payload);
      }, fault.delayMs);
      this.slowAnswers.add(timer);
      return;
    }
    this.json(res, 200, payload);
  }

  private resource(
    store: Map<string, unknown>,
    name: string,
    method: string,
    body: string,
    res: http.ServerResponse,
    render: (name: string, value: unknown) => unknown,
  ): void {
    if (method === 'PUT' || method === 'POST') {
      store.set(name, JSON.parse(body || '{}'));
      return this.json(res, 200, { acknowledged: true });
    }
    if (method === 'DELETE') {
      store.delete(name);
      return this.json(res, 200, { acknowledged: true });
    }
    if (!store.has(name)) return this.json(res, 404, { error: { type: 'resource_not_found_exception', reason: name }, status: 404 });
    this.json(res, 200, render(name, store.get(name)));
  }

  /**
   * A deliberately small `_search`: the `@timestamp` range of a `bool.filter` (the explorer's time window, the live
   * tail's cursor), sorted by @timestamp (newest first unless the request sorts ascending), `size`/`from`, empty
   * aggregations; every other clause is ignored.
   */
  private search(target: string, body: Record<string, unknown>, res: http.ServerResponse): void {
    const patterns = target.split(',').map((t) => new RegExp(`^${t.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
    const hits: Array<{ _index: string; _id: string; _source: Record<string, unknown> }> = [];
    for (const [key, doc] of this.docs) {
      const [index, id] = key.split('\u0000');
      if (patterns.some((re) => re.test(index))) hits.push({ _index: index, _id: id, _source: JSON.parse(doc) as Record<string, unknown> });
    }
    const { gte, lte } = timestampRange(body.query);
    const inRange = hits.filter((h) => {
      const at = Date.parse(String(h._source['@timestamp']));
      return (gte === undefined || at >= gte) && (lte === undefined || at <= lte);
    });
    const ascending = JSON.stringify(body.sort ?? '').includes('"order":"asc"');
    inRange.sort((a, b) => (ascending ? 1 : -1) * String(a._source['@timestamp']).localeCompare(String(b._source['@timestamp'])));
    const from = Number(body.from ?? 0);
    const size = Number(body.size ?? 10);
    const aggregations: Record<string, unknown> = {};
    for (const name of Object.keys(body.aggs ?? body.aggregations ?? {})) aggregations[name] = { buckets: [], values: {} };
    this.json(res, 200, {
      took: 1,
      timed_out: false,
      hits: { total: { value: inRange.length, relation: 'eq' }, max_score: null, hits: inRange.slice(from, from + size).map((h) => ({ ...h, _score: null })) },
      aggregations,
    });
  }

  private control(p: string, method: string, url: URL, body: string, res: http.ServerResponse): void {
    if (p === '/_fake/stats') return this.json(res, 200, this.stats(url.searchParams.get('field') ?? undefined));
    if (p === '/_fake/fault' && method === 'POST') {
      this.setFault(JSON.parse(body) as Fault);
      return this.json(res, 200, { ok: true });
    }
    if (p === '/_fake/lean' && method === 'POST') {
      this.lean = url.searchParams.get('on') === '1';
      return this.json(res, 200, { ok: true, lean: this.lean });
    }
    if (p === '/_fake/reset' && method === 'POST') {
      this.reset();
      return this.json(res, 200, { ok: true });
    }
    if (p === '/_fake/outage' && method === 'POST') {
      const ms = Number(url.searchParams.get('ms') ?? 15_000);
      this.json(res, 200, { ok: true, ms });
      res.on('finish', () => {
        this.outage(ms).catch(reportFailure('could not start the outage'));
      });
      return;
    }
    this.json(res, 404, { error: 'unknown control endpoint' });
  }

  private json(res: http.ServerResponse, status: number, payload: unknown): void {
    if (res.destroyed) return;
    res.writeHead(status, this.plain ? PLAIN_HEADERS : ES_HEADERS);
    res.end(JSON.stringify(payload));
  }
}

/** The `@timestamp` bounds (ms) of the `range` clauses in a query's `bool.filter`. */
function timestampRange(query: unknown): { gte?: number; lte?: number } {
  const filters = (query as { bool?: { filter?: unknown[] } } | undefined)?.bool?.filter ?? [];
  const out: { gte?: number; lte?: number } = {};
  for (const clause of filters) {
    const range = (clause as { range?: Record<string, { gte?: string; lte?: string }> }).range?.['@timestamp'];
    if (range?.gte !== undefined) out.gte = Date.parse(range.gte);
    if (range?.lte !== undefined) out.lte = Date.parse(range.lte);
  }
  return out;
}

if (require.main === module) {
  const server = new FakeBulkServer();
  server
    .start(Number(process.argv[2] ?? 0))
    .then((url) => process.stdout.write(`${JSON.stringify({ url })}\n`))
    .catch((err: unknown) => {
      reportFailure('could not start')(err);
      process.exit(1);
    });
  process.on('SIGTERM', () => {
    server
      .stop()
      .catch(reportFailure('could not stop cleanly'))
      .finally(() => process.exit(0));
  });
}
