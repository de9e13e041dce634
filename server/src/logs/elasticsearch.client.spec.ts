import { Client, errors } from '@elastic/elasticsearch';
import Mock from '@elastic/elasticsearch-mock';
import { loadConfig } from '../core/config/app-config';
import { ElasticsearchClient, LogStoreUnavailableError } from './elasticsearch.client';

function setup(env: Record<string, string> = {}) {
  const mock = new Mock();
  const client = new Client({ node: 'http://es.test:9200', Connection: mock.getConnection(), maxRetries: 0 });
  const config = loadConfig({ NODE_ENV: 'test', ELASTICSEARCH_URL: 'http://es.test:9200', ...env });
  return { mock, store: new ElasticsearchClient(config, client) };
}

describe('ElasticsearchClient', () => {
  it('searches with filters and maps hits to log entries', async () => {
    const { mock, store } = setup();
    let sent: Record<string, unknown> = {};
    mock.add({ method: 'POST', path: '/:index/_search' }, (params) => {
      sent = params.body as Record<string, unknown>;
      return {
        hits: {
          total: { value: 42, relation: 'eq' },
          hits: [
            {
              _index: 'xiaoyu-ai-logs-2026.11.28',
              _id: 'abc1',
              _source: {
                '@timestamp': '2026-11-28T10:00:00.000Z',
                'log.level': 'error',
                message: 'GET /api/music/1 500',
                http: { request: { id: 'r-1' }, response: { status_code: 500 }, route: '/api/music/:id' },
                event: { duration: 12_500_000 },
                user: { id: 'u-1' },
              },
            },
          ],
        },
      };
    });
    const result = await store.search(
      { levels: ['error'], requestId: 'r-1', q: 'timeout', from: '2026-11-28T09:00:00Z', to: '2026-11-28T11:00:00Z' },
      { page: 2, size: 20 },
    );
    expect(result.total).toBe(42);
    expect(result.hits[0]).toMatchObject({
      id: 'abc1',
      level: 'error',
      requestId: 'r-1',
      route: '/api/music/:id',
      statusCode: 500,
      durationMs: 12.5,
      userId: 'u-1',
    });
    expect(sent).toMatchObject({ from: 20, size: 20, sort: [{ '@timestamp': { order: 'desc' } }] });
    const filters = (sent.query as { bool: { filter: unknown[] } }).bool.filter;
    expect(filters).toEqual(
      expect.arrayContaining([
        { terms: { 'log.level': ['error'] } },
        expect.objectContaining({ simple_query_string: expect.objectContaining({ query: 'timeout' }) as unknown }) as unknown,
      ]),
    );
  });

  it('reads counts by level over time, top errors and latency percentiles by route', async () => {
    const { mock, store } = setup();
    mock.add({ method: 'POST', path: '/:index/_search' }, () => ({
      hits: { total: { value: 10, relation: 'eq' }, hits: [] },
      aggregations: {
        levels: {
          buckets: [
            { key: 'info', doc_count: 8 },
            { key: 'error', doc_count: 2 },
          ],
        },
        over_time: {
          buckets: [
            {
              key: 0,
              key_as_string: '2026-11-28T10:00:00.000Z',
              doc_count: 10,
              levels: {
                buckets: [
                  { key: 'info', doc_count: 8 },
                  { key: 'error', doc_count: 2 },
                ],
              },
            },
          ],
        },
        top_errors: { doc_count: 2, messages: { buckets: [{ key: 'boom', doc_count: 2 }] } },
        routes: { buckets: [{ key: '/api/music', doc_count: 8, latency: { values: { '50.0': 2e6, '95.0': 9e6, '99.0': 1.5e7 } } }] },
      },
    }));
    const stats = await store.stats({ from: '2026-11-28T10:00:00Z', to: '2026-11-28T11:00:00Z' });
    expect(stats).toMatchObject({
      interval: '30s',
      total: 10,
      byLevel: [
        { level: 'info', count: 8 },
        { level: 'error', count: 2 },
      ],
      histogram: [{ timestamp: '2026-11-28T10:00:00.000Z', counts: { info: 8, error: 2 } }],
      topErrors: [{ message: 'boom', count: 2 }],
      latencyByRoute: [{ route: '/api/music', count: 8, p50Ms: 2, p95Ms: 9, p99Ms: 15 }],
    });
  });

  it('reports an unreachable or unconfigured store as LogStoreUnavailableError', async () => {
    const { mock, store } = setup();
    mock.add(
      { method: 'POST', path: '/:index/_search' },
      () => new errors.ResponseError({ body: { error: 'unavailable' }, statusCode: 503, headers: {}, warnings: null, meta: {} as never }),
    );
    await expect(store.search({}, { page: 1, size: 10 })).rejects.toBeInstanceOf(LogStoreUnavailableError);
    for (const statusCode of [401, 403, 404]) {
      const refusing = setup();
      refusing.mock.add(
        { method: 'POST', path: '/:index/_search' },
        () => new errors.ResponseError({ body: { error: 'refused' }, statusCode, headers: {}, warnings: null, meta: {} as never }),
      );
      await expect(refusing.store.search({}, { page: 1, size: 10 })).rejects.toThrow(`HTTP ${statusCode}`);
    }
    const unconfigured = new ElasticsearchClient(loadConfig({ NODE_ENV: 'test' }));
    expect(unconfigured.isConfigured).toBe(false);
    await expect(unconfigured.stats({})).rejects.toThrow('ELASTICSEARCH_URL');
  });
});
