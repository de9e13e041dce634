import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusSource, PROMQL } from './prometheus-source';

describe('PrometheusSource', () => {
  let server: http.Server;
  let url = '';
  const queries: string[] = [];
  const authorizations: (string | undefined)[] = [];
  let failing = false;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const query = new URL(req.url ?? '', 'http://x').searchParams.get('query') ?? '';
      queries.push(query);
      if (req.url?.includes('/authed/')) authorizations.push(req.headers.authorization);
      if (failing) return res.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', error: 'bad query' }));
      const result = query.includes('by (queue)')
        ? [
            { metric: { queue: 'a' }, value: [1, '4'] },
            { metric: { queue: 'b' }, value: [1, 'NaN'] },
          ]
        : [{ metric: {}, value: [1, '0.25'] }];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prom`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('asks the HTTP API one instant query per series and keeps the labels it groups by', async () => {
    const readings = await new PrometheusSource(url).read(1_700_000_000_000);
    expect(queries).toHaveLength(PROMQL.length);
    expect(readings.find((r) => r.metric === 'eventloop_lag_p99_seconds')).toEqual({
      metric: 'eventloop_lag_p99_seconds',
      labels: {},
      value: 0.25,
      component: 'event-loop',
    });
    expect(readings.filter((r) => r.metric === 'queue_waiting')).toEqual([{ metric: 'queue_waiting', labels: { queue: 'a' }, value: 4, component: 'queue' }]);
  });

  it('reports a Prometheus error', async () => {
    failing = true;
    await expect(new PrometheusSource(url).read(0)).rejects.toThrow('422: bad query');
    failing = false;
  });

  it('sends credentials in the URL as Basic authentication, and never the URL with them in an error', async () => {
    const withCredentials = `${url.replace('http://', 'http://ops:s%3Acret@')}/authed`;
    await new PrometheusSource(withCredentials).read(0);
    expect(new Set(authorizations)).toEqual(new Set([`Basic ${Buffer.from('ops:s:cret').toString('base64')}`]));
    failing = true;
    try {
      const error = (await new PrometheusSource(withCredentials).read(0).catch((e: unknown) => e)) as Error;
      expect(error.message).toContain('422');
      expect(error.message).not.toContain('cret');
    } finally {
      failing = false;
    }
  });
});
