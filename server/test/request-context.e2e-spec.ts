import request from 'supertest';
import { ServerProcess, startServerProcess } from './support/server-process';
import { eventually, Session } from './support/test-app';

type LogLine = Record<string, unknown> & { message?: string; reqId?: string };

/** The log lines of the real process (src/main.ts, embedded PGlite), read from its stdout as an operator's collector would. */
describe('request context in the log of the real process', () => {
  let server: ServerProcess;
  let base: string;
  const lines = (): LogLine[] =>
    server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);

  beforeAll(async () => {
    server = await startServerProcess({ LOG_LEVEL: 'info' });
    base = server.base;
  });
  afterAll(() => server.stop());

  it("puts the request's id on what a service logs while serving it, and on the request line", async () => {
    const registered = await request(base).post('/api/auth/register').send({ email: 'context@xiaoyu.test', password: 'context-password-1' }).expect(201);
    const session = registered.body as Session;
    await request(base).post('/api/auth/refresh').send({ refreshToken: session.refreshToken }).expect(200);
    // Presenting the used token again makes AuthService log a warning (through Nest's Logger) in the middle of the request.
    await request(base).post('/api/auth/refresh').set('X-Request-Id', 'ctx-reuse-1').send({ refreshToken: session.refreshToken }).expect(401);

    const serviceLine = await eventually(() => Promise.resolve(lines().find((line) => line.message === 'Refresh token reuse detected; all sessions revoked')));
    expect(serviceLine).toMatchObject({ reqId: 'ctx-reuse-1', context: 'AuthService', userId: session.user.id, 'log.level': 'warn' });
    const requestLine = await eventually(() => Promise.resolve(lines().find((line) => line.message === 'POST /api/auth/refresh 401')));
    expect(requestLine).toMatchObject({
      reqId: 'ctx-reuse-1',
      http: { request: { id: 'ctx-reuse-1', method: 'POST' }, response: { status_code: 401 }, route: '/api/auth/refresh' },
      url: { path: '/api/auth/refresh' },
    });
    // Lines logged outside any request (start-up) carry no request id.
    expect(lines().find((line) => /Nest application successfully started/.test(line.message ?? ''))?.reqId).toBeUndefined();
    // Neither the password nor a token reached the log.
    for (const secret of ['context-password-1', session.refreshToken, session.accessToken]) expect(server.output()).not.toContain(secret);
  });
});
