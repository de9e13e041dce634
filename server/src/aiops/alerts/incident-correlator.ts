import type { AiopsSeverity } from '../../core/db/schema';
import { AiopsSignal, analyseIncidents, type Incident as EngineIncident } from '../engine';
import type { AlertRow, IncidentRow } from '../aiops.repository';

const SEVERITY_RANK: Record<AiopsSeverity, number> = { critical: 3, warning: 2, info: 1 };

export function maxSeverity(severities: AiopsSeverity[]): AiopsSeverity {
  return severities.reduce<AiopsSeverity>((max, s) => (SEVERITY_RANK[s] > SEVERITY_RANK[max] ? s : max), 'info');
}

export function toSignal(alert: AlertRow): AiopsSignal {
  return {
    id: alert.id,
    kind: alert.source === 'health' ? 'health' : alert.source === 'log' ? 'log' : 'metric',
    component: alert.component,
    start: alert.starts_at.getTime(),
    ...(alert.state === 'resolved' && alert.ends_at ? { end: alert.ends_at.getTime() } : {}),
    strength: alert.strength,
    description: alert.summary,
  };
}

/**
 * Whether a group of alerts is worth an incident on its own. Threshold, health, forecast and log-burst alerts are;
 * anomaly scores only when they agree across two or more components (one series' anomaly alone is too often noise:
 * about 2 per 1,000 points on plain noise, see docs/aiops-engine.md).
 */
export function opensIncident(alerts: AlertRow[]): boolean {
  const firing = alerts.filter((a) => a.state === 'firing');
  if (firing.some((a) => a.source !== 'anomaly')) return true;
  return new Set(firing.map((a) => a.component)).size >= 2;
}

export interface PlannedIncident {
  /** The open incident this group continues, or undefined for a new one. */
  existing?: IncidentRow;
  engine: EngineIncident;
  alerts: AlertRow[];
  title: string;
  severity: AiopsSeverity;
}

/**
 * Groups alerts into incidents with the engine (time + dependency graph) and ranks their causes; a group continues
 * the open incident that already holds one of its alerts.
 */
export function planIncidents(alerts: AlertRow[], open: IncidentRow[]): PlannedIncident[] {
  const byId = new Map(alerts.map((a) => [a.id, a]));
  const openById = new Map(open.map((i) => [i.id, i]));
  const plans: PlannedIncident[] = [];
  for (const engine of analyseIncidents(alerts.map(toSignal))) {
    const members = engine.signals.map((s) => byId.get(s.id)).filter((a): a is AlertRow => !!a);
    const existing = members.map((a) => (a.incident_id ? openById.get(a.incident_id) : undefined)).find((i) => !!i);
    if (!existing && !opensIncident(members)) continue;
    const top = engine.causes[0];
    const firing = members.filter((a) => a.state === 'firing');
    const headline = [...(firing.length ? firing : members)].sort(
      (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || Number(a.component !== top?.component) - Number(b.component !== top?.component),
    )[0];
    plans.push({
      existing,
      engine,
      alerts: members,
      title: `${top?.component ?? headline.component}: ${headline.summary}`,
      severity: maxSeverity(members.map((a) => a.severity)),
    });
  }
  return plans;
}
