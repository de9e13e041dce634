import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig } from '../../core/config/app-config';
import { DATABASE, type Database, databasePool } from '../../core/db/database';
import { withTimeout } from '../../core/jobs/redis-availability.service';
import { JobsService } from '../../core/jobs/jobs.service';
import { QUEUE_NAMES } from '../../core/jobs/queues';
import { LogShipper } from '../../core/logging/log-shipper';
import type { FixActionId } from './knowledge-base';
import { KubernetesScaler, type WorkerAutoscaler } from './kubernetes-scaler';
import { reconnectDatabaseAction } from './reconnect-database';

/** One change a fix makes (shown by the dry run, recorded in the audit). */
export interface FixChange {
  what: string;
  target: string;
  from?: unknown;
  to?: unknown;
}

/** How to undo an applied fix: another action on a target. */
export interface UndoSpec {
  action: FixActionId;
  target?: string;
}

export interface FixPlan {
  summary: string;
  changes: FixChange[];
}

export interface FixResult {
  ok: boolean;
  detail: string;
  changes: FixChange[];
  undo?: UndoSpec;
}

/** An executable fix: a precondition, a dry run that changes nothing, and the change itself. */
export interface FixAction {
  readonly id: FixActionId;
  readonly reversible: boolean;
  /** Null when the fix can run now; otherwise why not (answered 409). */
  precondition(target: string | undefined): Promise<string | null>;
  plan(target: string | undefined): Promise<FixPlan>;
  apply(target: string | undefined, plan: FixPlan): Promise<FixResult>;
}

/** What scale-workers would do now: why not, or the Deployment's replicas or the HPA's minReplicas from → to. */
type ScaleStep =
  | { refusal: string }
  | { via: 'scale'; current: number; from: number; to: number }
  | { via: 'hpa'; hpa: WorkerAutoscaler; current: number; from: number; to: number; restore: boolean };

const QUEUE_TIMEOUT_MS = 3000;
const MAX_RETRIED_JOBS = 100;

/** The safe automatic fixes for the platform's own components. */
@Injectable()
export class FixActions {
  private readonly actions: Map<FixActionId, FixAction>;

  constructor(
    private readonly jobs: JobsService,
    private readonly shipper: LogShipper,
    private readonly config: AppConfig,
    @Inject(DATABASE) db: Database,
    private readonly scaler: KubernetesScaler,
  ) {
    const all: FixAction[] = [
      this.retryFailedJobs(),
      this.pauseQueue(),
      this.resumeQueue(),
      this.reconnectRedis(),
      reconnectDatabaseAction(() => databasePool(db)),
      this.replayLogSpool(),
      this.scaleWorkers(),
    ];
    this.actions = new Map(all.map((a) => [a.id, a]));
  }

  get(id: FixActionId): FixAction {
    return this.actions.get(id)!;
  }

  private queue(target: string | undefined): Queue {
    if (!target || !QUEUE_NAMES.includes(target)) throw new Error(`unknown queue ${target ?? '(none)'}`);
    return this.jobs.queue(target);
  }

  private q<T>(promise: Promise<T>): Promise<T> {
    return withTimeout(promise, QUEUE_TIMEOUT_MS, 'the queue did not answer (Redis unreachable?)');
  }

  private retryFailedJobs(): FixAction {
    return {
      id: 'retry-failed-jobs',
      reversible: false,
      precondition: async (target) => {
        const failed = (await this.q(this.queue(target).getJobCounts('failed'))).failed ?? 0;
        return failed > 0 ? null : `no failed jobs in ${target}`;
      },
      plan: async (target) => {
        const jobs = await this.q(this.queue(target).getFailed(0, MAX_RETRIED_JOBS - 1));
        return {
          summary: `${jobs.length} failed job(s) of ${target} would run again`,
          changes: jobs.map((job) => ({ what: 'retry job', target: `${target}/${job.id}`, from: 'failed', to: 'waiting' })),
        };
      },
      apply: async (target) => {
        const jobs = await this.q(this.queue(target).getFailed(0, MAX_RETRIED_JOBS - 1));
        const changes: FixChange[] = [];
        for (const job of jobs) {
          try {
            await this.q(job.retry('failed'));
            changes.push({ what: 'retry job', target: `${target}/${job.id}`, from: 'failed', to: 'waiting' });
          } catch {
            // removed or retried meanwhile
          }
        }
        return { ok: changes.length > 0, detail: `${changes.length} of ${jobs.length} failed job(s) of ${target} queued again`, changes };
      },
    };
  }

  private pauseQueue(): FixAction {
    return {
      id: 'pause-queue',
      reversible: true,
      precondition: async (target) => ((await this.q(this.queue(target).isPaused())) ? `${target} is already paused` : null),
      plan: async (target) => {
        const counts = await this.q(this.queue(target).getJobCounts('waiting', 'failed'));
        return {
          summary: `${target} would stop handing jobs to workers (${counts.waiting ?? 0} waiting, ${counts.failed ?? 0} failed); revert resumes it`,
          changes: [{ what: 'pause queue', target: String(target), from: 'running', to: 'paused' }],
        };
      },
      apply: async (target, plan) => {
        await this.q(this.queue(target).pause());
        return { ok: true, detail: `${target} paused`, changes: plan.changes, undo: { action: 'resume-queue', target } };
      },
    };
  }

  private resumeQueue(): FixAction {
    return {
      id: 'resume-queue',
      reversible: true,
      precondition: async (target) => ((await this.q(this.queue(target).isPaused())) ? null : `${target} is not paused`),
      plan: (target) =>
        Promise.resolve({
          summary: `${target} would hand jobs to workers again`,
          changes: [{ what: 'resume queue', target: String(target), from: 'paused', to: 'running' }],
        }),
      apply: async (target, plan) => {
        await this.q(this.queue(target).resume());
        return { ok: true, detail: `${target} resumed`, changes: plan.changes, undo: { action: 'pause-queue', target } };
      },
    };
  }

  private async queueClients(): Promise<{ name: string; status: string; reconnect: () => void }[]> {
    const clients = [];
    for (const name of QUEUE_NAMES) {
      const queue = this.jobs.queue(name);
      // the connection object exists even while Redis is down; its client promise may not resolve then
      const client = await withTimeout(queue.client, 1000, 'no client').catch(() => undefined);
      if (client) clients.push({ name, status: client.status, reconnect: () => client.disconnect(true) });
    }
    return clients;
  }

  private reconnectRedis(): FixAction {
    return {
      id: 'reconnect-redis',
      reversible: false,
      precondition: async () => {
        const clients = await this.queueClients();
        const broken = clients.filter((c) => c.status !== 'ready');
        return clients.length && !broken.length ? 'every queue connection to Redis is ready' : null;
      },
      plan: async () => {
        const clients = await this.queueClients();
        return {
          summary: `${clients.length} queue connection(s) would be closed and reopened at once`,
          changes: clients.map((c) => ({ what: 'reconnect', target: c.name, from: c.status, to: 'ready' })),
        };
      },
      apply: async (_target, plan) => {
        const clients = await this.queueClients();
        for (const client of clients) client.reconnect();
        return { ok: true, detail: `${clients.length} queue connection(s) reconnecting`, changes: plan.changes };
      },
    };
  }

  private replayLogSpool(): FixAction {
    return {
      id: 'replay-log-spool',
      reversible: false,
      precondition: () => {
        const aggregator = this.shipper.aggregator;
        if (!aggregator) return Promise.resolve(this.shipper.spoolError ?? 'log shipping is not enabled');
        return Promise.resolve(aggregator.stats().pendingBytes > 0 ? null : 'nothing waits in the log spool');
      },
      plan: () => {
        const stats = this.shipper.aggregator!.stats();
        return Promise.resolve({
          summary: `${stats.pendingBytes} byte(s) of logs would be sent to Elasticsearch now`,
          changes: [{ what: 'ship spooled logs', target: 'log-spool', from: stats.pendingBytes, to: 0 }],
        });
      },
      apply: async (_target, plan) => {
        const aggregator = this.shipper.aggregator!;
        const done = await aggregator.flush(10_000);
        const left = aggregator.stats().pendingBytes;
        return {
          ok: done,
          detail: done ? 'the spooled logs were acknowledged by Elasticsearch' : `${left} byte(s) still wait: Elasticsearch did not acknowledge within 10 s`,
          changes: plan.changes.map((c) => ({ ...c, to: left })),
        };
      },
    };
  }

  /**
   * Adds a worker replica. When a HorizontalPodAutoscaler owns the worker Deployment (deploy/base/hpa.yaml) it raises
   * the HPA's minReplicas to current + 1, so the HPA adds the replica and keeps it (a patched spec.replicas would be
   * set back within seconds); otherwise it scales the Deployment. Never below what runs: at or above the cap (the lower
   * of AIOPS_WORKER_MAX_REPLICAS and the HPA's maxReplicas) it refuses. Targets: none (add one), `<n>` (set the
   * Deployment's replicas; the undo without an HPA) or `min=<n>` (set the HPA's minReplicas; the undo with one).
   */
  private scaleWorkers(): FixAction {
    const max = this.config.AIOPS_WORKER_MAX_REPLICAS;
    const name = this.config.AIOPS_WORKER_DEPLOYMENT;
    const step = async (target: string | undefined): Promise<ScaleStep> => {
      const current = await this.scaler.replicas();
      const hpa = await this.scaler.autoscaler();
      const restore = target === undefined ? null : /^min=(\d+)$/.exec(target);
      if (restore) {
        if (!hpa) return { refusal: `no HorizontalPodAutoscaler owns ${name} now: there is no minReplicas to restore` };
        const to = Number(restore[1]);
        if (to < 1 || to > hpa.maxReplicas)
          return { refusal: `minReplicas ${to} is outside 1..${hpa.maxReplicas} (maxReplicas of the HorizontalPodAutoscaler ${hpa.name})` };
        if (to === hpa.minReplicas) return { refusal: `the HorizontalPodAutoscaler ${hpa.name} already has minReplicas ${to}` };
        return { via: 'hpa', hpa, current, from: hpa.minReplicas, to, restore: true };
      }
      if (target !== undefined) {
        if (!/^\d+$/.test(target)) return { refusal: `unknown target ${target} (a replica count, or min=<minReplicas>)` };
        if (hpa)
          return {
            refusal: `the HorizontalPodAutoscaler ${hpa.name} owns the replicas of ${name} and would undo a change of its scale: change the HPA’s minReplicas instead`,
          };
        const to = Math.min(Number(target), max);
        if (to === current) return { refusal: `the ${name} Deployment already has ${current} replica(s) (at most ${max})` };
        return { via: 'scale', current, from: current, to };
      }
      // add one, never fewer than run now
      const cap = hpa ? Math.min(hpa.maxReplicas, max) : max;
      const to = current + 1;
      if (to > cap) {
        const why = hpa && hpa.maxReplicas < max ? `maxReplicas of the HorizontalPodAutoscaler ${hpa.name}` : 'AIOPS_WORKER_MAX_REPLICAS';
        return { refusal: `the ${name} already runs ${current} replica(s), at or above the cap ${cap} (${why})` };
      }
      if (!hpa) return { via: 'scale', current, from: current, to };
      if (to <= hpa.minReplicas)
        return {
          refusal: `the HorizontalPodAutoscaler ${hpa.name} already keeps at least ${hpa.minReplicas} ${name} replica(s) (minReplicas; the Deployment runs ${current}): it is adding them`,
        };
      return { via: 'hpa', hpa, current, from: hpa.minReplicas, to, restore: false };
    };
    const change = (s: Exclude<ScaleStep, { refusal: string }>, to: number): FixChange =>
      s.via === 'scale'
        ? { what: 'scale deployment', target: name, from: s.from, to }
        : { what: `${s.restore ? 'restore' : 'raise'} autoscaler minReplicas`, target: `horizontalpodautoscaler/${s.hpa.name}`, from: s.from, to };
    return {
      id: 'scale-workers',
      reversible: true,
      precondition: async (target) => {
        const unavailable = this.scaler.unavailableReason();
        if (unavailable) return unavailable;
        const s = await step(target);
        return 'refusal' in s ? s.refusal : null;
      },
      plan: async (target) => {
        const s = await step(target);
        if ('refusal' in s) throw new Error(s.refusal);
        let summary = `${name} would go from ${s.from} to ${s.to} replica(s)`;
        if (s.via === 'hpa' && s.restore)
          summary = `the HorizontalPodAutoscaler ${s.hpa.name}'s minReplicas would go back from ${s.from} to ${s.to} (${name} runs ${s.current} replica(s); the HPA scales it down on its own schedule)`;
        else if (s.via === 'hpa')
          summary = `the HorizontalPodAutoscaler ${s.hpa.name} owns ${name} (${s.current} replica(s)): its minReplicas would go from ${s.from} to ${s.to}, so it keeps at least ${s.to} ${name} replica(s); revert restores ${s.from}`;
        return { summary, changes: [change(s, s.to)] };
      },
      apply: async (target) => {
        // read again: what runs now, not what the dry run saw (the HPA may have scaled meanwhile)
        const s = await step(target);
        if ('refusal' in s) throw new Error(s.refusal);
        if (s.via === 'scale') {
          const now = await this.scaler.scaleTo(s.to);
          return {
            ok: true,
            detail: `${name} scaled from ${s.from} to ${now} replica(s)`,
            changes: [change(s, now)],
            undo: { action: 'scale-workers', target: String(s.from) },
          };
        }
        const now = await this.scaler.setAutoscalerMinReplicas(s.to);
        const detail = `HorizontalPodAutoscaler ${s.hpa.name}: minReplicas ${s.from} → ${now}`;
        return {
          ok: true,
          detail: s.restore ? detail : `${detail} (${name} ran ${s.current} replica(s); the autoscaler adds the replica)`,
          changes: [change(s, now)],
          undo: { action: 'scale-workers', target: `min=${s.from}` },
        };
      },
    };
  }
}
