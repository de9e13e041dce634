import { Client } from '@elastic/elasticsearch';
import type { FollowedLine } from './log-follower';

interface EcsDoc {
  '@timestamp'?: string;
  message?: string;
  log?: { level?: string; logger?: string };
}

/**
 * Follows the shipped logs in Elasticsearch (every replica's), newest after a cursor, a page per collection. Used when
 * ELASTICSEARCH_URL is set; the in-process log stream otherwise.
 */
export class ElasticsearchLogSource {
  private cursor: string;

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
      size: this.pageSize,
      sort: [{ '@timestamp': { order: 'asc' } }],
      query: { range: { '@timestamp': { gt: this.cursor } } },
      _source: ['@timestamp', 'message', 'log.level', 'log.logger'],
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    const lines: FollowedLine[] = [];
    for (const hit of result.hits.hits) {
      const doc = hit._source;
      if (!doc?.message?.trim() || !doc['@timestamp']) continue;
      this.cursor = doc['@timestamp'];
      lines.push({ at: Date.parse(doc['@timestamp']), level: doc.log?.level ?? 'info', logger: doc.log?.logger ?? '', message: doc.message });
    }
    return lines;
  }
}
