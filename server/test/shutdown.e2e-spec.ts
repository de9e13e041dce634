import request from 'supertest';
import { startServerProcess } from './support/server-process';

describe('graceful shutdown of the real process', () => {
  it('finishes the in-flight request on SIGTERM, then exits by the signal', async () => {
    const server = await startServerProcess();
    const { base } = server;

    // Registration hashes a password with scrypt, so it is still running when the signal arrives.
    const inFlight = request(base).post('/api/auth/register').send({ email: 'late@xiaoyu.test', password: 'late-password-1' });
    // Starts the request now (a supertest request is sent when first awaited or then'd).
    const response = new Promise<request.Response>((resolve, reject) => {
      inFlight.then(resolve, reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.child.kill('SIGTERM');

    expect((await response).status).toBe(201);
    // Nest closes everything, then re-raises the signal so the exit status says why the process ended.
    const { code, signal } = await server.exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    await expect(request(base).get('/api/health/live')).rejects.toThrow();
    expect(server.output()).not.toMatch(/Error/);
    await server.stop();
  });
});
