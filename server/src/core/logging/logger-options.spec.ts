import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { storage } from 'nestjs-pino/storage';
import { loadConfig } from '../config/app-config';
import { currentRequest, loggerOptions, REDACTED_PATHS, requestLogging } from './logger-options';

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const options = loggerOptions(loadConfig({ LOG_PRETTY: 'false' })).pinoHttp as pino.LoggerOptions;
  const { transport: _transport, ...rest } = options;
  return { logger: pino(rest, sink), lines };
}

describe('logger options', () => {
  it('writes ECS fields and censors passwords, tokens and auth headers', () => {
    const { logger, lines } = captureLogger();
    logger.info(
      {
        password: 'hunter22',
        body: { password: 'p4ss', refreshToken: 'r-123', accessToken: 'a-123' },
        req: { headers: { authorization: 'Bearer secret-jwt', cookie: 'sid=1' } },
      },
      'login attempt',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['hunter22', 'p4ss', 'r-123', 'a-123', 'secret-jwt', 'sid=1']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(lines[0]).toMatchObject({ 'log.level': 'info', message: 'login attempt' });
    expect(typeof lines[0]['ecs.version']).toBe('string');
  });

  it('uses pretty output in development unless told otherwise', () => {
    expect(loggerOptions(loadConfig({ NODE_ENV: 'development' })).pinoHttp).toHaveProperty('transport');
    expect(loggerOptions(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).pinoHttp).not.toHaveProperty('transport');
    expect(REDACTED_PATHS).toContain('req.headers.authorization');
  });
});

describe('requestLogging', () => {
  function setup() {
    const lines: Record<string, unknown>[] = [];
    const config = loadConfig({ LOG_PRETTY: 'false' });
    const middleware = requestLogging(loggerOptions(config, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) }));
    const exchange = (url: string, status: number, headers: Record<string, string> = {}) => {
      const req = { method: 'GET', url, originalUrl: url, headers, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
      const sent: Record<string, string> = {};
      const res = Object.assign(new EventEmitter(), {
        statusCode: status,
        headers: sent,
        setHeader(name: string, value: string) {
          sent[name] = value;
        },
        getHeader: () => '2',
      });
      let nexted = false;
      let contextLogger: pino.Logger | undefined;
      middleware(req, res as unknown as ServerResponse, () => {
        nexted = true;
        contextLogger = storage.getStore()?.logger;
      });
      return { req, res, finish: () => res.emit('close'), nexted: () => nexted, contextLogger: () => contextLogger };
    };
    // lines on stdout too: only the extra destination is inspected here
    return { lines, exchange };
  }

  it('gives currentRequest() the request being served, inside its context only', async () => {
    const lines: unknown[] = [];
    const middleware = requestLogging(loggerOptions(loadConfig({ LOG_PRETTY: 'false' }), { write: (line: string) => lines.push(line) }));
    const req = { method: 'GET', url: '/api/auth/me', headers: {}, socket: {} } as unknown as IncomingMessage;
    const res = Object.assign(new EventEmitter(), { statusCode: 200, setHeader: () => undefined, getHeader: () => undefined });
    const seen = await new Promise<IncomingMessage | undefined>((resolve, reject) => {
      middleware(req, res as unknown as ServerResponse, () => {
        // after an await, as a handler reads it
        Promise.resolve().then(() => resolve(currentRequest()), reject);
      });
    });
    expect(seen).toBe(req);
    expect(currentRequest()).toBeUndefined();
  });

  it('echoes a well-formed x-request-id and writes one ECS line with it when the response closes', () => {
    const { lines, exchange } = setup();
    const { res, finish, nexted } = exchange('/api/auth/me', 200, { 'x-request-id': 'abc-123' });
    expect(nexted()).toBe(true);
    expect(res.headers['x-request-id']).toBe('abc-123');
    finish();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      'log.level': 'info',
      reqId: 'abc-123',
      http: { request: { id: 'abc-123', method: 'GET' }, response: { status_code: 200 } },
      message: 'GET /api/auth/me 200',
    });
  });

  it('runs the rest of the request in a context whose logger carries its id and still redacts', () => {
    const { lines, exchange } = setup();
    const { contextLogger, finish } = exchange('/api/music', 503, { 'x-request-id': 'r-9' });
    expect(storage.getStore()).toBeUndefined();
    contextLogger()?.info({ password: 'hunter22' }, 'inside the request');
    finish();
    expect(lines[0]).toMatchObject({ reqId: 'r-9', password: '[redacted]', message: 'inside the request' });
    // The same logger writes the error line of a failed request.
    expect(lines[1]).toMatchObject({ reqId: 'r-9', 'log.level': 'error', message: 'GET /api/music 503' });
  });

  it('keeps a query-string access token (EventSource routes) out of the request line', () => {
    const { lines, exchange } = setup();
    exchange('/api/music/generation/7/audio?access_token=eyJ.secret.sig&x=1', 200).finish();
    expect(lines[0].message).toBe('GET /api/music/generation/7/audio?access_token=[redacted]&x=1 200');
    // The query parser decodes any spelling of the key: so does the redaction.
    exchange('/api/jobs/q/1/events?x=1&access%5Ftoken=eyJ.secret.sig', 200).finish();
    exchange('/api/jobs/q/1/events?%61ccess_token=eyJ.secret.sig', 200).finish();
    expect(lines.slice(1).map((line) => line.message)).toEqual([
      'GET /api/jobs/q/1/events?x=1&access%5Ftoken=[redacted] 200',
      'GET /api/jobs/q/1/events?%61ccess_token=[redacted] 200',
    ]);
    expect(JSON.stringify(lines[0])).not.toContain('eyJ.secret.sig');
  });

  it('logs 5xx responses as errors and leaves probes without a line but with an id', () => {
    const { lines, exchange } = setup();
    exchange('/api/music', 503).finish();
    expect(lines[0]).toMatchObject({ 'log.level': 'error', http: { response: { status_code: 503 } } });
    const probe = exchange('/api/health/live', 200);
    probe.finish();
    expect(probe.res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(probe.contextLogger()).toBeUndefined();
    expect(lines).toHaveLength(1);
  });
});
