import { dailyIndexName, DocumentIdSequence, splitLines, toBulkRecord, toEcsDocument } from './log-record';

describe('log records', () => {
  it('passes ECS lines through untouched and indexes them by their own @timestamp', () => {
    const line = '{"log.level":"info","@timestamp":"2026-11-28T23:59:59.999Z","message":"hi"}';
    expect(toEcsDocument(line)).toEqual({ doc: line, timestamp: '2026-11-28T23:59:59.999Z' });
    expect(toBulkRecord(line, 'id1', 'xiaoyu-ai')).toBe(`{"create":{"_index":"xiaoyu-ai-logs-2026.11.28","_id":"id1"}}\n${line}\n`);
  });

  it('maps plain pino lines (time, numeric level, msg) to ECS', () => {
    const { doc, timestamp } = toEcsDocument('{"level":50,"time":1795900000000,"msg":"boom","pid":1}');
    expect(JSON.parse(doc)).toEqual({ '@timestamp': timestamp, 'log.level': 'error', message: 'boom', pid: 1 });
    expect(timestamp).toBe(new Date(1795900000000).toISOString());
  });

  it('wraps text that is not a JSON object as a message', () => {
    const now = () => new Date('2026-01-02T03:04:05.000Z');
    expect(JSON.parse(toEcsDocument('plain text', now).doc)).toEqual({ '@timestamp': '2026-01-02T03:04:05.000Z', 'log.level': 'info', message: 'plain text' });
  });

  it('issues unique ids per shipper instance', () => {
    const a = new DocumentIdSequence();
    const b = new DocumentIdSequence();
    const ids = new Set([a.next(), a.next(), b.next(), b.next()]);
    expect(ids.size).toBe(4);
  });

  it('splits chunks into lines and names daily indices', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('one\n')).toEqual(['one']);
    expect(dailyIndexName('p', '2026-03-09T00:00:00Z')).toBe('p-logs-2026.03.09');
  });
});
