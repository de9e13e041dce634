import { loadConfig } from '../../core/config/app-config';
import type { Database } from '../../core/db/database';
import type { JobsService } from '../../core/jobs/jobs.service';
import type { LogShipper } from '../../core/logging/log-shipper';
import { FixActions } from './fix-actions';
import type { KubernetesScaler, WorkerAutoscaler } from './kubernetes-scaler';

/**
 * A cluster in memory: the worker Deployment's replicas and, optionally, the HorizontalPodAutoscaler that owns it; the
 * scaler's writes are recorded. (kubernetes-scaler.spec.ts runs the same fix against an HTTPS Kubernetes API.)
 */
function cluster(replicas: number, hpa?: { minReplicas: number; maxReplicas: number }) {
  const state = { replicas, hpa: hpa ? { name: 'worker', ...hpa } : null };
  const writes: string[] = [];
  const scaler = {
    unavailableReason: () => null,
    replicas: () => Promise.resolve(state.replicas),
    scaleTo: (n: number) => {
      writes.push(`scale ${n}`);
      state.replicas = n;
      return Promise.resolve(n);
    },
    autoscaler: () => Promise.resolve<WorkerAutoscaler | null>(state.hpa && { ...state.hpa }),
    setAutoscalerMinReplicas: (n: number) => {
      writes.push(`hpa min ${n}`);
      state.hpa!.minReplicas = n;
      return Promise.resolve(n);
    },
  };
  const actions = new FixActions(
    {} as JobsService,
    {} as LogShipper,
    loadConfig({ AIOPS_WORKER_MAX_REPLICAS: '6' }),
    {} as Database,
    scaler as unknown as KubernetesScaler,
  );
  return { state, writes, action: actions.get('scale-workers') };
}

/** Without a target scale-workers adds one replica (a variable: `apply(undefined, …)` reads as Function.apply to ESLint). */
const noTarget: string | undefined = undefined;

describe('scale-workers (AIOPS_WORKER_MAX_REPLICAS 6)', () => {
  it('never scales down in the add-one case: 8 running, cap 6, no target → refused, nothing written', async () => {
    const { action, writes, state } = cluster(8);
    expect(await action.precondition(undefined)).toBe('the worker already runs 8 replica(s), at or above the cap 6 (AIOPS_WORKER_MAX_REPLICAS)');
    // the execution re-checks what it would do: a stale plan cannot scale 8 → 6 either
    await expect(action.apply(noTarget, { summary: '', changes: [] })).rejects.toThrow(/already runs 8 replica\(s\)/);
    expect(writes).toEqual([]);
    expect(state.replicas).toBe(8);
    // exactly at the cap: refused as well
    expect(await cluster(6).action.precondition(undefined)).toMatch(/already runs 6 replica\(s\), at or above the cap 6/);
  });

  it('with an HPA at 8 replicas (max 10) and cap 6: refused, neither the HPA nor the Deployment is touched', async () => {
    const { action, writes } = cluster(8, { minReplicas: 2, maxReplicas: 10 });
    expect(await action.precondition(undefined)).toBe('the worker already runs 8 replica(s), at or above the cap 6 (AIOPS_WORKER_MAX_REPLICAS)');
    expect(writes).toEqual([]);
  });

  it("with an HPA: raises the HPA's minReplicas to current + 1 instead of the Deployment scale; revert restores it", async () => {
    const { action, writes, state } = cluster(3, { minReplicas: 2, maxReplicas: 10 });
    expect(await action.precondition(undefined)).toBeNull();
    const plan = await action.plan(undefined);
    expect(plan).toEqual({
      summary:
        'the HorizontalPodAutoscaler worker owns worker (3 replica(s)): its minReplicas would go from 2 to 4, so it keeps at least 4 worker replica(s); revert restores 2',
      changes: [{ what: 'raise autoscaler minReplicas', target: 'horizontalpodautoscaler/worker', from: 2, to: 4 }],
    });
    expect(writes).toEqual([]);

    const result = await action.apply(noTarget, plan);
    expect(result).toEqual({
      ok: true,
      detail: 'HorizontalPodAutoscaler worker: minReplicas 2 → 4 (worker ran 3 replica(s); the autoscaler adds the replica)',
      changes: plan.changes,
      undo: { action: 'scale-workers', target: 'min=2' },
    });
    expect(writes).toEqual(['hpa min 4']);
    expect(state.replicas).toBe(3);

    // the revert the audit records restores the previous minReplicas, and only that
    expect(await action.precondition('min=2')).toBeNull();
    const back = await action.plan('min=2');
    expect(back.changes).toEqual([{ what: 'restore autoscaler minReplicas', target: 'horizontalpodautoscaler/worker', from: 4, to: 2 }]);
    expect(await action.apply('min=2', back)).toMatchObject({ ok: true, detail: 'HorizontalPodAutoscaler worker: minReplicas 4 → 2' });
    expect(writes).toEqual(['hpa min 4', 'hpa min 2']);
    expect(state.hpa?.minReplicas).toBe(2);
    // reverted already: nothing left to restore
    expect(await action.precondition('min=2')).toBe('the HorizontalPodAutoscaler worker already has minReplicas 2');
  });

  it('with an HPA: the cap is the lower of its maxReplicas and AIOPS_WORKER_MAX_REPLICAS; a floor it already keeps is no gain', async () => {
    expect(await cluster(4, { minReplicas: 2, maxReplicas: 4 }).action.precondition(undefined)).toBe(
      'the worker already runs 4 replica(s), at or above the cap 4 (maxReplicas of the HorizontalPodAutoscaler worker)',
    );
    const up = cluster(4, { minReplicas: 2, maxReplicas: 5 });
    expect((await up.action.plan(undefined)).changes).toEqual([
      { what: 'raise autoscaler minReplicas', target: 'horizontalpodautoscaler/worker', from: 2, to: 5 },
    ]);
    // still scaling up to its floor of 3: raising minReplicas to 2 + 1 would add nothing
    expect(await cluster(2, { minReplicas: 3, maxReplicas: 10 }).action.precondition(undefined)).toBe(
      'the HorizontalPodAutoscaler worker already keeps at least 3 worker replica(s) (minReplicas; the Deployment runs 2): it is adding them',
    );
  });

  it('with an HPA: a replica count as target is refused (the HPA would undo it), naming the HPA and minReplicas', async () => {
    const { action, writes } = cluster(3, { minReplicas: 2, maxReplicas: 10 });
    expect(await action.precondition('2')).toBe(
      'the HorizontalPodAutoscaler worker owns the replicas of worker and would undo a change of its scale: change the HPA’s minReplicas instead',
    );
    expect(writes).toEqual([]);
  });

  it('without an HPA: scales the Deployment by one as before, and back', async () => {
    const { action, writes, state } = cluster(2);
    expect(await action.precondition(undefined)).toBeNull();
    const plan = await action.plan(undefined);
    expect(plan).toEqual({ summary: 'worker would go from 2 to 3 replica(s)', changes: [{ what: 'scale deployment', target: 'worker', from: 2, to: 3 }] });
    expect(await action.apply(noTarget, plan)).toMatchObject({
      ok: true,
      detail: 'worker scaled from 2 to 3 replica(s)',
      undo: { action: 'scale-workers', target: '2' },
    });
    expect(await action.apply('2', await action.plan('2'))).toMatchObject({ ok: true, detail: 'worker scaled from 3 to 2 replica(s)' });
    expect(writes).toEqual(['scale 3', 'scale 2']);
    expect(state.replicas).toBe(2);
    // a minReplicas restore without an HPA has nothing to act on
    expect(await action.precondition('min=2')).toBe('no HorizontalPodAutoscaler owns worker now: there is no minReplicas to restore');
  });
});

describe('replay-log-spool', () => {
  const replayWith = (shipper: Partial<LogShipper>) =>
    new FixActions({} as JobsService, shipper as LogShipper, loadConfig({}), {} as Database, {} as KubernetesScaler).get('replay-log-spool');

  it('is refused with the reason while shipping is off or its spool is not open yet', async () => {
    expect(await replayWith({ aggregator: null, spoolError: null }).precondition(undefined)).toBe('log shipping is not enabled');
    const notOpen = 'log shipping is off until the spool can be opened: ENOSPC: no space left on device';
    expect(await replayWith({ aggregator: null, spoolError: notOpen }).precondition(undefined)).toBe(notOpen);
  });
});
