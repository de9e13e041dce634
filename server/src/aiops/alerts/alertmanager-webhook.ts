import { createHash } from 'node:crypto';
import type { AlertRow } from '../aiops.repository';

/** One alert in Alertmanager's webhook format (version 4). */
export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** Alertmanager's webhook body (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
export interface AlertmanagerPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
}

/** Alertmanager writes this for an alert that has not ended. */
const NOT_ENDED = '0001-01-01T00:00:00Z';

function labelsOf(alert: AlertRow): Record<string, string> {
  return { alertname: alert.name, severity: alert.severity, component: alert.component, source: alert.source, ...alert.labels };
}

function common(maps: Record<string, string>[]): Record<string, string> {
  if (!maps.length) return {};
  return Object.fromEntries(Object.entries(maps[0]).filter(([k, v]) => maps.every((m) => m[k] === v)));
}

/** The webhook body for alerts of one group (an incident, or a single alert outside any incident). */
export function alertmanagerPayload(alerts: AlertRow[], group: { incidentId?: string | null; externalUrl: string }): AlertmanagerPayload {
  const items: AlertmanagerAlert[] = alerts.map((alert) => {
    const labels = labelsOf(alert);
    return {
      status: alert.state,
      labels,
      annotations: { summary: alert.summary, ...(alert.incident_id ? { incident: alert.incident_id } : {}) },
      startsAt: alert.starts_at.toISOString(),
      endsAt: alert.ends_at ? alert.ends_at.toISOString() : NOT_ENDED,
      generatorURL: `${group.externalUrl}/aiops${alert.incident_id ? `?incident=${alert.incident_id}` : ''}`,
      fingerprint: createHash('sha256').update(alert.fingerprint).digest('hex').slice(0, 16),
    };
  });
  const groupLabels: Record<string, string> = group.incidentId ? { incident: group.incidentId } : { alertname: alerts[0]?.name ?? '' };
  return {
    version: '4',
    groupKey: `{}:{${Object.entries(groupLabels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',')}}`,
    truncatedAlerts: 0,
    status: items.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'aiops',
    groupLabels,
    commonLabels: common(items.map((a) => a.labels)),
    commonAnnotations: common(items.map((a) => ({ summary: a.annotations.summary }))),
    externalURL: group.externalUrl,
    alerts: items,
  };
}

/** A delivery that failed; `retryable` when trying again may pass (no answer, a timeout, 408, 429 or 5xx). */
export class WebhookDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

/** POSTs one payload; throws WebhookDeliveryError on a network error, a timeout or a non-2xx answer. */
export async function postWebhook(url: string, payload: AlertmanagerPayload, timeoutMs = 5000): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : error instanceof Error ? error.message : String(error);
    throw new WebhookDeliveryError(`the webhook could not be reached: ${reason}`, true);
  }
  if (!response.ok) {
    throw new WebhookDeliveryError(`the webhook answered ${response.status}`, response.status >= 500 || response.status === 408 || response.status === 429);
  }
}
