import { EnsembleSocket } from './ensemble-socket';

/** A refused handshake as Socket.IO reports it: the server's reason in `data`. */
const refusal = (status: number) =>
  Object.assign(new Error('refused'), { data: { status, detail: status === 401 ? 'The access token is invalid or has expired.' : 'Busy.' } });

describe('EnsembleSocket', () => {
  it('refreshes the token once and reconnects when a handshake is refused with 401, and reports a second refusal', async () => {
    const refresh = vi.fn(() => Promise.resolve(true));
    const refused = vi.fn();
    const ensemble = new EnsembleSocket(() => 'access-1', refresh, refused, 'http://127.0.0.1:9/ensemble');
    ensemble.socket.disconnect();
    const connect = vi.spyOn(ensemble.socket, 'connect').mockReturnValue(ensemble.socket);
    const fail = (status: number) => ensemble.socket.listeners('connect_error').forEach((listener) => listener(refusal(status)));

    fail(503);
    expect(refresh).not.toHaveBeenCalled();
    fail(401);
    await Promise.resolve();
    await Promise.resolve();
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(connect).toHaveBeenCalledTimes(1);
    fail(401);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refused).toHaveBeenCalledWith('The access token is invalid or has expired.');
    ensemble.close();
  });

  it('hands a renewed token to the open connection once, and reconnects when the server ended it for an expired token', () => {
    const ensemble = new EnsembleSocket(() => 'access-1', undefined, undefined, 'http://127.0.0.1:9/ensemble');
    ensemble.socket.disconnect();
    const emit = vi.spyOn(ensemble.socket, 'emit').mockReturnValue(ensemble.socket);
    const connect = vi.spyOn(ensemble.socket, 'connect').mockReturnValue(ensemble.socket);
    Object.defineProperty(ensemble.socket, 'connected', { value: true, configurable: true });
    ensemble.renewToken('access-2');
    ensemble.renewToken('access-2');
    expect(emit.mock.calls.filter(([event]) => event === 'auth:renew')).toEqual([['auth:renew', { token: 'access-2' }]]);

    const fire = (event: string, ...args: unknown[]) =>
      ensemble.socket.listeners(event).forEach((listener) => (listener as (...a: unknown[]) => void)(...args));
    // An ordinary server disconnect (a kick) is not followed by a reconnect; one after the token expired is.
    fire('disconnect', 'io server disconnect');
    expect(connect).not.toHaveBeenCalled();
    fire('error', { event: 'auth', error: { status: 401, detail: 'expired' } });
    fire('disconnect', 'io server disconnect');
    expect(connect).toHaveBeenCalledTimes(1);
    ensemble.close();
  });
});
