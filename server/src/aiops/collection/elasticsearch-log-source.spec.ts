import type { Client } from '@elastic/elasticsearch';
import { ElasticsearchLogSource } from './elasticsearch-log-source';

interface Doc {
  _id: string;
  _source: { '@timestamp': string; message: string; log: { level: string; logger: string } };
}

/** An index that answers `search` as Elasticsearch does for the source's query: a range on @timestamp, ascending, a page. */
function index(docs: Doc[]): Client {
  const search = (request: { size: number; query: { range: { '@timestamp': { gt?: string; gte?: string } } } }) => {
    const { gt, gte } = request.query.range['@timestamp'];
    const hits = docs
      .filter((d) => (gt === undefined || d._source['@timestamp'] > gt) && (gte === undefined || d._source['@timestamp'] >= gte))
      .sort((a, b) => a._source['@timestamp'].localeCompare(b._source['@timestamp']))
      .slice(0, request.size);
    return Promise.resolve({ hits: { hits } });
  };
  return { search } as unknown as Client;
}

const doc = (id: string, at: string): Doc => ({ _id: id, _source: { '@timestamp': at, message: `line ${id}`, log: { level: 'info', logger: 'Http' } } });

describe('ElasticsearchLogSource', () => {
  it('reads every line once when a page ends inside a millisecond that holds several', async () => {
    const docs = [
      doc('a', '2026-11-29T12:00:00.001Z'),
      doc('b', '2026-11-29T12:00:00.002Z'),
      doc('c', '2026-11-29T12:00:00.002Z'),
      doc('d', '2026-11-29T12:00:00.003Z'),
    ];
    const source = new ElasticsearchLogSource(index(docs), 'logs-*', new Date('2026-11-29T12:00:00.000Z'), 2);
    const read: string[] = [];
    for (let page = 0; page < 4; page++) read.push(...(await source.read()).map((line) => line.message));
    expect(read).toEqual(['line a', 'line b', 'line c', 'line d']);
  });

  it('reads a line indexed late at the millisecond it already read from', async () => {
    const docs = [doc('a', '2026-11-29T12:00:00.001Z')];
    const source = new ElasticsearchLogSource(index(docs), 'logs-*', new Date('2026-11-29T12:00:00.000Z'));
    expect((await source.read()).map((line) => line.message)).toEqual(['line a']);
    docs.push(doc('b', '2026-11-29T12:00:00.001Z'));
    expect((await source.read()).map((line) => line.message)).toEqual(['line b']);
    expect(await source.read()).toEqual([]);
  });
});
