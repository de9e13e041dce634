import http from 'node:http';

/** One Server-Sent Event as the browser's EventSource would dispatch it (`message` when the server named none). */
export interface ReceivedEvent {
  type: string;
  data: unknown;
  id?: string;
}

export interface EventStream {
  /** HTTP status and content type of the answer. */
  status: number;
  contentType: string;
  /** Every event received so far, in order. */
  events: ReceivedEvent[];
  /** Resolves with the first event (already received or still to come) that matches; rejects after `timeoutMs`. */
  next(match: (event: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Disconnects, as a browser leaving the page. */
  close(): void;
}

/** Opens a Server-Sent-Events URL (the app must listen on a port) and parses the `text/event-stream` it answers. */
export function openEventStream(url: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, (response) => {
      const events: ReceivedEvent[] = [];
      const waiters: Array<() => void> = [];
      let buffer = '';
      let markEnded!: () => void;
      const ended = new Promise<void>((done) => (markEnded = done));
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop() ?? '';
        for (const block of blocks) {
          const event = parseBlock(block);
          if (event) events.push(event);
        }
        for (const wake of waiters.splice(0)) wake();
      });
      response.on('end', markEnded);
      response.on('close', markEnded);
      // a client-side close() aborts the response; that is how this stream ends, not a failure
      response.on('error', markEnded);
      const next = (match: (event: ReceivedEvent) => boolean, timeoutMs = 30_000) =>
        new Promise<ReceivedEvent>((found, fail) => {
          const deadline = setTimeout(() => fail(new Error(`no matching event within ${timeoutMs} ms; received ${JSON.stringify(events)}`)), timeoutMs);
          const look = () => {
            const event = events.find(match);
            if (event) {
              clearTimeout(deadline);
              found(event);
            } else waiters.push(look);
          };
          look();
        });
      resolve({
        status: response.statusCode ?? 0,
        contentType: String(response.headers['content-type']),
        events,
        next,
        ended,
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
  });
}

function parseBlock(block: string): ReceivedEvent | null {
  let type = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) type = line.slice(7);
    else if (line.startsWith('id: ')) id = line.slice(4);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  if (data.length === 0) return null;
  const text = data.join('\n');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { type, data: parsed, ...(id === undefined ? {} : { id }) };
}
