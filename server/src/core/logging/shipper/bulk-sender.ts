import { Client, errors, SniffingTransport } from '@elastic/elasticsearch';

/**
 * The official client's transport without its product check: it refuses any 2xx answer that lacks the
 * `x-elastic-product: Elasticsearch` header, so a bulk endpoint that speaks the `_bulk` wire format without claiming to
 * be Elasticsearch (a proxy, a compatible store, a test server) would never get past its first batches. Pass it as the
 * shipper client's `Transport`.
 */
export class BulkEndpointTransport extends SniffingTransport {
  constructor(options: ConstructorParameters<typeof SniffingTransport>[0]) {
    // The transport reads a missing check as none (`productCheck ?? null`).
    super({ ...options, productCheck: undefined });
  }
}

/** What became of one document of a bulk request. */
export type ItemOutcome = 'stored' | 'already-stored' | 'retry' | 'reject';

export interface ItemResult {
  outcome: ItemOutcome;
  status: number;
  error?: unknown;
}

/** The whole bulk request failed; `splittable` when Elasticsearch refused the request itself (400/413). */
export class BulkRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly splittable: boolean,
  ) {
    super(message);
  }
}

interface BulkResponseItem {
  status?: number;
  error?: { type?: string; reason?: string };
}

/**
 * Sends pre-built NDJSON bulk bodies through the official client's transport, with the client's own
 * retries off: retry policy (backoff, partial retries, dead-lettering) belongs to the LogAggregator.
 */
export class BulkSender {
  constructor(
    private readonly client: Client,
    private readonly requestTimeoutMs: number,
  ) {}

  /** Sends `count` records already joined into one NDJSON `body`; one result per record, in order. */
  async send(body: string | Buffer, count: number, signal?: AbortSignal): Promise<ItemResult[]> {
    let response: { items?: Array<Record<string, BulkResponseItem>> };
    try {
      const res = await this.client.transport.request(
        { method: 'POST', path: '/_bulk', bulkBody: body },
        { requestTimeout: this.requestTimeoutMs, maxRetries: 0, signal, meta: true },
      );
      // A bulk endpoint that does not label its JSON answer application/json is read all the same.
      response = (typeof res.body === 'string' ? parseJson(res.body) : res.body) as typeof response;
    } catch (err) {
      if (err instanceof errors.ResponseError) {
        const status = err.statusCode ?? null;
        throw new BulkRequestError(`bulk request failed with HTTP ${status}: ${err.message}`, status, status === 400 || status === 413);
      }
      throw new BulkRequestError(`bulk request failed: ${(err as Error).message}`, null, false);
    }
    const items = Array.isArray(response?.items) ? response.items : [];
    return Array.from({ length: count }, (_, i) => classifyItem(items[i]));
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BulkRequestError(`bulk request answered something that is not JSON: ${text.slice(0, 120)}`, null, false);
  }
}

/** 2xx = stored; 409 on `create` = a replay of a document that is already there; 400 = malformed; the rest is retried. */
export function classifyItem(item: Record<string, BulkResponseItem> | undefined): ItemResult {
  const op = item ? (item.create ?? item.index ?? Object.values(item)[0]) : undefined;
  const status = op?.status ?? 0;
  if (status >= 200 && status < 300) return { outcome: 'stored', status };
  if (status === 409) return { outcome: 'already-stored', status };
  if (status === 400) return { outcome: 'reject', status, error: op?.error };
  return { outcome: 'retry', status, error: op?.error };
}
