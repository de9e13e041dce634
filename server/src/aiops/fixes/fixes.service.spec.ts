import { loadConfig } from '../../core/config/app-config';
import type { LanguageModelService } from '../../core/llm/language-model.service';
import type { AiopsRepository, AlertRow, AuditRow, IncidentRow } from '../aiops.repository';
import type { RankedCause } from '../engine';
import { AutoFixAdvisor } from './auto-fix-advisor';
import type { FixAction, FixActions } from './fix-actions';
import { FixesService } from './fixes.service';

const cause: RankedCause = { component: 'worker', score: 1, anomaly: 0.9, firstSeen: 0, evidence: [], explains: [], why: 'worker first' };
const incident = { id: 'i1', state: 'firing', causes: [cause], components: ['worker'] } as unknown as IncidentRow;
const alert = (name: string, state: AlertRow['state']) => ({ name, state, labels: { queue: 'music-generation' }, component: 'worker' }) as unknown as AlertRow;

/** The policy over an in-memory audit, with `retry-failed-jobs` the one automatic action and jobs to retry. */
function policyWith(alerts: AlertRow[], plan: FixAction['plan'] = (target) => Promise.resolve({ summary: `retry ${target}`, changes: [] })) {
  const audit: AuditRow[] = [];
  const retried: string[] = [];
  const repo = {
    incident: () => Promise.resolve(incident),
    listAlerts: () => Promise.resolve(alerts),
    listAudit: ({ mode }: { mode?: string }) => Promise.resolve(audit.filter((a) => !mode || a.mode === mode)),
    audit: (entry: AuditRow) => {
      const row = { ...entry, id: `a${audit.length}`, created_at: new Date() };
      audit.unshift(row);
      return Promise.resolve(row);
    },
    claimFixLease: () => Promise.resolve(true),
    releaseFixLease: () => Promise.resolve(),
  } as unknown as AiopsRepository;
  const retry: FixAction = {
    id: 'retry-failed-jobs',
    reversible: false,
    precondition: () => Promise.resolve(null),
    plan,
    apply: (target) => {
      retried.push(target ?? '');
      return Promise.resolve({ ok: true, detail: 'retried', changes: [] });
    },
  };
  const config = loadConfig({ NODE_ENV: 'test', AIOPS_AUTO_FIXES: 'retry-failed-jobs' });
  const advisor = new AutoFixAdvisor(config, { isConfigured: () => false } as unknown as LanguageModelService);
  const service = new FixesService(repo, advisor, { get: () => retry } as unknown as FixActions, config);
  return { service, retried, audit };
}

describe('FixesService.applyAutomatic', () => {
  it('does not retry the failed jobs of a queue whose jobs still fail', async () => {
    const { service, retried } = policyWith([alert('queue-failures', 'firing')]);
    await expect(service.applyAutomatic(incident)).resolves.toEqual([]);
    expect(retried).toEqual([]);
  });

  it('retries them once the failure alerts have ended', async () => {
    const { service, retried } = policyWith([alert('queue-failures', 'resolved'), alert('queue-backlog', 'firing')]);
    const done = await service.applyAutomatic(incident);
    expect(done.map((a) => `${a.mode}:${a.outcome}`)).toEqual(['execute:succeeded']);
    expect(retried).toEqual(['music-generation']);
  });
});

describe('FixesService dry run', () => {
  it('answers 503 and audits a failed dry run when the state it plans from does not answer (never a 500)', async () => {
    const { service, audit } = policyWith([alert('queue-backlog', 'firing')], () => Promise.reject(new Error('the queue did not answer (Redis unreachable?)')));
    const admin = { id: 'u1', name: 'ops@xiaoyu.test', automatic: false };
    await expect(service.dryRun('i1', 'retry-failed-jobs:music-generation', admin)).rejects.toMatchObject({ status: 503 });
    expect(audit.map((a) => `${a.mode}:${a.outcome}:${a.detail}`)).toEqual(['dry-run:failed:the queue did not answer (Redis unreachable?)']);
  });
});
