import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { BreakpointObserver, BreakpointState } from '@angular/cdk/layout';
import { of } from 'rxjs';
import { focusWithTab, pressKey } from '../../../testing/keyboard';
import { makeSession, settle, storeSession } from '../../../testing/test-helpers';
import { SESSION_STORAGE_KEY } from '../auth/auth-session';
import { AuthStore } from '../auth/auth.store';
import { Shell } from './shell';

describe('Shell', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<Shell>;

  async function render(role: 'user' | 'admin', narrow = false): Promise<HTMLElement> {
    localStorage.clear();
    storeSession(makeSession({}, role));
    const screen: Partial<BreakpointObserver> = { observe: () => of<BreakpointState>({ matches: narrow, breakpoints: {} }) };
    TestBed.configureTestingModule({
      imports: [Shell],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting(), { provide: BreakpointObserver, useValue: screen }],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(Shell);
    await fixture.whenStable();
    // The shell re-reads the user once to pick up role changes.
    http.expectOne('/api/auth/me').flush(makeSession({}, role).user);
    await settle();
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  function navLabels(el: HTMLElement): string[] {
    return Array.from(el.querySelectorAll('nav a')).map((a) => a.textContent?.trim() ?? '');
  }

  afterEach(() => http.verify());

  it('offers every feature to an admin', async () => {
    const el = await render('admin');
    expect(navLabels(el)).toEqual([
      'music_noteMusic',
      'schoolTutor',
      'groupsEnsemble',
      'photo_libraryMultimodal',
      'receipt_longLogs',
      'insightsAIOps',
      'monitor_heartSystem',
    ]);
  });

  it('hides operator pages from a regular user', async () => {
    const el = await render('user');
    const labels = navLabels(el).join(' ');
    expect(labels).toContain('Music');
    expect(labels).toContain('System');
    expect(labels).not.toContain('Logs');
    expect(labels).not.toContain('AIOps');
  });

  it('shows who is signed in, and names the account menu with the e-mail it shows', async () => {
    const el = await render('user');
    expect(el.querySelector('.toolbar')?.textContent).toContain('ada@example.com');
    const account = el.querySelector('button.account')!;
    // The accessible name is the text that is not aria-hidden: the e-mail shown, then what the button opens.
    const named = (node: Node): string =>
      node.nodeType === Node.TEXT_NODE
        ? (node.textContent ?? '')
        : node instanceof Element && node.getAttribute('aria-hidden') === 'true'
          ? ''
          : [...node.childNodes].map(named).join('');
    expect(account.hasAttribute('aria-label')).toBe(false);
    expect(named(account).replace(/\s+/g, ' ').trim()).toBe('ada@example.com, account menu');
  });

  it('lets a keyboard user skip to the page content with the first Tab stop', async () => {
    const el = await render('user');
    const skip = el.querySelector<HTMLElement>('button, a[href], [tabindex]:not([tabindex="-1"])')!;
    expect(skip.textContent?.trim()).toBe('Skip to content');
    focusWithTab(skip);
    pressKey(skip, 'Enter');
    expect(document.activeElement).toBe(el.querySelector('main'));
  });

  it('says on a phone whether the navigation drawer is open, and which element it controls', async () => {
    const el = await render('user', true);
    const toggle = el.querySelector<HTMLElement>('button[aria-label="Main menu"]')!;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(el.querySelector(`#${toggle.getAttribute('aria-controls')}`)?.querySelector('nav[aria-label="Main"]')).not.toBeNull();
    focusWithTab(toggle);
    pressKey(toggle, 'Enter');
    await fixture.whenStable();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
  });

  it('logs out from the account menu: revokes the refresh token, forgets the session, opens the login page', async () => {
    const el = await render('user');
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    el.querySelector<HTMLButtonElement>('button.account')!.click();
    await fixture.whenStable();
    const logout = Array.from(document.querySelectorAll<HTMLButtonElement>('.mat-mdc-menu-item')).find((b) => b.textContent?.includes('Log out'));
    logout!.click();
    http.expectOne('/api/auth/logout').flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(false);
    expect(navigate).toHaveBeenCalledWith(['/login']);
    expect(navigate).toHaveBeenCalledTimes(1);
  });

  it('opens the login page when the session ends elsewhere (signed out in another tab)', async () => {
    await render('user');
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    storeSession(null);
    globalThis.dispatchEvent(new StorageEvent('storage', { key: SESSION_STORAGE_KEY }));
    await settle();
    fixture.detectChanges();
    expect(TestBed.inject(AuthStore).isAuthenticated()).toBe(false);
    expect(navigate).toHaveBeenCalledWith(['/login'], { queryParams: { returnUrl: '/', expired: 1 } });
  });
});
