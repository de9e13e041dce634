import { HttpClient, HttpErrorResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ErrorHandler } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { makeSession, problemBody, settle, storeSession } from '../../../testing/test-helpers';
import { anonymousRequest } from '../http/request-context';
import { authInterceptor } from './auth.interceptor';
import { AuthStore } from './auth.store';

const unauthorized = { status: 401, statusText: 'Unauthorized' };

describe('authInterceptor', () => {
  let http: HttpTestingController;
  let client: HttpClient;
  let store: AuthStore;
  let router: Router;

  beforeEach(() => {
    localStorage.clear();
    storeSession(makeSession());
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    client = TestBed.inject(HttpClient);
    store = TestBed.inject(AuthStore);
    router = TestBed.inject(Router);
  });

  afterEach(() => http.verify());

  it('adds the bearer token to API requests', async () => {
    const answer = firstValueFrom(client.get('/api/system/info'));
    const req = http.expectOne('/api/system/info');
    expect(req.request.headers.get('Authorization')).toBe('Bearer access-1');
    req.flush({ ok: true });
    expect(await answer).toEqual({ ok: true });
  });

  it('leaves requests to other hosts and anonymous API calls without a token', () => {
    client.get('https://example.com/api/thing').subscribe();
    client.post('/api/auth/login', {}, { context: anonymousRequest() }).subscribe();
    expect(http.expectOne('https://example.com/api/thing').request.headers.has('Authorization')).toBe(false);
    expect(http.expectOne('/api/auth/login').request.headers.has('Authorization')).toBe(false);
  });

  it('refreshes the token on 401 and retries the request with the new one', async () => {
    const answer = firstValueFrom(client.get('/api/system/info'));
    http.expectOne('/api/system/info').flush(problemBody(401, 'Unauthorized', 'jwt expired'), unauthorized);

    const refresh = http.expectOne('/api/auth/refresh');
    expect(refresh.request.headers.has('Authorization')).toBe(false);
    expect(refresh.request.body).toEqual({ refreshToken: 'refresh-1-aaaaaaaaaaaaaaaaaaaa' });
    refresh.flush(makeSession({ accessToken: 'access-2', refreshToken: 'refresh-2-bbbbbbbbbbbbbbbbbbbb' }));
    await settle();

    const retry = http.expectOne('/api/system/info');
    expect(retry.request.headers.get('Authorization')).toBe('Bearer access-2');
    retry.flush({ version: '0.1.0' });
    expect(await answer).toEqual({ version: '0.1.0' });
  });

  it('refreshes once for several requests that fail together', async () => {
    const a = firstValueFrom(client.get('/api/a'));
    const b = firstValueFrom(client.get('/api/b'));
    http.expectOne('/api/a').flush(null, unauthorized);
    http.expectOne('/api/b').flush(null, unauthorized);

    http.expectOne('/api/auth/refresh').flush(makeSession({ accessToken: 'access-2' }));
    await settle();

    const retries = http.match((req) => req.url === '/api/a' || req.url === '/api/b');
    expect(retries).toHaveLength(2);
    for (const retry of retries) {
      expect(retry.request.headers.get('Authorization')).toBe('Bearer access-2');
      retry.flush({ url: retry.request.url });
    }
    expect(await a).toEqual({ url: '/api/a' });
    expect(await b).toEqual({ url: '/api/b' });
  });

  it('signs out and goes to the login page when the refresh fails', async () => {
    const navigate = vi.spyOn(router, 'navigate').mockResolvedValue(true);
    const answer = firstValueFrom(client.get('/api/system/info'));
    http.expectOne('/api/system/info').flush(null, unauthorized);
    http.expectOne('/api/auth/refresh').flush(problemBody(401, 'Unauthorized', 'Refresh token revoked.'), unauthorized);

    const error = await answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpErrorResponse);
    expect((error as HttpErrorResponse).status).toBe(401);
    expect(store.isAuthenticated()).toBe(false);
    expect(navigate.mock.lastCall?.[0]).toEqual(['/login']);
    expect(navigate.mock.lastCall?.[1]?.queryParams).toMatchObject({ expired: 1 });
    http.expectNone('/api/system/info');
  });

  it('keeps the session and stays on the page when the refresh cannot reach the server', async () => {
    const navigate = vi.spyOn(router, 'navigate').mockResolvedValue(true);
    const answer = firstValueFrom(client.get('/api/system/info'));
    http.expectOne('/api/system/info').flush(null, unauthorized);
    http.expectOne('/api/auth/refresh').error(new ProgressEvent('error'));

    const error = await answer.catch((e: unknown) => e);
    expect((error as HttpErrorResponse).status).toBe(401);
    expect(store.isAuthenticated()).toBe(true);
    expect(navigate).not.toHaveBeenCalled();
  });

  it('reports a login page that cannot be opened instead of leaving the rejection unhandled', async () => {
    const failure = new Error('Failed to fetch dynamically imported module');
    vi.spyOn(router, 'navigate').mockRejectedValue(failure);
    const handleError = vi.spyOn(TestBed.inject(ErrorHandler), 'handleError').mockImplementation(() => undefined);
    const answer = firstValueFrom(client.get('/api/system/info'));
    http.expectOne('/api/system/info').flush(null, unauthorized);
    http.expectOne('/api/auth/refresh').flush(problemBody(401, 'Unauthorized', 'Refresh token revoked.'), unauthorized);

    await expect(answer).rejects.toMatchObject({ status: 401 });
    await settle();
    expect(handleError).toHaveBeenCalledWith(failure);
  });

  it('does not try to refresh when the retried request fails again', async () => {
    const answer = firstValueFrom(client.get('/api/system/queues'));
    http.expectOne('/api/system/queues').flush(null, unauthorized);
    http.expectOne('/api/auth/refresh').flush(makeSession({ accessToken: 'access-2' }));
    await settle();
    http.expectOne('/api/system/queues').flush(null, unauthorized);
    await expect(answer).rejects.toMatchObject({ status: 401 });
    http.expectNone('/api/auth/refresh');
  });

  it('passes other errors through untouched', async () => {
    const answer = firstValueFrom(client.get('/api/system/info'));
    http.expectOne('/api/system/info').flush(problemBody(500, 'Internal Server Error', 'boom'), { status: 500, statusText: 'Internal Server Error' });
    await expect(answer).rejects.toMatchObject({ status: 500 });
    http.expectNone('/api/auth/refresh');
  });
});
