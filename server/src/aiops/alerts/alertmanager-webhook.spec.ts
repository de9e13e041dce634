import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertRow } from '../aiops.repository';
import { alertmanagerPayload, postWebhook } from './alertmanager-webhook';

const base: AlertRow = {
  id: 'a1',
  fingerprint: 'threshold:redis-down:health_up{check="redis"}',
  source: 'health',
  name: 'redis-down',
  component: 'redis',
  severity: 'critical',
  state: 'firing',
  summary: 'Redis does not answer',
  labels: { check: 'redis' },
  value: 0,
  strength: 1,
  silenced_by: null,
  incident_id: 'i1',
  starts_at: new Date('2026-01-01T12:00:00Z'),
  last_seen_at: new Date('2026-01-01T12:00:10Z'),
  ends_at: null,
};

describe('Alertmanager webhook', () => {
  it('builds the version 4 payload with labels, annotations, times and a stable fingerprint', () => {
    const resolved = {
      ...base,
      id: 'a2',
      fingerprint: 'other',
      name: 'http-errors',
      component: 'api',
      state: 'resolved' as const,
      ends_at: new Date('2026-01-01T12:05:00Z'),
    };
    const payload = alertmanagerPayload([base, resolved], { incidentId: 'i1', externalUrl: 'http://x' });
    expect(payload).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'aiops',
      groupKey: '{}:{incident="i1"}',
      groupLabels: { incident: 'i1' },
      commonLabels: { severity: 'critical', source: 'health', check: 'redis' },
      externalURL: 'http://x',
      truncatedAlerts: 0,
    });
    expect(payload.alerts[0]).toEqual({
      status: 'firing',
      labels: { alertname: 'redis-down', severity: 'critical', component: 'redis', source: 'health', check: 'redis' },
      annotations: { summary: 'Redis does not answer', incident: 'i1' },
      startsAt: '2026-01-01T12:00:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://x/aiops?incident=i1',
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown,
    });
    expect(payload.alerts[1]).toMatchObject({ status: 'resolved', endsAt: '2026-01-01T12:05:00.000Z' });
    expect(alertmanagerPayload([{ ...base, state: 'resolved' }], { externalUrl: 'http://x' }).status).toBe('resolved');
  });

  it('posts JSON and throws on a non-2xx answer', async () => {
    const bodies: unknown[] = [];
    let status = 503;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const payload = alertmanagerPayload([base], { externalUrl: 'http://x' });
    await expect(postWebhook(url, payload)).rejects.toThrow('503');
    status = 200;
    await postWebhook(url, payload);
    expect(bodies).toEqual([payload, payload]);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
