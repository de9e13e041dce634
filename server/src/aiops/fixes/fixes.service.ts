import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AppConfig } from '../../core/config/app-config';
import { ProblemException, ServiceUnavailableProblem } from '../../core/errors/problem';
import { AiopsRepository, AlertRow, AuditRow, IncidentRow } from '../aiops.repository';
import { AdvisedFix, AutoFixAdvisor } from './auto-fix-advisor';
import { FixAction, FixActions, FixPlan, UndoSpec } from './fix-actions';

/** A dry run counts as "first" for an execution within this long. */
const DRY_RUN_VALID_MS = 15 * 60_000;
/** An automatic fix is not repeated for one incident within this long. */
const AUTO_REPEAT_MS = 10 * 60_000;
/** The alerts that say a queue's jobs are failing now. */
const QUEUE_FAILURE_ALERTS = new Set(['queue-failures', 'queue-failure-burst']);

/**
 * Whether the queue's jobs still fail: the policy then does not retry them (they would fail again and spend their
 * attempts); it retries once the failure alerts have ended, as the runbook says a person should.
 */
function stillFailing(alerts: AlertRow[], queue: string | undefined): boolean {
  return alerts.some((a) => a.state === 'firing' && QUEUE_FAILURE_ALERTS.has(a.name) && a.labels.queue === queue);
}

/** How long one run of an action may hold its lease: far longer than any action takes (a pool swap waits 5 s). */
const FIX_LEASE_MS = 120_000;

export interface Actor {
  /** A user id, or `aiops-policy` for automatic fixes. */
  id: string;
  /** What the audit shows: the user's email, or `aiops-policy`. */
  name: string;
  automatic: boolean;
}

/**
 * Runs fixes safely: a dry run first (what would change, nothing changed; one dry run allows one execution), the
 * preconditions checked again at execution (409 when they no longer hold), a rate limit per action, one run of an
 * action at a time across replicas and the automatic policy (a lease in the database), every step audited (who, what,
 * when, result), and a revert for reversible fixes.
 */
@Injectable()
export class FixesService {
  private readonly logger = new Logger('AiopsFixes');

  constructor(
    private readonly repo: AiopsRepository,
    private readonly advisor: AutoFixAdvisor,
    private readonly actions: FixActions,
    private readonly config: AppConfig,
  ) {}

  /** The incident and the fix advised for it; 404 for either unknown. */
  async resolve(incidentId: string, fixId: string): Promise<{ incident: IncidentRow; fix: AdvisedFix }> {
    const incident = await this.repo.incident(incidentId);
    if (!incident) throw new NotFoundException(`There is no incident ${incidentId}.`);
    const alerts = await this.repo.listAlerts({ incidentId, limit: 500 });
    const fix = this.advisor.advise(incident, alerts).fixes.find((f) => f.id === fixId);
    if (!fix) throw new NotFoundException(`Incident ${incidentId} has no fix ${fixId}.`);
    return { incident, fix };
  }

  async dryRun(incidentId: string, fixId: string, actor: Actor): Promise<AuditRow> {
    const { incident, fix } = await this.resolve(incidentId, fixId);
    const { action } = this.executable(fix);
    const refusal = await this.check(fix);
    if (refusal) {
      await this.record(incident, fix, 'dry-run', actor, 'refused', refusal, []);
      throw new ProblemException(HttpStatus.CONFLICT, `The fix cannot run now: ${refusal}.`, { extensions: { fixId } });
    }
    let plan: FixPlan;
    try {
      plan = await action.plan(fix.target);
    } catch (error) {
      // Planning reads live state (the queue, the pool): a dependency that does not answer is a failed dry run, audited.
      const detail = (error as Error).message;
      await this.record(incident, fix, 'dry-run', actor, 'failed', detail, []);
      throw new ServiceUnavailableProblem(`The dry run could not read what ${fixId} would change: ${detail}.`);
    }
    return this.record(incident, fix, 'dry-run', actor, 'planned', plan.summary, plan.changes);
  }

  async execute(incidentId: string, fixId: string, actor: Actor): Promise<AuditRow> {
    const { incident, fix } = await this.resolve(incidentId, fixId);
    const { id: actionId, action } = this.executable(fix);
    return this.leased(actionId, async () => {
      await this.assertUnusedDryRun(incidentId, fixId);
      if (!actor.automatic) await this.assertWithinRateLimit(actionId);
      const refusal = await this.check(fix);
      if (refusal) {
        await this.record(incident, fix, 'execute', actor, 'refused', refusal, []);
        throw new ProblemException(HttpStatus.CONFLICT, `The fix's preconditions no longer hold: ${refusal}.`, { extensions: { fixId } });
      }
      let plan: FixPlan | undefined;
      try {
        plan = await action.plan(fix.target);
        const result = await action.apply(fix.target, plan);
        this.logger.warn({ incident: incidentId, fix: fixId, actor: actor.id, ok: result.ok }, `Fix ${fixId}: ${result.detail}`);
        return await this.record(incident, fix, 'execute', actor, result.ok ? 'succeeded' : 'failed', result.detail, result.changes, result.undo);
      } catch (error) {
        return await this.record(incident, fix, 'execute', actor, 'failed', (error as Error).message, plan?.changes ?? []);
      }
    });
  }

  /** 409 unless the latest dry run of the fix is recent, planned, and not yet followed by an execution. */
  private async assertUnusedDryRun(incidentId: string, fixId: string): Promise<void> {
    const since = new Date(Date.now() - DRY_RUN_VALID_MS);
    const [dryRun] = await this.repo.listAudit({ incidentId, fixId, since, mode: 'dry-run', limit: 1 });
    const used = dryRun && (await this.repo.listAudit({ incidentId, fixId, since: dryRun.created_at, mode: 'execute', limit: 1 })).length > 0;
    if (dryRun?.outcome !== 'planned' || used) {
      throw new ProblemException(
        HttpStatus.CONFLICT,
        `Run a dry run of ${fixId} first (POST .../dry-run); one is valid for ${DRY_RUN_VALID_MS / 60_000} minutes and one execution.`,
      );
    }
  }

  /** Runs `work` holding the action's lease; 409 while another run of the action (any replica, the policy) holds it. */
  private async leased<T>(action: string, work: () => Promise<T>): Promise<T> {
    const holder = randomUUID();
    if (!(await this.repo.claimFixLease(action, holder, FIX_LEASE_MS))) {
      throw new ProblemException(HttpStatus.CONFLICT, `${action} is being applied right now; its result will be in the audit.`);
    }
    try {
      return await work();
    } finally {
      await this.repo
        .releaseFixLease(action, holder)
        .catch((error: Error) => this.logger.warn(`The lease of ${action} stays until it expires: ${error.message}`));
    }
  }

  /** Undoes an applied reversible fix (resume a paused queue, scale back); 404 unknown entry, 409 nothing to undo. */
  async revert(auditId: string, actor: Actor): Promise<AuditRow> {
    const entry = await this.repo.auditEntry(auditId);
    if (!entry) throw new NotFoundException(`There is no fix audit entry ${auditId}.`);
    const undo = entry.undo as UndoSpec | null;
    if (entry.mode !== 'execute' || entry.outcome !== 'succeeded' || !undo) {
      throw new ProblemException(HttpStatus.CONFLICT, 'This audit entry is not an applied reversible fix; there is nothing to revert.');
    }
    return this.leased(undo.action, () => this.revertLeased(auditId, entry, undo, actor));
  }

  private async revertLeased(auditId: string, entry: AuditRow, undo: UndoSpec, actor: Actor): Promise<AuditRow> {
    const reverted = await this.repo.listAudit({ fixId: `revert:${auditId}`, limit: 1 });
    if (reverted.some((r) => r.outcome === 'succeeded')) throw new ProblemException(HttpStatus.CONFLICT, 'This fix was already reverted.');
    const action = this.actions.get(undo.action);
    const refusal = await action.precondition(undo.target).catch((e: Error) => e.message);
    const base = {
      incident_id: entry.incident_id,
      fix_id: `revert:${auditId}`,
      mode: 'revert' as const,
      actor: actor.id,
      actor_name: actor.name,
      automatic: actor.automatic,
    };
    if (refusal) {
      await this.repo.audit({ ...base, outcome: 'refused', detail: refusal, changes: [], undo: null });
      throw new ProblemException(HttpStatus.CONFLICT, `The revert cannot run: ${refusal}.`);
    }
    const plan = await action.plan(undo.target);
    const result = await action.apply(undo.target, plan).catch((e: Error) => ({ ok: false, detail: e.message, changes: plan.changes }));
    return this.repo.audit({ ...base, outcome: result.ok ? 'succeeded' : 'failed', detail: result.detail, changes: result.changes, undo: null });
  }

  audit(filter: { incidentId?: string; limit: number }): Promise<AuditRow[]> {
    return this.repo.listAudit(filter);
  }

  /** The policy: fixes marked automatic run (dry run, then execution) for an open incident when their preconditions hold. */
  async applyAutomatic(incident: IncidentRow): Promise<AuditRow[]> {
    if (incident.state === 'resolved') return [];
    const alerts = await this.repo.listAlerts({ incidentId: incident.id, limit: 500 });
    const done: AuditRow[] = [];
    const actor: Actor = { id: 'aiops-policy', name: 'aiops-policy', automatic: true };
    for (const fix of this.advisor.advise(incident, alerts).fixes) {
      if (!fix.automatic || !fix.action) continue;
      if (fix.action === 'retry-failed-jobs' && stillFailing(alerts, fix.target)) continue;
      const recent = await this.repo.listAudit({
        incidentId: incident.id,
        fixId: fix.id,
        since: new Date(Date.now() - AUTO_REPEAT_MS),
        mode: 'execute',
        limit: 1,
      });
      if (recent.length) continue;
      if (await this.overRateLimit(fix.action)) continue;
      if (await this.check(fix)) continue;
      try {
        await this.dryRun(incident.id, fix.id, actor);
        done.push(await this.execute(incident.id, fix.id, actor));
      } catch (error) {
        this.logger.warn(`Automatic fix ${fix.id} for incident ${incident.id} did not run: ${(error as Error).message}`);
      }
    }
    return done;
  }

  private executable(fix: AdvisedFix): { id: string; action: FixAction } {
    if (!fix.action) throw new ProblemException(HttpStatus.CONFLICT, `${fix.id} is a runbook for a person: it has no action to run. Follow its steps.`);
    return { id: fix.action, action: this.actions.get(fix.action) };
  }

  private async check(fix: AdvisedFix): Promise<string | null> {
    if (!fix.action) return 'it has no action';
    return this.actions
      .get(fix.action)
      .precondition(fix.target)
      .catch((error: Error) => error.message);
  }

  private async overRateLimit(action: string): Promise<boolean> {
    const since = new Date(Date.now() - 3_600_000);
    const recent = await this.repo.listAudit({ since, mode: 'execute', limit: 1000 });
    return recent.filter((r) => r.fix_id === action || r.fix_id.startsWith(`${action}:`)).length >= this.config.AIOPS_FIX_RATE_LIMIT;
  }

  private async assertWithinRateLimit(action: string): Promise<void> {
    if (await this.overRateLimit(action)) {
      throw new ProblemException(
        HttpStatus.TOO_MANY_REQUESTS,
        `${action} already ran ${this.config.AIOPS_FIX_RATE_LIMIT} time(s) in the last hour (AIOPS_FIX_RATE_LIMIT).`,
        {
          retryAfterSec: 600,
        },
      );
    }
  }

  private record(
    incident: IncidentRow,
    fix: AdvisedFix,
    mode: AuditRow['mode'],
    actor: Actor,
    outcome: AuditRow['outcome'],
    detail: string,
    changes: unknown[],
    undo?: UndoSpec,
  ): Promise<AuditRow> {
    return this.repo.audit({
      incident_id: incident.id,
      fix_id: fix.id,
      mode,
      actor: actor.id,
      actor_name: actor.name,
      automatic: actor.automatic,
      outcome,
      detail,
      changes,
      undo: undo ?? null,
    });
  }
}
