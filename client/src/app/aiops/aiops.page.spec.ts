import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { FixAuditDto, FixDto, IncidentDetailDto, IncidentSummaryDto } from '../api/models';
import { focusWithTab, pressKey } from '../../testing/keyboard';
import { makeSession, problemBody, settle, storeSession } from '../../testing/test-helpers';
import { AiopsPage } from './aiops.page';
import { AiopsStore } from './aiops.store';

const INCIDENT_ID = '0b7c2f0e-5a1d-4c1e-9d2a-3f4b5c6d7e8f';
const summary: IncidentSummaryDto = {
  id: INCIDENT_ID,
  title: 'worker: Jobs of music-generation fail at 2/s',
  severity: 'warning',
  state: 'firing',
  components: ['worker', 'queue'],
  topCause: 'worker',
  startedAt: '2026-11-29T12:00:00.000Z',
  updatedAt: '2026-11-29T12:01:00.000Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
};
const resolvedIncident: IncidentSummaryDto = {
  ...summary,
  id: '1b7c2f0e-5a1d-4c1e-9d2a-3f4b5c6d7e8f',
  title: 'redis: Redis does not answer',
  severity: 'critical',
  state: 'resolved',
  topCause: 'redis',
};
const fix: FixDto = {
  id: 'pause-queue:music-generation',
  title: 'Pause the queue whose jobs fail (music-generation)',
  why: 'Stops feeding jobs to consumers that fail them all.',
  risk: 'medium',
  runbook: ['Dry run', 'Apply', 'Revert'],
  component: 'worker',
  action: 'pause-queue',
  target: 'music-generation',
  automatic: false,
  reversible: true,
  score: 0.8,
  available: true,
  blockedReason: null,
};
const dryRunEntry: FixAuditDto = {
  id: 'a1',
  incidentId: INCIDENT_ID,
  fixId: fix.id,
  mode: 'dry-run',
  actor: 'admin-1',
  actorName: 'admin@example.com',
  automatic: false,
  outcome: 'planned',
  detail: 'music-generation would stop handing jobs to workers',
  changes: [{ what: 'pause queue', target: 'music-generation', from: 'running', to: 'paused' }],
  revertible: false,
  createdAt: '2026-11-29T12:02:00.000Z',
};
function detail(audit: FixAuditDto[] = []): IncidentDetailDto {
  return {
    ...summary,
    diagnosis: 'Most likely cause: worker (80% of the ranking). Workers fail the jobs they take.',
    causes: [
      { component: 'worker', score: 0.8, anomaly: 0.9, firstSeen: 0, evidence: [], explains: ['queue'], why: 'worker: 1 signal(s)' },
      { component: 'queue', score: 0.2, anomaly: 0.5, firstSeen: 0, evidence: [], explains: [], why: 'queue: 1 signal(s)' },
    ],
    signals: [],
    alerts: [],
    fixes: [
      fix,
      {
        ...fix,
        id: 'check-workers',
        title: 'Check that the workers run',
        action: undefined,
        target: undefined,
        available: false,
        blockedReason: 'a runbook for a person',
      },
    ],
    audit,
    series: ['queue_failed_rate{queue="music-generation"}'],
  };
}
const forecast = (key: string, ttl: number | null, alert: boolean) => ({
  key,
  metric: key,
  component: 'disk',
  unit: 'bytes',
  direction: 'falling',
  limit: 1024,
  lastValue: 4096,
  trendPerHour: -100,
  timeToExhaustionMs: ttl,
  earliest: null,
  alert,
  points: [],
});
const pattern = (id: string, status: string, template: string) => ({
  id,
  template,
  component: 'api',
  level: 'error',
  total: 12,
  firstSeen: '2026-11-29T12:00:00.000Z',
  lastSeen: '2026-11-29T12:01:00.000Z',
  status,
  counts: [],
});

describe('AiopsPage', () => {
  let fixture: ComponentFixture<AiopsPage>;
  let http: HttpTestingController;
  let el: HTMLElement;

  beforeEach(async () => {
    storeSession(makeSession({}, 'admin'));
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AiopsPage);
    el = fixture.nativeElement as HTMLElement;
    fixture.detectChanges();
    await settle();
    http.expectOne('/api/aiops/status').flush({ collecting: true, intervalMs: 15000, source: 'registry', series: 31, last: null });
    http.expectOne((r) => r.url === '/api/aiops/incidents').flush([summary, resolvedIncident]);
    http.expectOne((r) => r.url === '/api/aiops/forecasts').flush([forecast('disk_free_bytes', 3 * 3_600_000, true), forecast('db_size_bytes', null, false)]);
    http
      .expectOne((r) => r.url === '/api/aiops/logs/patterns')
      .flush([pattern('T1', 'steady', 'GET <*> 200'), pattern('T2', 'bursting', 'Job <*> failed: <*>'), pattern('T3', 'new', 'boom <*>')]);
    await settle();
    fixture.detectChanges();
  });

  afterEach(() => {
    http.verify();
    storeSession(null);
  });

  async function openIncident(audit: FixAuditDto[] = []): Promise<void> {
    const button = el.querySelector<HTMLButtonElement>('[data-testid="incident"]')!;
    focusWithTab(button);
    pressKey(button, 'Enter');
    await settle();
    http.expectOne(`/api/aiops/incidents/${INCIDENT_ID}`).flush(detail(audit));
    await settle();
    const series = http.expectOne((r) => r.url === '/api/aiops/series/query');
    expect(series.request.params.get('metric')).toBe('queue_failed_rate');
    expect(series.request.params.get('labels')).toBe('queue=music-generation');
    series.flush([
      {
        id: 1,
        key: 'queue_failed_rate{queue="music-generation"}',
        metric: 'queue_failed_rate',
        labels: { queue: 'music-generation' },
        component: 'worker',
        lastValue: 2,
        lastScore: 0.9,
        lastAt: null,
        threshold: 0.58,
        points: [
          { t: 1, value: 0, score: 0.1 },
          { t: 2, value: 2, score: 0.9 },
        ],
      },
    ]);
    http
      .expectOne((r) => r.url === '/api/aiops/logs/patterns')
      .flush([pattern('T2', 'bursting', 'Job <*> failed: <*>'), pattern('T1', 'steady', 'GET <*> 200')]);
    await settle();
    fixture.detectChanges();
  }

  function refreshAfterAction(): void {
    http.expectOne('/api/aiops/status').flush({ collecting: true, intervalMs: 15000, source: 'registry', series: 31, last: null });
    http.expectOne((r) => r.url === '/api/aiops/incidents').flush([summary]);
  }

  it('shows the incident timeline with severity, forecasts with time to exhaustion, and highlights new and bursting log patterns', () => {
    const items = el.querySelectorAll('[data-testid="incident"]');
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain('warning');
    expect(items[0].textContent).toContain('worker: Jobs of music-generation fail');
    expect(items[1].textContent).toContain('critical');
    expect(items[1].textContent).toContain('resolved');
    expect(el.querySelector('[data-testid="status"]')?.textContent).toContain('Collecting every 15 s');

    const rows = el.querySelectorAll('[data-testid="forecasts"] tbody tr');
    expect(rows[0].textContent).toContain('in 3.0 h');
    expect(rows[0].classList).toContain('alert');
    expect(rows[1].textContent).toContain('not within the forecast');

    const patterns = el.querySelectorAll('[data-testid="patterns"] tbody tr');
    expect([...patterns].map((r) => r.className)).toEqual(['pattern-steady', 'pattern-bursting', 'pattern-new']);
  });

  it('opens an incident from the keyboard: diagnosis, ranked causes on the graph, metric charts, changed log patterns, fixes', async () => {
    await openIncident();
    const view = el.querySelector('[data-testid="incident-view"]')!;
    expect(el.querySelector('[data-testid="incident"]')?.getAttribute('aria-pressed')).toBe('true');
    expect(view.querySelector('[data-testid="diagnosis"]')?.textContent).toContain('Most likely cause: worker');
    expect(view.querySelector('xy-dependency-graph svg')?.getAttribute('aria-label')).toBe('Dependency graph. Ranked causes: 1. worker (80%), 2. queue (20%)');
    expect(view.querySelectorAll('[data-testid="causes"] li')).toHaveLength(2);
    expect(view.querySelector('xy-time-series-chart [role="img"]')?.getAttribute('aria-label')).toContain('highest anomaly score 0.90');
    expect(view.textContent).toContain('Job <*> failed: <*>');
    expect(view.textContent).not.toContain('GET <*> 200');
    const fixes = view.querySelectorAll('[data-testid="fixes"] > li');
    expect(fixes).toHaveLength(2);
    expect(fixes[0].textContent).toContain('risk medium');
    expect(fixes[0].querySelectorAll('.runbook li')).toHaveLength(3);
    // Apply waits for a dry run (it stays focusable, and a press sends nothing); a runbook has no buttons
    const apply = fixes[0].querySelector<HTMLButtonElement>('[data-testid="apply"]')!;
    expect(apply.getAttribute('aria-disabled')).toBe('true');
    apply.click();
    await settle();
    http.expectNone((r) => r.url.endsWith('/execute'));
    expect(fixes[1].querySelector('[data-testid="dry-run"]')).toBeNull();
  });

  it('runs a dry run, then applies the fix and shows the audit trail with a revert', async () => {
    await openIncident();
    el.querySelector<HTMLButtonElement>('[data-testid="dry-run"]')!.click();
    await settle();
    http.expectOne({ method: 'POST', url: `/api/aiops/incidents/${INCIDENT_ID}/fixes/${encodeURIComponent(fix.id)}/dry-run` }).flush(dryRunEntry);
    await settle();
    refreshAfterAction();
    await settle();
    http.expectOne(`/api/aiops/incidents/${INCIDENT_ID}`).flush(detail([dryRunEntry]));
    await settle();
    fixture.detectChanges();
    expect(el.querySelector('[data-testid="action-result"]')?.textContent).toContain('Dry run: music-generation would stop');
    const apply = el.querySelector<HTMLButtonElement>('[data-testid="apply"]')!;
    expect(apply.getAttribute('aria-disabled')).not.toBe('true');

    apply.click();
    await settle();
    const applied: FixAuditDto = { ...dryRunEntry, id: 'a2', mode: 'execute', outcome: 'succeeded', detail: 'music-generation paused', revertible: true };
    http.expectOne({ method: 'POST', url: `/api/aiops/incidents/${INCIDENT_ID}/fixes/${encodeURIComponent(fix.id)}/execute` }).flush(applied);
    await settle();
    refreshAfterAction();
    await settle();
    http.expectOne(`/api/aiops/incidents/${INCIDENT_ID}`).flush(detail([applied, dryRunEntry]));
    await settle();
    fixture.detectChanges();
    expect(el.querySelector('[data-testid="action-result"]')?.textContent).toContain('Applied: music-generation paused');
    const audit = el.querySelectorAll('[data-testid="audit"] tbody tr');
    expect(audit).toHaveLength(2);
    expect(audit[0].textContent).toContain('execute');
    expect(audit[0].textContent).toContain('succeeded');
    expect(audit[0].textContent).toContain('admin@example.com');
    expect(audit[0].textContent).not.toContain('admin-1');
    expect(audit[0].querySelector('[data-testid="revert"]')).not.toBeNull();
    expect(audit[1].querySelector('[data-testid="revert"]')).toBeNull();
  });

  it('shows no detail or buttons of the incident before while another one loads', async () => {
    await openIncident();
    expect(el.querySelector('[data-testid="acknowledge"]')).not.toBeNull();
    const second = el.querySelectorAll<HTMLButtonElement>('[data-testid="incident"]')[1];
    second.click();
    await settle();
    fixture.detectChanges();
    const view = el.querySelector('[data-testid="incident-view"]')!;
    expect(view.textContent).not.toContain('Most likely cause: worker');
    expect(view.querySelector('[data-testid="acknowledge"]')).toBeNull();
    http.expectOne((r) => r.url.startsWith('/api/aiops/incidents/') && r.url !== `/api/aiops/incidents/${INCIDENT_ID}`);
  });

  it('opens an incident whose detail the automatic refresh asks for meanwhile: its charts and patterns load', async () => {
    el.querySelector<HTMLButtonElement>('[data-testid="incident"]')!.click();
    await settle();
    const opening = http.expectOne(`/api/aiops/incidents/${INCIDENT_ID}`);
    const refreshed = fixture.debugElement.injector.get(AiopsStore).refresh();
    await settle();
    refreshAfterAction();
    await refreshed;
    await settle();
    // The refresh leaves the load that opens the incident alone (a second one would drop its answer).
    http.expectNone(`/api/aiops/incidents/${INCIDENT_ID}`);
    opening.flush(detail());
    await settle();
    http.expectOne((r) => r.url === '/api/aiops/series/query').flush([]);
    http.expectOne((r) => r.url === '/api/aiops/logs/patterns').flush([]);
    await settle();
    fixture.detectChanges();
    expect(el.querySelector('[data-testid="diagnosis"]')?.textContent).toContain('Most likely cause: worker');
  });

  it('moves the keyboard focus to Resolve when Acknowledge goes with the change it made', async () => {
    await openIncident();
    const acknowledge = el.querySelector<HTMLButtonElement>('[data-testid="acknowledge"]')!;
    focusWithTab(acknowledge);
    acknowledge.click();
    await settle();
    http.expectOne({ method: 'POST', url: `/api/aiops/incidents/${INCIDENT_ID}/acknowledge` }).flush({ ...summary, state: 'acknowledged' });
    await settle();
    refreshAfterAction();
    await settle();
    http.expectOne(`/api/aiops/incidents/${INCIDENT_ID}`).flush({ ...detail(), state: 'acknowledged' });
    await settle();
    fixture.detectChanges();
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="acknowledge"]')).toBeNull();
    expect(document.activeElement?.getAttribute('data-testid')).toBe('resolve');
  });

  it('shows why a fix was refused', async () => {
    await openIncident([dryRunEntry]);
    el.querySelector<HTMLButtonElement>('[data-testid="apply"]')!.click();
    await settle();
    http
      .expectOne({ method: 'POST', url: `/api/aiops/incidents/${INCIDENT_ID}/fixes/${encodeURIComponent(fix.id)}/execute` })
      .flush(problemBody(409, 'Conflict', "The fix's preconditions no longer hold: music-generation is already paused."), {
        status: 409,
        statusText: 'Conflict',
      });
    await settle();
    refreshAfterAction();
    await settle();
    http.expectOne(`/api/aiops/incidents/${INCIDENT_ID}`).flush(detail([dryRunEntry]));
    await settle();
    fixture.detectChanges();
    expect(el.querySelector('[data-testid="action-problem"]')?.textContent).toContain('already paused');
  });
});
