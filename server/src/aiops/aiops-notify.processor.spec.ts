import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnrecoverableError, type Job } from 'bullmq';
import type { AppConfig } from '../core/config/app-config';
import { AiopsNotifyProcessor, type NotifyJobData } from './aiops-notify.processor';
import { alertmanagerPayload } from './alerts/alertmanager-webhook';

describe('AiopsNotifyProcessor', () => {
  let server: http.Server;
  let status = 200;
  let received = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received += 1;
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const processor = () => new AiopsNotifyProcessor({ AIOPS_WEBHOOK_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` } as AppConfig);
  const job = (attemptsMade = 0) =>
    ({
      id: 'n1',
      queueName: 'aiops-notify',
      data: { userId: 'aiops', payload: alertmanagerPayload([], { externalUrl: 'http://x' }) },
      attemptsMade,
      opts: { attempts: 6 },
      updateProgress: () => Promise.resolve(),
    }) as unknown as Job<NotifyJobData>;

  it.each([503, 502, 429, 408])('lets BullMQ try again when the receiver answers %i', async (answer) => {
    status = answer;
    const failure = await processor()
      .process(job())
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(UnrecoverableError);
    expect((failure as Error).message).toContain(String(answer));
  });

  it('lets BullMQ try again when nothing answers', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const failure = await new AiopsNotifyProcessor({ AIOPS_WEBHOOK_URL: url } as AppConfig).process(job()).catch((error: unknown) => error);
    expect(failure).not.toBeInstanceOf(UnrecoverableError);
    expect((failure as Error).message).toContain('could not be reached');
  });

  it('gives up at once on an answer no retry can change (400, 404)', async () => {
    for (const answer of [400, 404]) {
      status = answer;
      await expect(processor().process(job())).rejects.toBeInstanceOf(UnrecoverableError);
    }
  });

  it('delivers on a 2xx', async () => {
    status = 202;
    const before = received;
    await expect(processor().process(job())).resolves.toEqual({ delivered: true });
    expect(received).toBe(before + 1);
  });
});
