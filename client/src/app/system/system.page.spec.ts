import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { focusWithTab, pressKey } from '../../testing/keyboard';
import { makeSession, settle, storeSession } from '../../testing/test-helpers';
import { SESSION_STORAGE_KEY } from '../core/auth/auth-session';
import { SystemPage } from './system.page';

const healthy = {
  status: 'ok',
  info: { database: { status: 'up' }, redis: { status: 'up' } },
  error: {},
  details: { database: { status: 'up' }, redis: { status: 'up' } },
};

const redisDown = {
  status: 'error',
  info: { database: { status: 'up' } },
  error: { redis: { status: 'down', message: 'connect ECONNREFUSED 127.0.0.1:6379' } },
  details: { database: { status: 'up' }, redis: { status: 'down', message: 'connect ECONNREFUSED 127.0.0.1:6379' } },
};

const info = {
  name: 'xiaoyu-ai',
  version: '0.1.0',
  role: 'all',
  node: 'v20.20.0',
  uptimeSec: 3720,
  database: 'pglite',
  llm: { configured: false, model: null },
};

describe('SystemPage', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<SystemPage>;

  async function render(role: 'user' | 'admin'): Promise<HTMLElement> {
    localStorage.clear();
    storeSession(makeSession({}, role));
    TestBed.configureTestingModule({
      imports: [SystemPage],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SystemPage);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  async function settled(): Promise<void> {
    await settle();
    await fixture.whenStable();
  }

  function checkRow(el: HTMLElement, name: string): HTMLElement {
    const row = el.querySelector<HTMLElement>(`[data-check="${name}"]`);
    if (!row) throw new Error(`no row for ${name}`);
    return row;
  }

  afterEach(() => {
    fixture.destroy();
    http.verify();
  });

  it('shows a loading state until the server answers', async () => {
    const el = await render('user');
    expect(el.textContent).toContain('Checking dependencies');
    http.expectOne('/api/health').flush(healthy);
    http.expectOne('/api/system/info').flush(info);
    await settled();
    expect(el.textContent).not.toContain('Checking dependencies');
  });

  it('renders every check as up when the platform is healthy', async () => {
    const el = await render('user');
    http.expectOne('/api/health').flush(healthy);
    http.expectOne('/api/system/info').flush(info);
    await settled();

    expect(el.querySelector('[data-testid="overall-health"]')?.textContent).toContain('All systems operational');
    expect(checkRow(el, 'database').textContent).toContain('up');
    expect(checkRow(el, 'redis').textContent).toContain('up');
    expect(el.querySelectorAll('.check.down')).toHaveLength(0);
  });

  it('names checks readably', async () => {
    const el = await render('user');
    http.expectOne('/api/health').flush({ status: 'ok', details: { 'music-soundfont': { status: 'up' } } });
    http.expectOne('/api/system/info').flush(info);
    await settled();
    expect(checkRow(el, 'music-soundfont').querySelector('.check-name')?.textContent).toBe('Music soundfont');
  });

  it('shows the down state from a 503 health answer, with the reason', async () => {
    const el = await render('user');
    http.expectOne('/api/health').flush(redisDown, { status: 503, statusText: 'Service Unavailable' });
    http.expectOne('/api/system/info').flush(info);
    await settled();

    expect(el.querySelector('[data-testid="overall-health"]')?.textContent).toContain('1 of 2 checks failing');
    expect(checkRow(el, 'database').textContent).toContain('up');
    const redis = checkRow(el, 'redis');
    expect(redis.classList).toContain('down');
    expect(redis.textContent).toContain('down');
    expect(redis.textContent).toContain('ECONNREFUSED');
  });

  it('also reads the checks from a problem+json 503 that carries them as extension members', async () => {
    const el = await render('user');
    http
      .expectOne('/api/health')
      .flush(
        { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'A dependency is down.', details: redisDown.details },
        { status: 503, statusText: 'Service Unavailable' },
      );
    http.expectOne('/api/system/info').flush(info);
    await settled();
    expect(el.querySelector('[data-testid="overall-health"]')?.textContent).toContain('1 of 2 checks failing');
    expect(checkRow(el, 'redis').classList).toContain('down');
  });

  it('shows an error with a retry when the health endpoint cannot be reached', async () => {
    const el = await render('user');
    http.expectOne('/api/health').error(new ProgressEvent('error'));
    http.expectOne('/api/system/info').flush(info);
    await settled();
    expect(el.textContent).toContain('Server unreachable');

    const retry = Array.from(el.querySelectorAll('button')).find((b) => b.textContent?.includes('Retry'));
    retry?.click();
    http.expectOne('/api/health').flush(healthy);
    await settled();
    expect(el.textContent).toContain('All systems operational');
  });

  it('keeps Refresh in the tab order while it is unavailable, and a press then starts nothing', async () => {
    const el = await render('user');
    const refresh = Array.from(el.querySelectorAll<HTMLButtonElement>('button')).find((b) => b.textContent?.includes('Refresh'))!;
    expect(refresh.getAttribute('aria-disabled')).toBe('true');
    focusWithTab(refresh);
    pressKey(refresh, 'Enter');
    http.expectOne('/api/health').flush(healthy);
    http.expectOne('/api/system/info').flush(info);
    await settled();

    expect(refresh.getAttribute('aria-disabled')).toBeNull();
    pressKey(refresh, 'Enter');
    http.expectOne('/api/health').flush(healthy);
    http.expectOne('/api/system/info').flush(info);
    await settled();
  });

  it('names each card as a region after its title', async () => {
    const el = await render('admin');
    http.expectOne('/api/health').flush(healthy);
    http.expectOne('/api/system/info').flush(info);
    http.expectOne('/api/system/queues').flush([{ name: 'music-generation', waiting: 0, active: 0, completed: 1, failed: 0, delayed: 0 }]);
    await settled();
    const names = Array.from(el.querySelectorAll('[role="region"]')).map(
      (r) => r.getAttribute('aria-label') ?? document.getElementById(r.getAttribute('aria-labelledby') ?? '')?.textContent,
    );
    expect(names).toEqual(['Health', 'Version', 'Job queues', 'Job queues table']);
    expect(el.querySelector('table.queues')?.getAttribute('aria-labelledby')).toBe('queues-title');
    // The table's scroll box takes the keyboard focus, so that it can be scrolled where it is wider than a phone.
    expect(el.querySelector('.table-scroll')?.getAttribute('tabindex')).toBe('0');
  });

  it('shows version and runtime information', async () => {
    const el = await render('user');
    http.expectOne('/api/health').flush(healthy);
    http.expectOne('/api/system/info').flush(info);
    await settled();
    expect(el.querySelector('[data-testid="version"]')?.textContent?.trim()).toBe('0.1.0');
    expect(el.textContent).toContain('v20.20.0');
    expect(el.textContent).toContain('1 h 2 min');
    expect(el.textContent).toContain('Not configured');
  });

  it('tells a non-admin that queue statistics are for administrators, without asking the server', async () => {
    const el = await render('user');
    http.expectOne('/api/health').flush(healthy);
    http.expectOne('/api/system/info').flush(info);
    await settled();
    http.expectNone('/api/system/queues');
    expect(el.textContent).toContain('Administrators only');
  });

  it('loads the queues once the user turns out to be an admin after the first load', async () => {
    await render('user');
    http.expectOne('/api/health').flush(healthy);
    http.expectOne('/api/system/info').flush(info);
    await settled();
    http.expectNone('/api/system/queues');
    storeSession(makeSession({}, 'admin'));
    window.dispatchEvent(new StorageEvent('storage', { key: SESSION_STORAGE_KEY }));
    await settled();
    http.expectOne('/api/system/queues').flush([]);
  });

  it('lists the queues for an admin', async () => {
    const el = await render('admin');
    http.expectOne('/api/health').flush(healthy);
    http.expectOne('/api/system/info').flush(info);
    http.expectOne('/api/system/queues').flush([{ name: 'music-generation', waiting: 2, active: 1, completed: 40, failed: 3, delayed: 0 }]);
    await settled();
    const row = el.querySelector('table.queues tbody tr');
    expect(row?.textContent).toContain('music-generation');
    expect(row?.querySelector('.alert')?.textContent).toBe('3');
  });

  it('shows an empty state when an admin has no queues yet', async () => {
    const el = await render('admin');
    http.expectOne('/api/health').flush(healthy);
    http.expectOne('/api/system/info').flush(info);
    http.expectOne('/api/system/queues').flush([]);
    await settled();
    expect(el.textContent).toContain('No queues yet');
  });
});
