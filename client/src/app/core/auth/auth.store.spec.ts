import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { makeSession, problemBody, settle, storeSession } from '../../../testing/test-helpers';
import { SESSION_STORAGE_KEY, readStoredSession } from './auth-session';
import { AuthStore } from './auth.store';

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
