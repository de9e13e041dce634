import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../config/app-config';
import { loggerOptions, REDACTED_PATHS } from './logger-options';

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
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
    expect(lines[0]).toMatchObject({ 'log.level': 'info', message: 'login attempt', 'ecs.version': expect.any(String) });
  });

  it('uses pretty output in development unless told otherwise', () => {
    expect(loggerOptions(loadConfig({ NODE_ENV: 'development' })).pinoHttp).toHaveProperty('transport');
    expect(loggerOptions(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).pinoHttp).not.toHaveProperty('transport');
    expect(REDACTED_PATHS).toContain('req.headers.authorization');
  });
});
