import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import { startTime } from 'pino-http';
import type { Options } from 'pino-http';
import { loadConfig } from '../config/app-config';
import { ecsRequestFields, loggerOptions } from './logger-options';

/** How the core request line is shaped for log aggregation (route template, slow warning, second destination). */
describe('request logging for aggregation', () => {
  const config = loadConfig({ NODE_ENV: 'test', LOG_PRETTY: 'false', LOG_SLOW_MS: '500' });

  function fakeExchange(status: number, elapsedMs: number) {
    const req = {
      method: 'GET',
      url: '/api/music/7?x=1',
      originalUrl: '/api/music/7?x=1',
      headers: {},
      route: { path: '/:id' },
      baseUrl: '/api/music',
      id: 'r-1',
      socket: {},
    } as unknown as IncomingMessage;
    const res = { statusCode: status, getHeader: () => '42', [startTime]: Date.now() - elapsedMs } as unknown as ServerResponse;
    return { req, res };
  }

  it('adds the route template beside the raw path', () => {
    const { req, res } = fakeExchange(200, 3);
    expect(ecsRequestFields(req, res, 3)).toMatchObject({ http: { route: '/api/music/:id', request: { id: 'r-1' } }, url: { path: '/api/music/7' } });
  });

  it('logs requests slower than LOG_SLOW_MS as warnings', () => {
    const options = loggerOptions(config).pinoHttp as Options;
    const level = (status: number, ms: number) => {
      const { req, res } = fakeExchange(status, ms);
      return (options.customLogLevel as (q: IncomingMessage, s: ServerResponse, e?: Error) => string)(req, res, undefined);
    };
    expect(level(200, 10)).toBe('info');
    expect(level(200, 900)).toBe('warn');
    expect(level(404, 10)).toBe('warn');
    expect(level(500, 10)).toBe('error');
  });

  it('sends every line to the shipper beside stdout when one is attached', () => {
    const lines: string[] = [];
    const params = loggerOptions(config, { write: (l: string) => lines.push(l) }).pinoHttp;
    expect(Array.isArray(params)).toBe(true);
    const [options, stream] = params as [Options, pino.DestinationStream];
    pino({ ...(options as pino.LoggerOptions), level: 'info' }, stream).info({ shipped: true }, 'to both destinations');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ 'log.level': 'info', message: 'to both destinations', shipped: true });
  });
});
