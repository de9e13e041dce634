import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A webhook receiver (Alertmanager-style notifications): records every body and answers with the next scripted status (200 when none). */
export class FakeWebhookServer {
  readonly received: unknown[] = [];
  /** Statuses for the next requests, in order (e.g. [500] makes the first delivery fail). */
  readonly statuses: number[] = [];
  attempts = 0;
  private server: http.Server | null = null;

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.attempts++;
        const status = this.statuses.shift() ?? 200;
        if (status < 300) this.received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
