import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { firstValueFrom } from 'rxjs';
import { problemBody, storeSession } from '../../../testing/test-helpers';
import { anonymousRequest, silentErrors } from '../http/request-context';
import { errorInterceptor } from './error.interceptor';
import { ProblemToastView } from './problem-toast';

describe('errorInterceptor', () => {
  let http: HttpTestingController;
  let client: HttpClient;
  let openFromComponent: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    localStorage.clear();
    storeSession(null);
    openFromComponent = vi.fn();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: { openFromComponent } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    client = TestBed.inject(HttpClient);
  });

  afterEach(() => http.verify());

  it('shows the problem as a readable toast and still fails the call', async () => {
    const answer = firstValueFrom(client.post('/api/auth/login', {}, { context: anonymousRequest() }));
    http.expectOne('/api/auth/login').flush(problemBody(401, 'Unauthorized', 'Wrong e-mail or password.'), { status: 401, statusText: 'Unauthorized' });
    await expect(answer).rejects.toMatchObject({ status: 401 });
    expect(openFromComponent).toHaveBeenCalledOnce();
    expect(openFromComponent.mock.lastCall?.[0]).toBe(ProblemToastView);
    expect(openFromComponent.mock.lastCall?.[1]).toMatchObject({ panelClass: 'xy-problem-toast', data: { text: 'Unauthorized\nWrong e-mail or password.' } });
  });

  it('stays quiet for calls marked silent', async () => {
    const answer = firstValueFrom(client.get('/api/health', { context: silentErrors() }));
    http.expectOne('/api/health').flush({ status: 'error' }, { status: 503, statusText: 'Service Unavailable' });
    await expect(answer).rejects.toMatchObject({ status: 503 });
    expect(openFromComponent).not.toHaveBeenCalled();
  });

  it('stays quiet about the 401 that ended the session (the login page explains it)', async () => {
    const answer = firstValueFrom(client.get('/api/system/info'));
    http.expectOne('/api/system/info').flush(null, { status: 401, statusText: 'Unauthorized' });
    await expect(answer).rejects.toMatchObject({ status: 401 });
    expect(openFromComponent).not.toHaveBeenCalled();
  });
});
