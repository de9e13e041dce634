import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { makeSession, settle, storeSession } from '../../testing/test-helpers';
import { FakeEventSource } from '../../testing/fake-event-source';
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
    (globalThis as unknown as { EventSource: unknown }).EventSource = FakeEventSource;
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(LogsPage);
    fixture.detectChanges();
    await settle();
  });

  afterEach(() => storeSession(null));

  async function answerInitialLoad(kibanaUrl: string | null = 'http://kibana:5601/app/discover#/?x') {
    http.expectOne('/api/logs/settings').flush({ searchConfigured: true, shipping: true, indexPattern: 'xiaoyu-ai-logs-*', kibanaUrl: 'http://kibana:5601' });
    await settle();
    http
      .expectOne((r) => r.url === '/api/logs')
      .flush({ total: 2, page: 1, size: 50, hits: [entry('a', 'error', 'GET /api/music/1 500'), entry('b', 'info', 'hello')], kibanaUrl });
    http.expectOne((r) => r.url === '/api/logs/stats').flush(stats);
    await settle();
    fixture.detectChanges();
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

  it('expands a row into its JSON document', async () => {
    await answerInitialLoad();
    const el = fixture.nativeElement as HTMLElement;
    el.querySelector<HTMLElement>('[data-testid="log-row"]')!.click();
    fixture.detectChanges();
    expect(el.querySelector('[data-testid="log-json"]')?.textContent).toContain('Error: boom');
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

  it('explains when log search is not configured', async () => {
    http.expectOne('/api/logs/settings').flush({ searchConfigured: false, shipping: false, indexPattern: 'xiaoyu-ai-logs-*', kibanaUrl: null });
    await settle();
    fixture.detectChanges();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Log search is not configured');
    http.verify();
  });
});
