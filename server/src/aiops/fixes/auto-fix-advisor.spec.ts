import { loadConfig } from '../../core/config/app-config';
import type { LanguageModelService } from '../../core/llm/language-model.service';
import type { RankedCause } from '../engine';
import { AutoFixAdvisor } from './auto-fix-advisor';
import { KNOWLEDGE_BASE } from './knowledge-base';

const cause = (component: string, score: number): RankedCause => ({
  component,
  score,
  anomaly: 0.9,
  firstSeen: 0,
  evidence: [],
  explains: [],
  why: `${component} first`,
});
const noModel = { isConfigured: () => false } as unknown as LanguageModelService;

describe('AutoFixAdvisor', () => {
  const advisor = new AutoFixAdvisor(loadConfig({ AIOPS_AUTO_FIXES: 'retry-failed-jobs, reconnect-redis' }), noModel);

  it('diagnoses in words from the cause ranked first and ranks fixes by cause share and weight', () => {
    const advice = advisor.advise({ causes: [cause('redis', 0.7), cause('api', 0.2)], components: ['redis', 'api'] }, []);
    expect(advice.diagnosis).toMatch(/^Most likely cause: redis \(70% of the ranking\)\. redis first Redis, which holds every job queue/);
    expect(advice.diagnosis).toContain('Also possible: api (20%)');
    expect(advice.fixes.map((f) => f.id)).toEqual(['reconnect-redis', 'check-redis-server', 'inspect-errors']);
    expect(advice.fixes[0]).toMatchObject({ component: 'redis', action: 'reconnect-redis', automatic: true, reversible: false, score: 0.7 });
    expect(advice.fixes[1].action).toBeUndefined();
  });

  it('makes one per-queue fix for each queue named by the incident’s alerts', () => {
    const advice = advisor.advise({ causes: [cause('worker', 1)], components: ['worker'] }, [
      { labels: { queue: 'q1' }, component: 'worker' },
      { labels: { queue: 'q2' }, component: 'worker' },
      { labels: {}, component: 'api' },
    ]);
    expect(advice.fixes.map((f) => f.id)).toEqual([
      'pause-queue:q1',
      'pause-queue:q2',
      'retry-failed-jobs:q1',
      'retry-failed-jobs:q2',
      'resume-queue:q1',
      'resume-queue:q2',
    ]);
    expect(advice.fixes.find((f) => f.id === 'pause-queue:q1')).toMatchObject({ target: 'q1', automatic: false, reversible: true, risk: 'medium' });
    expect(advice.fixes.find((f) => f.id === 'retry-failed-jobs:q2')).toMatchObject({ automatic: true });
  });

  it('knows every component of the dependency graph, each fix with why, risk and runbook steps', () => {
    for (const component of ['api', 'postgres', 'redis', 'elasticsearch', 'event-loop', 'queue', 'worker', 'memory', 'log-spool']) {
      const knowledge = KNOWLEDGE_BASE[component];
      expect(knowledge.diagnosis.length).toBeGreaterThan(40);
      for (const fix of knowledge.fixes) {
        expect(fix.why.length).toBeGreaterThan(20);
        expect(fix.runbook.length).toBeGreaterThan(0);
      }
    }
  });

  it('has no narrative without a language model', async () => {
    await expect(advisor.narrative({} as never, { diagnosis: '', fixes: [] })).resolves.toBeNull();
  });
});
