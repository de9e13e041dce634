import { Agent, request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text (binary and streamed answers: the first bytes only). */
  text: string;
  durationMs: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const MAX_BODY_BYTES = 256 * 1024;

/**
 * One HTTP request exactly as given (raw path, any header, any body bytes): fetch would normalise the very
 * things a fuzzer sends. A stream (Server-Sent Events) or a large download is read only up to its first bytes.
 */
export function send(
  baseUrl: string,
  options: { method: string; url: string; headers: Record<string, string>; body?: Buffer; timeoutMs?: number },
): Promise<RawResponse> {
  const base = new URL(baseUrl);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: options.method,
        path: options.url,
        headers: { ...options.headers, ...(options.body ? { 'content-length': String(options.body.length) } : {}) },
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const streamed = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
        const finish = () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), durationMs: performance.now() - started });
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (streamed || size > MAX_BODY_BYTES) {
            res.destroy();
            finish();
          }
        });
        res.on('end', finish);
        res.on('error', () => finish());
        if (streamed) setTimeout(() => (res.destroy(), finish()), 200);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 30_000} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server may answer (413) and close before the whole body is written.
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') return reject(Object.assign(new Error(`connection ${error.code}`), { code: error.code }));
      reject(error);
    });
    req.end(options.body);
  });
}

export function closeAgent(): void {
  agent.destroy();
}
