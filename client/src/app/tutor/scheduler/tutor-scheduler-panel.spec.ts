import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture } from '@angular/core/testing';
import { FakeEventSource } from '../../../testing/fake-event-source';
import { makeSession, mountPage, problemBody, settleFixture, refuseQuietly } from '../../../testing/test-helpers';
import { FsrsFitDto, TutorSchedulerDto } from '../../api/models';
import { SILENT_ERRORS } from '../../core/http/request-context';
import { TutorSchedulerPanel } from './tutor-scheduler-panel';

const JOB = '0b7c3f4e-1d2a-4c5b-9e8f-7a6b5c4d3e2f';
const DEFAULTS = Array.from({ length: 21 }, (_, i) => i / 10);
const overview = (fits: FsrsFitDto[] = [], source: 'default' | 'refit' = 'default'): TutorSchedulerDto => ({
  source,
  weights: DEFAULTS,
  requestRetention: 0.9,
  minReviews: 400,
  refitIntervalMs: 7 * 86_400_000,
  reviews: 1520,
  learnersWithOwnWeights: source === 'refit' ? 2 : 0,
  fits,
});
const fit: FsrsFitDto = {
  id: 'f1',
  requestedBy: 'admin-1',
  accepted: true,
  reason: 'The fitted weights predicted the held-out reviews better (log loss 0.4312 against 0.4498).',
  weights: DEFAULTS.map((w) => w + 0.01),
  learners: 42,
  cards: 610,
  reviews: 1520,
  heldOut: { cards: 120, reviews: 310, current: { logLoss: 0.4498, rmseBins: 0.05 }, fitted: { logLoss: 0.4312, rmseBins: 0.03 }, z: 3.1 },
  learnerFits: { eligible: 3, accepted: 2 },
  items: {
    accepted: true,
    reason: 'Refitted item difficulties predicted held-out learners better (log loss 0.4766 against 0.4895 on 12780 attempts of 7 held-out learners; z 11.36).',
    refitted: 139,
    heldOut: { learners: 7, attempts: 12780, current: 0.4895, refitted: 0.4766, z: 11.36 },
  },
  createdAt: '2026-11-30T12:00:00.000Z',
};
const status = (state: string, percent: number, stage: string, result?: FsrsFitDto) => ({
  id: JOB,
  queue: 'tutor-fsrs-refit',
  state,
  progress: { percent, stage },
  createdAt: '2026-11-30T12:00:00.000Z',
  ...(result ? { result } : {}),
});

describe('TutorSchedulerPanel', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<TutorSchedulerPanel>;
  let el: HTMLElement;

  const settled = () => settleFixture(fixture);

  beforeEach(async () => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    ({ http, fixture, el } = await mountPage(TutorSchedulerPanel, makeSession({}, 'admin')));
    http.expectOne('/api/tutor/scheduler').flush(overview());
    await settled();
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    http.verify();
  });

  const refitButton = () => [...el.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.includes('Refit'))!;

  it('says which weights schedule reviews and how many reviews a refit has to learn from', () => {
    expect(el.querySelector('[data-testid="scheduler-source"]')?.textContent).toContain("FSRS-6's published default weights");
    expect(el.textContent).toContain('1,520 long-term reviews');
    expect(el.textContent).toContain('at least 400');
    expect(el.textContent).toContain('refits on its own every 7 days');
  });

  it('runs a refit as a job, shows its stages, then its outcome with the held-out log loss, and reloads the weights in use', async () => {
    refitButton().click();
    await settled();
    http
      .expectOne((r) => r.url === '/api/tutor/scheduler/refit' && r.method === 'POST')
      .flush(
        {
          id: JOB,
          queue: 'tutor-fsrs-refit',
          state: 'queued',
          statusUrl: `/api/jobs/tutor-fsrs-refit/${JOB}`,
          eventsUrl: `/api/jobs/tutor-fsrs-refit/${JOB}/events`,
        },
        { status: 202, statusText: 'Accepted' },
      );
    await settled();
    const source = FakeEventSource.instances[0];
    expect(source.url).toBe(`/api/jobs/tutor-fsrs-refit/${JOB}/events?access_token=access-1`);
    source.emit('status', status('active', 30, 'fitting'));
    await settled();
    expect(el.textContent).toContain('fitting…');
    expect(refitButton().disabled).toBe(true);

    source.emit('status', status('completed', 100, 'storing'));
    await settled();
    http.expectOne(`/api/jobs/tutor-fsrs-refit/${JOB}`).flush(status('completed', 100, 'storing', fit));
    await settled();
    http.expectOne('/api/tutor/scheduler').flush(overview([fit], 'refit'));
    await settled();

    expect(el.querySelector('[data-testid="refit-outcome"]')?.textContent).toContain('New weights taken.');
    expect(el.textContent).toContain('log loss 0.4498 with the weights in use, 0.4312 with the fitted ones');
    expect(el.textContent).toContain('2 of 3 learners with enough reviews got weights of their own');
    expect(el.querySelector('[data-testid="item-refit"]')?.textContent).toContain('Item difficulties: refitted. Refitted item difficulties predicted');
    expect(el.textContent).toContain('2 learners are scheduled with weights of their own');
    expect(el.querySelector('[data-testid="scheduler-source"]')?.textContent).toContain("refitted from your learners' attempts");
    expect(el.querySelector('table[aria-label="Latest refits"] tbody tr')?.textContent).toContain('an operator');
    expect(el.querySelector('table[aria-label="Latest refits"] tbody tr')?.textContent).toContain('yes');
    expect(el.querySelector('table[aria-label="Latest refits"] tbody tr')?.textContent).toContain('2 of 3');
    expect(refitButton().disabled).toBe(false);
  });

  it('shows why a refit could not start (the queue is down)', async () => {
    refitButton().click();
    await settled();
    const refit = http.expectOne('/api/tutor/scheduler/refit');
    // The panel shows the problem itself: no toast says it a second time.
    expect(refit.request.context.get(SILENT_ERRORS)).toBe(true);
    refit.flush(problemBody(503, 'Service Unavailable', 'The job queue is unavailable because Redis cannot be reached; retry shortly.'), {
      status: 503,
      statusText: 'Service Unavailable',
    });
    await settled();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('Redis cannot be reached');
    expect(refitButton().disabled).toBe(false);
  });

  it('shows a failed read of the refit it runs, with no toast besides', async () => {
    refitButton().click();
    await settled();
    http
      .expectOne('/api/tutor/scheduler/refit')
      .flush(
        { id: JOB, queue: 'tutor-fsrs-refit', state: 'completed', statusUrl: `/api/jobs/tutor-fsrs-refit/${JOB}`, eventsUrl: '' },
        { status: 202, statusText: 'Accepted' },
      );
    await settled();
    refuseQuietly(http.expectOne(`/api/jobs/tutor-fsrs-refit/${JOB}`), 404, 'Not Found', 'No such job.');
    await settled();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('No such job.');
  });
});
