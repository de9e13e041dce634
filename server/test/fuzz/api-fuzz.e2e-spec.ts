import { send } from './http-client';
import { fuzzApi, formatStatuses } from './fuzz-api';
import { memoryMb, startFuzzTarget, type FuzzTarget } from './fuzz-app';
import { loadOperations } from './openapi-operations';

/** Fixed, so `npm test` is repeatable; `npm run fuzz` draws a new seed each time. */
const SEED = 20_261_129;
/** About 800 requests in all, at least 10 per operation however many operations there are. */
const TOTAL_REQUESTS = 800;
const HEAP_GROWTH_LIMIT_MB = 256;

jest.setTimeout(120_000);

/** Property-based fuzzing of every operation in openapi/openapi.json (see docs/reliability.md). */
describe('API fuzzing from the OpenAPI document (e2e)', () => {
  let target: FuzzTarget;

  beforeAll(async () => {
    target = await startFuzzTarget();
  });
  afterAll(() => target.close());

  it('answers every generated request within the invariants, stays up and keeps its memory', async () => {
    const operations = loadOperations();
    const runs = Math.max(10, Math.floor(TOTAL_REQUESTS / operations.length));
    // warm-up: the first requests of each route allocate caches that are not growth
    await fuzzApi({ baseUrl: target.baseUrl, tokens: target.tokens, seed: SEED + 1, runs: 2 });
    const before = memoryMb();

    const report = await fuzzApi({ baseUrl: target.baseUrl, tokens: target.tokens, seed: SEED, runs });

    const live = await send(target.baseUrl, { method: 'GET', url: '/api/health/live', headers: {} });
    const after = memoryMb();
    const summary = report.operations.map((o) => `${o.failure ? 'FAIL' : 'ok  '} ${o.operation} ${formatStatuses(o.statuses)}`).join('\n');
    expect({ failures: report.failures, summary }).toEqual({ failures: [], summary });
    expect(report.requests).toBeGreaterThanOrEqual(operations.length * runs);
    expect(live.status).toBe(200);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(HEAP_GROWTH_LIMIT_MB);
  });
});
