import request from 'supertest';
import { WorkerStarter } from '../src/core/jobs/worker-starter.service';
import { MusicAudioRenderer } from '../src/music/music-audio.renderer';
import { startServerProcess } from './support/server-process';
import { startTestApp } from './support/test-app';

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

  it('drains the queue workers before the feature modules close what running jobs use (the render pool)', async () => {
    const t = await startTestApp({ env: { ROLE: 'all' } });
    const order: string[] = [];
    const renderer = t.app.get(MusicAudioRenderer);
    const closePool = renderer.onModuleDestroy.bind(renderer);
    jest.spyOn(renderer, 'onModuleDestroy').mockImplementation(() => {
      order.push('render pool closed');
      return closePool();
    });
    const starter = t.app.get(WorkerStarter);
    const drain = starter.stop.bind(starter);
    jest.spyOn(starter, 'stop').mockImplementation(async () => {
      await drain();
      order.push('workers drained');
    });
    await t.close();
    expect(order).toEqual(['workers drained', 'render pool closed']);
  });
});
