import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../core/config/app-config';
import { JobsService } from '../../core/jobs/jobs.service';
import { QUEUES } from '../../core/jobs/queues';
import { AiopsRepository, AlertRow, IncidentRow, NewAlert } from '../aiops.repository';
import { alertmanagerPayload, postWebhook, WebhookDeliveryError } from './alertmanager-webhook';
import { planIncidents } from './incident-correlator';
import { silencing } from './silences';

export interface ReconcileOutcome {
  opened: IncidentRow[];
  updated: IncidentRow[];
  resolved: string[];
  firing: number;
}

/**
 * Alerts in, incidents out: deduplicates the alerts of one collection against those already firing (one row per
 * fingerprint while it fires), resolves those no longer raised, applies silences, groups alerts into incidents with
 * ranked causes, resolves quiet incidents, and sends Alertmanager-format notifications of every change.
 */
@Injectable()
export class AlertingService {
  private readonly logger = new Logger('AiopsAlerts');

  constructor(
    private readonly repo: AiopsRepository,
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
  ) {}

  async reconcile(candidates: NewAlert[], now: Date): Promise<ReconcileOutcome> {
    const firing = await this.repo.firingAlerts();
    const byFingerprint = new Map(firing.map((a) => [a.fingerprint, a]));
    const silences = await this.repo.activeSilences(now);
    const changed: AlertRow[] = [];
    const raised = new Set<string>();
    for (const candidate of candidates) {
      if (raised.has(candidate.fingerprint)) continue;
      raised.add(candidate.fingerprint);
      const silencedBy = silencing(silences, candidate);
      const existing = byFingerprint.get(candidate.fingerprint);
      if (existing) {
        await this.repo.touchAlert(existing.id, now, {
          value: candidate.value,
          strength: Math.max(existing.strength, candidate.strength),
          summary: candidate.summary,
          severity: candidate.severity,
          silencedBy,
        });
        Object.assign(existing, { silenced_by: silencedBy, last_seen_at: now, summary: candidate.summary, severity: candidate.severity });
      } else {
        const row = await this.repo.insertAlert(candidate, now, silencedBy);
        firing.push(row);
        if (!silencedBy) changed.push(row);
      }
    }
    const ended = firing.filter((a) => !raised.has(a.fingerprint));
    await this.repo.resolveAlerts(
      ended.map((a) => a.id),
      now,
    );
    for (const alert of ended) {
      Object.assign(alert, { state: 'resolved', ends_at: now });
      if (!alert.silenced_by) changed.push(alert);
    }

    const outcome = await this.correlate(firing, now);
    await this.notify(changed);
    return outcome;
  }

  private async correlate(alerts: AlertRow[], now: Date): Promise<ReconcileOutcome> {
    const open = await this.repo.openIncidents();
    // the alerts of open incidents that have ended stay part of their evidence
    const heldIds = new Set(alerts.map((a) => a.id));
    for (const incident of open) {
      for (const alert of await this.repo.listAlerts({ incidentId: incident.id, limit: 200 })) {
        if (!heldIds.has(alert.id)) {
          alerts.push(alert);
          heldIds.add(alert.id);
        }
      }
    }
    const considered = alerts.filter((a) => !a.silenced_by);
    const outcome: ReconcileOutcome = { opened: [], updated: [], resolved: [], firing: considered.filter((a) => a.state === 'firing').length };
    const touched = new Set<string>();
    for (const plan of planIncidents(considered, open)) {
      const fields = {
        title: plan.title,
        severity: plan.severity,
        components: plan.engine.components,
        causes: [...plan.engine.causes],
        signals: [...plan.engine.signals],
        updated_at: now,
      };
      let incident: IncidentRow;
      if (plan.existing) {
        if (touched.has(plan.existing.id)) continue;
        await this.repo.updateIncident(plan.existing.id, fields);
        incident = { ...plan.existing, ...fields };
        outcome.updated.push(incident);
      } else {
        incident = { id: randomUUID(), state: 'firing', started_at: new Date(plan.engine.start), ...fields } as IncidentRow;
        await this.repo.insertIncident(incident);
        incident = (await this.repo.incident(incident.id))!;
        outcome.opened.push(incident);
        this.logger.warn({ incident: incident.id, causes: plan.engine.causes.map((c) => c.component) }, `Incident opened: ${plan.title}`);
      }
      touched.add(incident.id);
      await this.repo.assignAlerts(
        plan.alerts.filter((a) => a.incident_id !== incident.id).map((a) => a.id),
        incident.id,
      );
      for (const alert of plan.alerts) alert.incident_id = incident.id;
    }

    // an incident resolves itself once none of its alerts has fired for AIOPS_RESOLVE_AFTER_MS
    for (const incident of open) {
      const live = alerts.some((a) => a.incident_id === incident.id && a.state === 'firing' && !a.silenced_by);
      if (live) {
        if (incident.quiet_since) await this.repo.updateIncident(incident.id, { quiet_since: null });
        continue;
      }
      const quietSince = incident.quiet_since ?? now;
      if (!incident.quiet_since) await this.repo.updateIncident(incident.id, { quiet_since: now });
      if (now.getTime() - quietSince.getTime() >= this.config.AIOPS_RESOLVE_AFTER_MS) {
        await this.repo.setIncidentState(incident.id, 'resolved', 'aiops', now);
        outcome.resolved.push(incident.id);
        this.logger.log({ incident: incident.id }, `Incident resolved: ${incident.title}`);
      }
    }
    return outcome;
  }

  /** Queues one Alertmanager notification per group; delivered straight (with a few retries) while the queue is unavailable. */
  async notify(alerts: AlertRow[]): Promise<void> {
    const url = this.config.AIOPS_WEBHOOK_URL;
    if (!url || !alerts.length) return;
    const groups = new Map<string, AlertRow[]>();
    for (const alert of alerts) {
      const key = alert.incident_id ?? `alert:${alert.fingerprint}`;
      groups.set(key, [...(groups.get(key) ?? []), alert]);
    }
    const externalUrl = `http://localhost:${this.config.PORT}`;
    for (const [key, group] of groups) {
      const payload = alertmanagerPayload(group, { incidentId: key.startsWith('alert:') ? null : key, externalUrl });
      try {
        await this.jobs.submit(
          QUEUES.aiopsNotify,
          'notify',
          { userId: 'aiops', payload },
          { jobOptions: { attempts: 6, backoff: { type: 'exponential', delay: 1000 } } },
        );
      } catch {
        this.deliverDirectly(url, payload).catch((error: Error) => this.logger.warn(`Alert notification could not be delivered: ${error.message}`));
      }
    }
  }

  private async deliverDirectly(url: string, payload: Parameters<typeof postWebhook>[1]): Promise<void> {
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        await postWebhook(url, payload);
        return;
      } catch (error) {
        if (error instanceof WebhookDeliveryError && !error.retryable) throw error;
        lastError = error as Error;
        await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
      }
    }
    throw lastError ?? new Error('not delivered');
  }
}
