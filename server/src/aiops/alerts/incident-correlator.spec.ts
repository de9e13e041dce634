import type { AlertRow } from '../aiops.repository';
import { maxSeverity, opensIncident, planIncidents } from './incident-correlator';

let n = 0;
function alert(partial: Partial<AlertRow>): AlertRow {
  const start = new Date(Date.UTC(2026, 0, 1, 12, 0, 0));
  return {
    id: `a${++n}`,
    fingerprint: `f${n}`,
    source: 'threshold',
    name: 'rule',
    component: 'api',
    severity: 'warning',
    state: 'firing',
    summary: 'something',
    labels: {},
    value: 1,
    strength: 0.8,
    silenced_by: null,
    incident_id: null,
    starts_at: start,
    last_seen_at: start,
    ends_at: null,
    ...partial,
  };
}

describe('incident correlation', () => {
  it('groups a dependency failure with its symptoms and ranks the dependency first', () => {
    const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
    const alerts = [
      alert({ component: 'redis', name: 'redis-down', severity: 'critical', summary: 'Redis does not answer', starts_at: new Date(t0), strength: 1 }),
      alert({ component: 'api', name: 'http-errors', severity: 'critical', summary: '0.4 of requests fail', starts_at: new Date(t0 + 15_000), strength: 0.9 }),
      alert({ component: 'queue', name: 'queue-backlog', starts_at: new Date(t0 + 20_000), strength: 0.6 }),
    ];
    const [plan, ...rest] = planIncidents(alerts, []);
    expect(rest).toEqual([]);
    expect(plan.engine.causes[0].component).toBe('redis');
    expect(plan.title).toBe('redis: Redis does not answer');
    expect(plan.severity).toBe('critical');
    expect(plan.alerts).toHaveLength(3);
    expect(plan.existing).toBeUndefined();
  });

  it('continues the open incident that already holds one of the alerts', () => {
    const a = alert({ component: 'postgres', incident_id: 'inc-1' });
    const open = [{ id: 'inc-1' } as never];
    expect(planIncidents([a, alert({ component: 'api' })], open)[0].existing).toEqual({ id: 'inc-1' });
  });

  it('does not open an incident for one anomalous series alone, but does when anomalies agree across components', () => {
    expect(opensIncident([alert({ source: 'anomaly' })])).toBe(false);
    expect(opensIncident([alert({ source: 'anomaly', component: 'api' }), alert({ source: 'anomaly', component: 'memory' })])).toBe(true);
    expect(opensIncident([alert({ source: 'health' })])).toBe(true);
    expect(opensIncident([alert({ source: 'threshold', state: 'resolved' })])).toBe(false);
    expect(planIncidents([alert({ source: 'anomaly' })], [])).toEqual([]);
  });

  it('orders severities', () => {
    expect(maxSeverity(['info', 'critical', 'warning'])).toBe('critical');
    expect(maxSeverity([])).toBe('info');
  });
});
