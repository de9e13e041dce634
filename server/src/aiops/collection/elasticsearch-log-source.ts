import { Client } from '@elastic/elasticsearch';
import type { FollowedLine } from './log-follower';

interface EcsDoc {
  '@timestamp'?: string;
  message?: string;
  log?: { level?: string; logger?: string };
}

/**
 * Follows the shipped logs in Elasticsearch (every replica's), from a cursor on, a page per collection. Used when
 * ELASTICSEARCH_URL is set; the in-process log stream otherwise. Many lines share a millisecond: the cursor is the last
 * timestamp read together with the ids read at it, and the next page starts at that timestamp (not after it) and
 * skips those ids, so a page that ends inside a millisecond loses none of its lines. Lines shipped late with older
 * timestamps (a spool replayed after an outage) lie before the cursor and are not read.
 */
export class ElasticsearchLogSource {
  private cursor: string;
  private readAtCursor = new Set<string>();

  constructor(
    private readonly client: Client,
    private readonly indexPattern: string,
    start = new Date(),
    private readonly pageSize = 5000,
  ) {
    this.cursor = start.toISOString();
  }

  async read(): Promise<FollowedLine[]> {
    const result = await this.client.search<EcsDoc>({
      index: this.indexPattern,
      // room for a page of new lines after the ones already read at the cursor, which come first again
      size: this.pageSize + this.readAtCursor.size,
      sort: [{ '@timestamp': { order: 'asc' } }],
      query: { range: { '@timestamp': { gte: this.cursor } } },
      _source: ['@timestamp', 'message', 'log.level', 'log.logger'],
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    const lines: FollowedLine[] = [];
    for (const hit of result.hits.hits) {
      const doc = hit._source;
      const at = doc?.['@timestamp'];
      if (!at) continue;
      const id = hit._id ?? '';
      if (at === this.cursor && this.readAtCursor.has(id)) continue;
      if (at !== this.cursor) {
        this.cursor = at;
        this.readAtCursor = new Set();
      }
      this.readAtCursor.add(id);
      if (!doc.message?.trim()) continue;
      lines.push({ at: Date.parse(at), level: doc.log?.level ?? 'info', logger: doc.log?.logger ?? '', message: doc.message });
    }
    return lines;
  }
}
