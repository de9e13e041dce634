import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadConfig } from '../config/app-config';
import { loggerOptions, requestLogging } from '../logging/logger-options';
import { currentUser, type AuthUser } from './auth.decorators';

describe('currentUser', () => {
  const middleware = requestLogging(loggerOptions(loadConfig({ LOG_PRETTY: 'false' }), { write: () => true }));

  function serve(user: AuthUser | undefined): Promise<AuthUser> {
    const req = { method: 'GET', url: '/api/auth/me', headers: {}, socket: {}, user } as unknown as IncomingMessage;
    const res = Object.assign(new EventEmitter(), { statusCode: 200, setHeader: () => undefined, getHeader: () => undefined });
    return new Promise((resolve, reject) => {
      middleware(req, res as unknown as ServerResponse, () => {
        // after an await, as the handler reads it
        Promise.resolve()
          .then(() => currentUser())
          .then(resolve, reject);
      });
    });
  }

  it('is the caller the AuthGuard put on the request being served', async () => {
    const user: AuthUser = { id: 'u-1', email: 'u@xiaoyu.test', role: 'user' };
    await expect(serve(user)).resolves.toBe(user);
  });

  it('throws for a request without an authenticated caller, and outside any request', async () => {
    await expect(serve(undefined)).rejects.toThrow(/outside an authenticated request/);
    expect(() => currentUser()).toThrow(/outside an authenticated request/);
  });
});
