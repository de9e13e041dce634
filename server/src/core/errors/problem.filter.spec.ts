import { ArgumentsHost, BadRequestException, HttpStatus, Logger } from '@nestjs/common';
import { ProblemDetails, ProblemException, ServiceUnavailableProblem } from './problem';
import { bodyParserProblems, ProblemFilter, unsupportedBodyProblem } from './problem.filter';

function run(exception: unknown) {
  const headers: Record<string, string> = {};
  let status = 0;
  let body = '';
  let type = '';
  const response = {
    headersSent: false,
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    status(code: number) {
      status = code;
      return this;
    },
    type(value: string) {
      type = value;
      return this;
    },
    send(value: string) {
      body = value;
      return this;
    },
  };
  const request = { id: 'req-1', method: 'POST', url: '/api/x?y=1', originalUrl: '/api/x?y=1' };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as unknown as ArgumentsHost;
  new ProblemFilter().catch(exception, host);
  return { status, type, headers, problem: JSON.parse(body) as ProblemDetails };
}

describe('ProblemFilter', () => {
  it('renders field errors as RFC 9457 problem+json', () => {
    const { status, type, problem } = run(
      new ProblemException(HttpStatus.BAD_REQUEST, 'durationSec is too long.', { errors: [{ field: 'durationSec', message: 'max 300' }] }),
    );
    expect(status).toBe(400);
    expect(type).toBe('application/problem+json');
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'durationSec is too long.',
      instance: '/api/x',
      requestId: 'req-1',
      errors: [{ field: 'durationSec', message: 'max 300' }],
    });
  });

  it('sets Retry-After for 503 problems', () => {
    const { status, headers } = run(new ServiceUnavailableProblem('Redis is down', 7));
    expect(status).toBe(503);
    expect(headers['retry-after']).toBe('7');
  });

  it('keeps the message of Nest HTTP exceptions', () => {
    expect(run(new BadRequestException('Bad thing')).problem.detail).toBe('Bad thing');
  });

  it('answers 503 with Retry-After when a dependency connection was lost (pg_terminate_backend)', () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { status, headers, problem } = run(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    expect(status).toBe(503);
    expect(headers['retry-after']).toBe('2');
    expect(problem.detail).not.toContain('administrator');
  });

  it('never leaks an unexpected error to the client', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { status, problem } = run(new Error('connection string postgres://secret@db failed at foo.ts:12'));
    expect(status).toBe(500);
    expect(problem.detail).toBe('An unexpected error occurred; quote error id req-1.');
    expect(JSON.stringify(problem)).not.toContain('secret');
    expect(logged).toHaveBeenCalled();
  });

  describe('bodyParserProblems', () => {
    const passOn = (error: unknown) => {
      let passed: unknown;
      bodyParserProblems(error, {} as never, {} as never, (e) => (passed = e));
      return passed;
    };

    it('turns a JSON syntax error into a 400 problem without the parser message', () => {
      const problem = passOn(Object.assign(new SyntaxError('Unexpected token } in JSON at position 7'), { type: 'entity.parse.failed', status: 400 }));
      expect(run(problem)).toMatchObject({ status: 400, problem: { detail: 'The request body is not valid JSON.' } });
    });

    it('turns any other 4xx of the parsers (a gzip body that does not inflate) into a problem, not a 500', () => {
      const problem = passOn(Object.assign(new Error('incorrect header check'), { status: 400, errno: -3 }));
      expect(run(problem)).toMatchObject({ status: 400, problem: { detail: 'The request body could not be read (bad content encoding or cut short).' } });
    });

    it('passes on errors that are not the client’s', () => {
      const error = new Error('disk full');
      expect(passOn(error)).toBe(error);
    });
  });

  describe('unsupportedBodyProblem', () => {
    const formRoutes = (method: string, path: string) => method === 'POST' && path === '/api/upload';
    const requestOf = (method: string, path: string, contentType?: string, body?: unknown) =>
      ({ method, path, body, headers: { 'content-length': '12', ...(contentType ? { 'content-type': contentType } : {}) } }) as never;

    it('answers 415 naming body for a multipart form sent to a route that reads JSON', () => {
      const problem = unsupportedBodyProblem(requestOf('POST', '/api/auth/login', 'multipart/form-data; boundary=x'), formRoutes);
      expect(run(problem)).toMatchObject({
        status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        problem: { errors: [{ field: 'body', message: 'body must be JSON (Content-Type: application/json), not multipart/form-data' }] },
      });
    });

    it('answers 415 for a type no parser reads, and for a body without a Content-Type', () => {
      expect(unsupportedBodyProblem(requestOf('PUT', '/api/x', 'text/plain'), formRoutes)?.getStatus()).toBe(415);
      expect(run(unsupportedBodyProblem(requestOf('POST', '/api/x'), formRoutes))).toMatchObject({
        problem: { errors: [{ field: 'body', message: 'body must be JSON (Content-Type: application/json), not a body without a Content-Type' }] },
      });
    });

    it('lets forms through to the routes that read them, JSON to a route’s own parser, and requests without a body', () => {
      expect(unsupportedBodyProblem(requestOf('POST', '/api/upload', 'Multipart/Form-Data; boundary=x'), formRoutes)).toBeUndefined();
      expect(unsupportedBodyProblem(requestOf('POST', '/api/x', 'application/json'), formRoutes)).toBeUndefined();
      expect(unsupportedBodyProblem(requestOf('POST', '/api/x', 'text/plain', {}), formRoutes)).toBeUndefined();
      expect(unsupportedBodyProblem(requestOf('GET', '/api/x', 'multipart/form-data; boundary=x'), formRoutes)).toBeUndefined();
      const empty = { method: 'POST', path: '/api/x', headers: { 'content-type': 'text/plain' } } as never;
      expect(unsupportedBodyProblem(empty, formRoutes)).toBeUndefined();
    });
  });
});
