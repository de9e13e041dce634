import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for an OpenAI-compatible server (`POST /v1/chat/completions`, `GET /v1/models`)
 * for tests: script its replies, then assert what it received. No network beyond 127.0.0.1.
 *
 *   const server = await FakeChatServer.start();
 *   server.enqueue(chatReply.rateLimited(1), chatReply.json({ mood: 'calm' }));
 *   // ... LanguageModelService with { baseUrl: server.baseUrl, ... }
 *   expect(server.requests).toHaveLength(2);
 *   await server.close();
 */

/** One scripted answer. */
export type ChatReply =
  | { kind: 'content'; content: string; finishReason?: 'stop' | 'length' }
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Never answers; the connection stays open until the client gives up or the server closes. */
  | { kind: 'hang' }
  /** Sends 200 and half a body, then stalls. */
  | { kind: 'stall' };

/** Decides a reply from the request, e.g. by looking at the prompt. */
export type ChatResponder = (request: ReceivedChatRequest) => ChatReply;

export interface ReceivedChatRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (model, messages, response_format, temperature...). */
  body: ChatCompletionRequestBody;
}

export interface ChatCompletionRequestBody {
  model?: string;
  messages?: { role: string; content: string }[];
  response_format?: { type: string };
  temperature?: number;
  [key: string]: unknown;
}

/** Builders for the usual replies. */
export const chatReply = {
  /** A completion whose content is `value` serialised as JSON. */
  json: (value: unknown): ChatReply => ({ kind: 'content', content: JSON.stringify(value) }),
  /** A completion with this exact content (fenced JSON, malformed JSON, prose...). */
  text: (content: string, finishReason: 'stop' | 'length' = 'stop'): ChatReply => ({ kind: 'content', content, finishReason }),
  /** Any HTTP error status with an OpenAI-style error body. */
  status: (status: number, message = `HTTP ${status}`, headers: Record<string, string> = {}): ChatReply => ({
    kind: 'status',
    status,
    headers,
    body: { error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null, param: null } },
  }),
  /** 429 with `Retry-After: <seconds>`. */
  rateLimited: (retryAfterSeconds = 1): ChatReply => ({
    kind: 'status',
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded', param: null } },
  }),
  serverError: (status = 500): ChatReply => chatReply.status(status, 'The server had an error while processing your request.'),
  unauthorized: (): ChatReply => ({
    kind: 'status',
    status: 401,
    body: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key', param: null } },
  }),
  hang: (): ChatReply => ({ kind: 'hang' }),
  stallAfterHeaders: (): ChatReply => ({ kind: 'stall' }),
};

const NOTHING_SCRIPTED = chatReply.status(400, 'fake-chat-server: no reply scripted for this request');

export class FakeChatServer {
  /** Every request received, in order, including the ones left hanging. */
  readonly requests: ReceivedChatRequest[] = [];
  private readonly queue: ChatReply[] = [];
  private fallback: ChatReply | ChatResponder = NOTHING_SCRIPTED;

  private constructor(
    private readonly server: Server,
    /** e.g. `http://127.0.0.1:43121/v1`: pass it as OPENAI_BASE_URL. */
    readonly baseUrl: string,
  ) {}

  /** Listens on 127.0.0.1 on a free port. */
  static async start(): Promise<FakeChatServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const instance = new FakeChatServer(server, `http://127.0.0.1:${port}/v1`);
    // nobody knows the port before start() returns, so no request can arrive before this listener
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      instance.handle(request, response).catch(() => response.destroy());
    });
    return instance;
  }

  /** Replies used once each, in order, before the fallback. */
  enqueue(...replies: ChatReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** The reply (or responder) used whenever the queue is empty. Default: a 400 saying nothing was scripted. */
  respondWith(reply: ChatReply | ChatResponder): this {
    this.fallback = reply;
    return this;
  }

  /** Chat-completion requests received so far. */
  get completionRequests(): ReceivedChatRequest[] {
    return this.requests.filter((request) => request.path.endsWith('/chat/completions'));
  }

  /** Forgets requests and scripted replies between tests. */
  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.fallback = NOTHING_SCRIPTED;
  }

  /** Stops listening and drops open (hanging, keep-alive) connections. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    const raw = await readBody(request);

    if (request.method === 'GET' && path === '/v1/models') {
      sendJson(response, 200, { object: 'list', data: [{ id: 'fake-model', object: 'model', created: 0, owned_by: 'fake' }] });
      return;
    }
    if (request.method !== 'POST' || path !== '/v1/chat/completions') {
      sendJson(response, 404, { error: { message: `fake-chat-server: no route ${request.method} ${path}`, type: 'invalid_request_error' } });
      return;
    }

    let body: ChatCompletionRequestBody;
    try {
      body = JSON.parse(raw) as ChatCompletionRequestBody;
    } catch {
      sendJson(response, 400, { error: { message: 'fake-chat-server: body is not JSON', type: 'invalid_request_error' } });
      return;
    }
    const received: ReceivedChatRequest = { method: request.method, path, headers: request.headers, body };
    this.requests.push(received);

    const next = this.queue.shift() ?? this.fallback;
    const reply = typeof next === 'function' ? next(received) : next;
    switch (reply.kind) {
      case 'hang':
        return;
      case 'stall':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"id":"chatcmpl-fake","object":"chat.completion","choices":[');
        return;
      case 'status':
        sendJson(response, reply.status, reply.body ?? {}, reply.headers);
        return;
      case 'content':
        sendJson(response, 200, completionBody(reply.content, body.model ?? 'fake-model', reply.finishReason ?? 'stop', this.requests.length));
        return;
    }
  }
}

/** The chat.completion wire format, as OpenAI and its compatible servers answer. */
export function completionBody(content: string, model: string, finishReason: 'stop' | 'length', sequence: number) {
  return {
    id: `chatcmpl-fake-${sequence}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: finishReason }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  response.end(payload);
}
