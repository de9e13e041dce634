import { kibanaDiscoverUrl, toKql } from './kibana-link';
import { buildSearchBody, buildStatsBody, histogramInterval, resolveRange, toLogEntry } from './log-query';

describe('log queries', () => {
  const now = new Date('2026-11-28T12:00:00.000Z');

  it('defaults to the last hour', () => {
    expect(resolveRange({}, now)).toEqual({ from: '2026-11-28T11:00:00.000Z', to: '2026-11-28T12:00:00.000Z' });
  });

  it('matches a request id in the request line and in lines logged during the request', () => {
    const body = buildSearchBody({ requestId: 'r-1', route: '/api/x', userId: 'u' }, { page: 1, size: 10 }, now);
    expect(JSON.stringify(body.query)).toContain('"http.request.id":"r-1"');
    expect(JSON.stringify(body.query)).toContain('"reqId":"r-1"');
    expect(JSON.stringify(body.query)).toContain('"http.route":"/api/x"');
  });

  it('keeps paging inside the result window', () => {
    expect(buildSearchBody({}, { page: 1000, size: 500 }, now).from).toBe(9500);
  });

  it('picks a histogram interval giving at most 120 buckets', () => {
    expect(histogramInterval('2026-11-28T11:00:00Z', '2026-11-28T12:00:00Z')).toBe('30s');
    expect(histogramInterval('2026-11-21T12:00:00Z', '2026-11-28T12:00:00Z')).toBe('3h');
    expect(histogramInterval('2024-11-28T12:00:00Z', '2026-11-28T12:00:00Z')).toBe('7d');
    expect(histogramInterval('2016-11-28T12:00:00Z', '2026-11-28T12:00:00Z')).toBe('31d');
    expect(histogramInterval('0001-01-01T00:00:00Z', '9999-12-31T00:00:00Z')).toBe('30434d');
    expect(buildStatsBody({}, now).body.aggs.routes.aggs.latency.percentiles.field).toBe('event.duration');
  });

  it('reads dotted and nested ECS fields', () => {
    const entry = toLogEntry({ _id: '1', _index: 'i', _source: { '@timestamp': 't', 'log.level': 'warn', reqId: 'r', http: { route: '/a' } } });
    expect(entry).toMatchObject({ level: 'warn', requestId: 'r', route: '/a', durationMs: null });
  });

  it('links the same query to Kibana Discover', () => {
    expect(toKql({ levels: ['warn', 'error'], route: '/api/x' })).toBe('log.level:("warn" or "error") and http.route:"/api/x"');
    const url = kibanaDiscoverUrl('http://kibana:5601/', { q: "it's -health", levels: ['error'] }, { from: 'a', to: 'b' });
    expect(url.startsWith('http://kibana:5601/app/discover#/?_g=')).toBe(true);
    const state = decodeURIComponent(url);
    expect(state).toContain("_g=(time:(from:'a',to:'b'))");
    // The free text is the API's own simple_query_string (a minus excludes), not a KQL phrase.
    expect(state).toContain(
      "query:(simple_query_string:(query:'it!'s -health',fields:!('message^2','error.message','error.type','url.path','http.route'),default_operator:'and',lenient:!t))",
    );
    expect(state).toContain("query:(language:'kuery',query:'log.level:(\"error\")')");
    expect(state).toContain("sort:!(!('@timestamp','desc'))");
  });
});
