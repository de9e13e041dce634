import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { makeSession, problemBody, settle, storeSession } from '../../testing/test-helpers';
import { SILENT_ERRORS } from '../core/http/request-context';
import { FakeEventSource } from '../../testing/fake-event-source';
import { focusWithTab, pressKey } from '../../testing/keyboard';
import { LogsPage } from './logs.page';

const entry = (id: string, level: string, message: string) => ({
  id,
  index: 'xiaoyu-ai-logs-2026.11.28',
  timestamp: '2026-11-28T12:00:00.000Z',
  level,
  message,
  requestId: 'req-12345678-abcd',
  route: '/api/music/:id',
  userId: 'u-1',
  statusCode: 500,
  durationMs: 12.5,
  source: { '@timestamp': '2026-11-28T12:00:00.000Z', 'log.level': level, message, error: { stack_trace: 'Error: boom' } },
});
const stats = {
  interval: '30s',
  from: '2026-11-28T11:00:00.000Z',
  to: '2026-11-28T12:00:00.000Z',
  total: 3,
  byLevel: [
    { level: 'info', count: 2 },
    { level: 'error', count: 1 },
  ],
  histogram: [{ timestamp: '2026-11-28T11:00:00.000Z', counts: { info: 2, error: 1 } }],
  topErrors: [{ message: 'Unhandled error: boom', count: 1 }],
  latencyByRoute: [{ route: '/api/music/:id', count: 2, p50Ms: 3.5, p95Ms: 12, p99Ms: 20.25 }],
};

describe('LogsPage', () => {
  let fixture: ComponentFixture<LogsPage>;
  let http: HttpTestingController;

  beforeEach(async () => {
    storeSession(makeSession({}, 'admin'));
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(LogsPage);
    fixture.detectChanges();
    await settle();
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    storeSession(null);
  });

  /** Answers the first load; returns the end of the time window the first search was made for. */
  async function answerInitialLoad(kibanaUrl: string | null = 'http://kibana:5601/app/discover#/?x', total = 2): Promise<string | null> {
    http.expectOne('/api/logs/settings').flush({ searchConfigured: true, shipping: true, indexPattern: 'xiaoyu-ai-logs-*', kibanaUrl: 'http://kibana:5601' });
    await settle();
    const search = http.expectOne((r) => r.url === '/api/logs');
    search.flush({ total, page: 1, size: 50, hits: [entry('a', 'error', 'GET /api/music/1 500'), entry('b', 'info', 'hello')], kibanaUrl });
    http.expectOne((r) => r.url === '/api/logs/stats').flush(stats);
    await settle();
    fixture.detectChanges();
    return search.request.params.get('to');
  }

  it('shows results, the histogram and a Kibana link', async () => {
    await answerInitialLoad();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelectorAll('[data-testid="log-row"]').length).toBe(2);
    expect(el.textContent).toContain('GET /api/music/1 500');
    expect(el.querySelectorAll('xy-log-histogram rect').length).toBe(2);
    expect(el.querySelector<HTMLAnchorElement>('[data-testid="kibana"]')?.href).toContain('http://kibana:5601/app/discover');
    expect(el.textContent).toContain('Unhandled error: boom');
    expect(el.querySelector('[data-testid="route-latency"]')?.textContent).toContain('20.3');
  });

  /** The control that discloses a row's details, wherever the template puts `aria-expanded` (the row or inside it). */
  function disclosure(el: HTMLElement, row: number): HTMLElement {
    const rowEl = el.querySelectorAll<HTMLElement>('[data-testid="log-row"]')[row];
    const control = rowEl.hasAttribute('aria-expanded') ? rowEl : rowEl.querySelector<HTMLElement>('[aria-expanded]');
    if (!control) throw new Error('the row has no control with aria-expanded');
    return control;
  }

  it('opens and closes a line with the keyboard: a button reached with Tab, Enter and Space, aria-expanded and aria-controls', async () => {
    await answerInitialLoad();
    const el = fixture.nativeElement as HTMLElement;
    const toggle = disclosure(el, 0);
    focusWithTab(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.textContent).toContain('Nov 28');

    pressKey(toggle, 'Enter');
    fixture.detectChanges();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const detail = document.getElementById(toggle.getAttribute('aria-controls') ?? '');
    expect(el.contains(detail)).toBe(true);
    expect(detail?.querySelector('[data-testid="log-json"]')?.textContent).toContain('Error: boom');
    expect(disclosure(el, 1).getAttribute('aria-expanded')).toBe('false');

    pressKey(toggle, ' ');
    fixture.detectChanges();
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(toggle.hasAttribute('aria-controls')).toBe(false);
    expect(el.querySelector('[data-testid="log-json"]')).toBeNull();
  });

  it("follows a line's request from the keyboard without opening the line", async () => {
    await answerInitialLoad();
    const el = fixture.nativeElement as HTMLElement;
    const follow = el.querySelector<HTMLElement>('[data-testid="log-row"] button[aria-label^="Show request"]')!;
    focusWithTab(follow);
    pressKey(follow, 'Enter');
    fixture.detectChanges();
    await settle();

    expect(disclosure(el, 0).getAttribute('aria-expanded')).toBe('false');
    const search = http.expectOne((r) => r.url === '/api/logs');
    expect(search.request.params.get('requestId')).toBe('req-12345678-abcd');
    search.flush({ total: 0, page: 1, size: 50, hits: [], kibanaUrl: null });
    http.expectOne((r) => r.url === '/api/logs/stats').flush(stats);
  });

  it('pages with the keyboard, and Next keeps the focus when the last page makes it unavailable', async () => {
    const searchedUntil = await answerInitialLoad(null, 60);
    const el = fixture.nativeElement as HTMLElement;
    const next = Array.from(el.querySelectorAll<HTMLButtonElement>('.pager button')).find((b) => b.textContent?.trim() === 'Next')!;
    await new Promise((resolve) => setTimeout(resolve, 5));
    focusWithTab(next);
    pressKey(next, 'Enter');
    const page2 = http.expectOne((r) => r.url === '/api/logs');
    expect(page2.request.params.get('page')).toBe('2');
    // Page 2 of the same window: lines logged since page 1 was read do not shift it.
    expect(page2.request.params.get('to')).toBe(searchedUntil);
    page2.flush({ total: 60, page: 2, size: 50, hits: [entry('c', 'info', 'older')], kibanaUrl: null });
    await settle();
    fixture.detectChanges();

    expect(el.textContent).toContain('Page 2 of 2');
    expect(next.getAttribute('aria-disabled')).toBe('true');
    focusWithTab(next);
    pressKey(next, 'Enter');
    http.expectNone((r) => r.url === '/api/logs');
  });

  it('sends the filters with the search', async () => {
    await answerInitialLoad(null);
    const el = fixture.nativeElement as HTMLElement;
    const input = el.querySelector<HTMLInputElement>('[data-testid="request-id"]')!;
    input.value = 'req-42';
    input.dispatchEvent(new Event('input'));
    el.querySelector<HTMLButtonElement>('[data-testid="search"]')!.click();
    await settle();
    const search = http.expectOne((r) => r.url === '/api/logs');
    expect(search.request.params.get('requestId')).toBe('req-42');
    expect(search.request.params.get('from')).toBeTruthy();
    search.flush({ total: 0, page: 1, size: 50, hits: [], kibanaUrl: null });
    http.expectOne((r) => r.url === '/api/logs/stats').flush({ ...stats, histogram: [], topErrors: [], latencyByRoute: [] });
    await settle();
    fixture.detectChanges();
    expect(el.textContent).toContain('No logs match');
    expect(el.querySelector('[data-testid="kibana"]')).toBeNull();
  });

  it("does not show the previous search's counts, insights or Kibana link as current when the next search fails", async () => {
    await answerInitialLoad();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.textContent).toContain('2 matching lines');
    expect(el.textContent).toContain('3 lines · 30s buckets');
    expect(el.textContent).toContain('Top errors');
    expect(el.querySelector('[data-testid="kibana"]')).not.toBeNull();

    el.querySelector<HTMLButtonElement>('[data-testid="search"]')!.click();
    await settle();
    const unavailable = problemBody(503, 'Service Unavailable', 'Elasticsearch is not answering.');
    http.expectOne((r) => r.url === '/api/logs').flush(unavailable, { status: 503, statusText: 'Service Unavailable' });
    http.expectOne((r) => r.url === '/api/logs/stats').flush(unavailable, { status: 503, statusText: 'Service Unavailable' });
    await settle();
    fixture.detectChanges();

    expect(el.textContent).toContain('Elasticsearch is not answering.');
    expect(el.textContent).not.toContain('matching lines');
    expect(el.textContent).not.toContain('3 lines · 30s buckets');
    expect(el.textContent).not.toContain('Top errors');
    expect(el.textContent).not.toContain('Unhandled error: boom');
    expect(el.textContent).not.toContain('Latency by route');
    expect(el.querySelector('[data-testid="route-latency"]')).toBeNull();
    expect(el.querySelector('[data-testid="kibana"]')).toBeNull();

    // A search that works again shows its own data.
    el.querySelector<HTMLButtonElement>('[data-testid="search"]')!.click();
    await settle();
    http
      .expectOne((r) => r.url === '/api/logs')
      .flush({ total: 1, page: 1, size: 50, hits: [entry('c', 'info', 'back')], kibanaUrl: 'http://kibana:5601/app/discover#/?y' });
    http.expectOne((r) => r.url === '/api/logs/stats').flush(stats);
    await settle();
    fixture.detectChanges();
    expect(el.textContent).toContain('1 matching lines');
    expect(el.textContent).toContain('3 lines · 30s buckets');
    expect(el.querySelector<HTMLAnchorElement>('[data-testid="kibana"]')?.href).toContain('?y');
  });

  it('follows the live tail over SSE with the token in the URL', async () => {
    await answerInitialLoad();
    const el = fixture.nativeElement as HTMLElement;
    el.querySelector<HTMLElement>('[data-testid="tail"] button')!.click();
    fixture.detectChanges();
    const source = FakeEventSource.instances[0];
    expect(source.url).toContain('/api/logs/tail?');
    expect(source.url).toContain('access_token=access-1');
    source.emit('log', entry('c', 'warn', 'live line'));
    fixture.detectChanges();
    expect(el.textContent).toContain('live line');
    expect(el.querySelectorAll('[data-testid="log-row"]').length).toBe(1);
  });

  it('says why the live tail stopped after it was refused even with a fresh token', async () => {
    await answerInitialLoad();
    const el = fixture.nativeElement as HTMLElement;
    // The live region is in the page before anything goes wrong, so that what is written into it is announced.
    expect(el.querySelector('.tail-problem[role="status"]')?.textContent?.trim()).toBe('');
    el.querySelector<HTMLElement>('[data-testid="tail"] button')!.click();
    FakeEventSource.instances[0].fail(FakeEventSource.CLOSED);
    http.expectOne('/api/auth/refresh').flush(makeSession({ accessToken: 'access-2' }, 'admin'));
    await settle();
    expect(FakeEventSource.instances[1].url).toContain('access_token=access-2');
    FakeEventSource.instances[1].fail(FakeEventSource.CLOSED);
    fixture.detectChanges();

    expect(el.querySelector('.tail-problem')?.textContent).toContain('The live tail stopped');
    expect(el.querySelector('[data-testid="tail"] button')?.getAttribute('aria-checked')).toBe('false');
  });

  it('explains when log search is not configured', async () => {
    http.expectOne('/api/logs/settings').flush({ searchConfigured: false, shipping: false, indexPattern: 'xiaoyu-ai-logs-*', kibanaUrl: null });
    await settle();
    fixture.detectChanges();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Log search is not configured');
    http.verify();
  });

  it('shows a failed search in its own panel only: the requests are silent (no toast beside the panel)', async () => {
    http.expectOne('/api/logs/settings').flush({ searchConfigured: true, shipping: true, indexPattern: 'xiaoyu-ai-logs-*', kibanaUrl: null });
    await settle();
    const search = http.expectOne((r) => r.url === '/api/logs');
    const statistics = http.expectOne((r) => r.url === '/api/logs/stats');
    expect([search, statistics].map((r) => r.request.context.get(SILENT_ERRORS))).toEqual([true, true]);
    search.flush(problemBody(503, 'Service Unavailable', 'Elasticsearch is not answering.'), { status: 503, statusText: 'Service Unavailable' });
    statistics.flush(stats);
    await settle();
    fixture.detectChanges();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Elasticsearch is not answering.');
  });
});
