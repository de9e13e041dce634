import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { formatProblem, retryHint, toProblem } from './problem';

describe('toProblem', () => {
  it('reads the problem+json body the server sends', () => {
    const error = new HttpErrorResponse({
      status: 400,
      statusText: 'Bad Request',
      error: {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'email must be a valid e-mail address',
        instance: '/api/auth/register',
        requestId: 'r-1',
        errors: [{ field: 'email', message: 'email must be a valid e-mail address' }],
      },
    });
    expect(toProblem(error)).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'email must be a valid e-mail address',
      instance: '/api/auth/register',
      requestId: 'r-1',
      errors: [{ field: 'email', message: 'email must be a valid e-mail address' }],
    });
  });

  it('parses a problem body that arrived as text', () => {
    const error = new HttpErrorResponse({ status: 409, error: JSON.stringify({ title: 'Conflict', status: 409, detail: 'The e-mail is taken.' }) });
    expect(toProblem(error)).toMatchObject({ title: 'Conflict', status: 409, detail: 'The e-mail is taken.' });
  });

  it('keeps only the field errors whose parts are text, never "[object Object]"', () => {
    const error = new HttpErrorResponse({
      status: 400,
      error: {
        title: 'Bad Request',
        status: 400,
        errors: [
          { field: { path: ['email'] }, message: 'email must be a valid e-mail address' },
          { field: 'password', message: { text: 'too short' } },
        ],
      },
    });
    expect(toProblem(error).errors).toEqual([{ field: '', message: 'email must be a valid e-mail address' }]);
  });

  it('explains an unreachable server', () => {
    const problem = toProblem(new HttpErrorResponse({ status: 0, error: new ProgressEvent('error') }));
    expect(problem.title).toBe('Server unreachable');
    expect(problem.detail).toContain('could not be reached');
  });

  it('falls back to the status text when the body is not a problem', () => {
    expect(toProblem(new HttpErrorResponse({ status: 502, error: '<html>bad gateway</html>' }))).toMatchObject({
      title: 'Bad Gateway',
      status: 502,
    });
  });

  it('wraps plain errors', () => {
    expect(toProblem(new Error('kaput'))).toMatchObject({ title: 'Unexpected error', detail: 'kaput' });
  });
});

describe('formatProblem', () => {
  it('shows the title, then the detail', () => {
    expect(formatProblem({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Wrong e-mail or password.' })).toBe(
      'Unauthorized\nWrong e-mail or password.',
    );
  });

  it('lists each invalid field on its own line and drops a detail that only repeats them', () => {
    const text = formatProblem({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: '2 problems in the request: email must be a valid e-mail address; password must be at least 8 characters long.',
      errors: [
        { field: 'email', message: 'email must be a valid e-mail address' },
        { field: 'password', message: 'password must be at least 8 characters long' },
      ],
    });
    expect(text).toBe('Bad Request\n• email must be a valid e-mail address\n• password must be at least 8 characters long');
  });

  it("names the field before a message that does not begin with the field's name", () => {
    const text = formatProblem({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'The request is invalid.',
      errors: [
        { field: 'audio', message: 'is required' },
        { field: 'text', message: 'textual input only' },
      ],
    });
    expect(text).toBe('Bad Request\nThe request is invalid.\n• audio: is required\n• text: textual input only');
  });

  it('keeps a detail that says more than the field list', () => {
    const text = formatProblem({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'The request is invalid.',
      errors: [{ field: 'durationSec', message: 'durationSec must not be greater than 300' }],
    });
    expect(text).toBe('Bad Request\nThe request is invalid.\n• durationSec must not be greater than 300');
  });

  it('adds the request id to server errors so support can find the log line', () => {
    const text = formatProblem({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred.',
      requestId: 'abc-123',
    });
    expect(text).toBe('Internal Server Error\nAn unexpected error occurred.\nRequest id: abc-123');
  });

  it('does not repeat a detail equal to the title', () => {
    expect(formatProblem({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'Not Found' })).toBe('Not Found');
  });
});

describe('retryHint', () => {
  it('reads Retry-After from a 429 and says when to try again', () => {
    const error = new HttpErrorResponse({
      status: 429,
      headers: new HttpHeaders({ 'Retry-After': '1800' }),
      error: { type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'You can start 30 music generations per hour.' },
    });
    const problem = toProblem(error);
    expect(problem.retryAfterSec).toBe(1800);
    expect(retryHint(problem)).toBe('Try again in 30 min.');
    expect(retryHint({ ...problem, retryAfterSec: 2 })).toBe('Try again in 2 s.');
    expect(retryHint({ ...problem, retryAfterSec: undefined })).toBeUndefined();
    expect(formatProblem(problem)).toBe('Too Many Requests\nYou can start 30 music generations per hour.\nTry again in 30 min.');
  });
});
