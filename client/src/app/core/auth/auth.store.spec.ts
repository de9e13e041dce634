import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { makeSession, problemBody, settle, storeSession } from '../../../testing/test-helpers';
import { SESSION_STORAGE_KEY, readStoredSession } from './auth-session';
import { AuthStore, accessTokenExpiry } from './auth.store';

/** An unsigned JWT whose `exp` is `inMs` from now (the client only reads the claim). */
function jwtExpiringIn(inMs: number): string {
  const claims = btoa(JSON.stringify({ sub: 'u1', exp: Math.floor((Date.now() + inMs) / 1000) })).replace(/=+$/, '');
  return `eyJhbGciOiJIUzI1NiJ9.${claims.replace(/\+/g, '-').replace(/\//g, '_')}.signature`;
}

describe('AuthStore', () => {
  let http: HttpTestingController;

  function setup(): AuthStore {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    return TestBed.inject(AuthStore);
  }

  beforeEach(() => localStorage.clear());
  afterEach(() => http.verify());

  it('starts signed out when nothing is stored', () => {
    const store = setup();
    expect(store.isAuthenticated()).toBe(false);
    expect(store.user()).toBeNull();
    expect(store.isAdmin()).toBe(false);
    expect(store.accessToken()).toBeNull();
  });

  it('restores the session kept in localStorage', () => {
    storeSession(makeSession({}, 'admin'));
    const store = setup();
    expect(store.isAuthenticated()).toBe(true);
    expect(store.user()?.email).toBe('ada@example.com');
    expect(store.isAdmin()).toBe(true);
    expect(store.accessToken()).toBe('access-1');
  });

  it('puts the access token into URLs that cannot carry a header, and leaves them alone when signed out', () => {
    storeSession(makeSession({ accessToken: 'a+b/c=' }));
    const store = setup();
    expect(store.withAccessToken('/api/music/1/midi')).toBe('/api/music/1/midi?access_token=a%2Bb%2Fc%3D');
    expect(store.withAccessToken('/api/music/1/audio?format=mp3')).toBe('/api/music/1/audio?format=mp3&access_token=a%2Bb%2Fc%3D');
    store.clear();
    expect(store.withAccessToken('/api/music/1/midi')).toBe('/api/music/1/midi');
  });

  it('treats a corrupt stored session as signed out', () => {
    localStorage.setItem(SESSION_STORAGE_KEY, '{"accessToken": 42');
    expect(setup().isAuthenticated()).toBe(false);
  });

  it('logs in, keeps the tokens in localStorage and exposes the user', async () => {
    const store = setup();
    const done = store.login({ email: 'ada@example.com', password: 'secret-password' });
    const req = http.expectOne('/api/auth/login');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ email: 'ada@example.com', password: 'secret-password' });
    req.flush(makeSession());
    await done;

    expect(store.isAuthenticated()).toBe(true);
    expect(store.isAdmin()).toBe(false);
    expect(readStoredSession()?.refreshToken).toBe('refresh-1-aaaaaaaaaaaaaaaaaaaa');
  });

  it('registers and signs the new user in', async () => {
    const store = setup();
    const done = store.register({ email: 'new@example.com', password: 'secret-password' });
    http
      .expectOne('/api/auth/register')
      .flush(makeSession({ user: { id: 'u2', email: 'new@example.com', role: 'user' } }), { status: 201, statusText: 'Created' });
    await done;
    expect(store.user()?.email).toBe('new@example.com');
  });

  it('stays signed out and rethrows when the login is refused', async () => {
    const store = setup();
    const done = store.login({ email: 'ada@example.com', password: 'wrong-password' });
    http.expectOne('/api/auth/login').flush(problemBody(401, 'Unauthorized', 'Wrong e-mail or password.'), { status: 401, statusText: 'Unauthorized' });
    await expect(done).rejects.toMatchObject({ status: 401 });
    expect(store.isAuthenticated()).toBe(false);
  });

  it('shares one refresh request between concurrent callers and stores the new pair', async () => {
    storeSession(makeSession());
    const store = setup();
    const first = store.refresh();
    const second = store.refresh();

    const req = http.expectOne('/api/auth/refresh');
    expect(req.request.body).toEqual({ refreshToken: 'refresh-1-aaaaaaaaaaaaaaaaaaaa' });
    req.flush(makeSession({ accessToken: 'access-2', refreshToken: 'refresh-2-bbbbbbbbbbbbbbbbbbbb' }));

    expect(await first).toBe(true);
    expect(await second).toBe(true);
    expect(store.accessToken()).toBe('access-2');
    expect(readStoredSession()?.refreshToken).toBe('refresh-2-bbbbbbbbbbbbbbbbbbbb');
  });

  it('signs out when the refresh is refused', async () => {
    storeSession(makeSession());
    const store = setup();
    const refreshed = store.refresh();
    http.expectOne('/api/auth/refresh').flush(problemBody(401, 'Unauthorized', 'Refresh token expired.'), { status: 401, statusText: 'Unauthorized' });
    expect(await refreshed).toBe(false);
    expect(store.isAuthenticated()).toBe(false);
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('keeps the session when the refresh cannot reach the server', async () => {
    storeSession(makeSession());
    const store = setup();
    const refreshed = store.refresh();
    http.expectOne('/api/auth/refresh').error(new ProgressEvent('error'));
    expect(await refreshed).toBe(false);
    expect(store.accessToken()).toBe('access-1');
    expect(readStoredSession()?.refreshToken).toBe('refresh-1-aaaaaaaaaaaaaaaaaaaa');
  });

  it('takes the pair another tab has just rotated instead of presenting the used refresh token again', async () => {
    storeSession(makeSession());
    const store = setup();
    // The other tab's storage event has not arrived yet.
    storeSession(makeSession({ accessToken: 'access-2', refreshToken: 'refresh-2-bbbbbbbbbbbbbbbbbbbb' }));
    expect(await store.refresh()).toBe(true);
    http.expectNone('/api/auth/refresh');
    expect(store.accessToken()).toBe('access-2');
  });

  it('reads the expiry of an access token, and nothing from what is not a JWT', () => {
    const token = jwtExpiringIn(90_000);
    expect(accessTokenExpiry(token)).toBeGreaterThan(Date.now() + 88_000);
    expect(accessTokenExpiry('access-1')).toBeNull();
    expect(accessTokenExpiry('a.!!!.c')).toBeNull();
  });

  describe('renewal before expiry', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('renews the access token a minute before it expires, so links that carry it keep working', async () => {
      storeSession(makeSession({ accessToken: jwtExpiringIn(120_000) }));
      const store = setup();
      TestBed.tick();
      await vi.advanceTimersByTimeAsync(58_000);
      http.expectNone('/api/auth/refresh');
      await vi.advanceTimersByTimeAsync(3_000);
      http.expectOne('/api/auth/refresh').flush(makeSession({ accessToken: 'access-2', refreshToken: 'refresh-2-bbbbbbbbbbbbbbbbbbbb' }));
      await vi.advanceTimersByTimeAsync(0);
      expect(store.withAccessToken('/api/music/1/midi')).toBe('/api/music/1/midi?access_token=access-2');
    });

    it('tries again later, still signed in, when the renewal cannot reach the server', async () => {
      storeSession(makeSession({ accessToken: jwtExpiringIn(30_000) }));
      const store = setup();
      TestBed.tick();
      await vi.advanceTimersByTimeAsync(0);
      http.expectOne('/api/auth/refresh').error(new ProgressEvent('error'));
      await vi.advanceTimersByTimeAsync(0);
      TestBed.tick();
      expect(store.isAuthenticated()).toBe(true);
      await vi.advanceTimersByTimeAsync(29_000);
      http.expectNone('/api/auth/refresh');
      await vi.advanceTimersByTimeAsync(2_000);
      http.expectOne('/api/auth/refresh').flush(makeSession({ accessToken: 'access-2' }));
      await vi.advanceTimersByTimeAsync(0);
      expect(store.accessToken()).toBe('access-2');
    });
  });

  it('forgets the session at once on logout and revokes the refresh token on the server', async () => {
    storeSession(makeSession());
    const store = setup();
    const done = store.logout();
    expect(store.isAuthenticated()).toBe(false);
    const req = http.expectOne('/api/auth/logout');
    expect(req.request.body).toEqual({ refreshToken: 'refresh-1-aaaaaaaaaaaaaaaaaaaa' });
    req.flush(null, { status: 204, statusText: 'No Content' });
    await done;
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('still signs out when the server cannot be reached on logout', async () => {
    storeSession(makeSession());
    const store = setup();
    const done = store.logout();
    http.expectOne('/api/auth/logout').error(new ProgressEvent('error'));
    await expect(done).resolves.toBeUndefined();
    expect(store.isAuthenticated()).toBe(false);
  });

  it('follows a sign-out made in another tab', async () => {
    storeSession(makeSession());
    const store = setup();
    storeSession(null);
    window.dispatchEvent(new StorageEvent('storage', { key: SESSION_STORAGE_KEY }));
    await settle();
    expect(store.isAuthenticated()).toBe(false);
  });

  it('picks up a role change from /api/auth/me', async () => {
    storeSession(makeSession());
    const store = setup();
    const done = store.reloadUser();
    http.expectOne('/api/auth/me').flush({ id: 'u1', email: 'ada@example.com', role: 'admin' });
    await done;
    expect(store.isAdmin()).toBe(true);
    expect(readStoredSession()?.user.role).toBe('admin');
  });
});
