import { formatBytes, formatDuration, formatValue, unitOf } from './format';
import { parseSeriesKey } from './aiops.store';

describe('AIOps formatting', () => {
  it('formats bytes, durations and values', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB');
    expect(formatDuration(30_000)).toBe('30 s');
    expect(formatDuration(20 * 60_000)).toBe('20 min');
    expect(formatDuration(5 * 3_600_000)).toBe('5.0 h');
    expect(formatDuration(10 * 86_400_000)).toBe('10 days');
    expect(formatValue(null, '')).toBe('—');
    expect(formatValue(2048, 'bytes')).toBe('2.0 KB');
    expect(formatValue(0.12345, 's')).toBe('0.123');
    expect(unitOf('heap_used_bytes')).toBe('bytes');
    expect(unitOf('redis_latency_seconds')).toBe('s');
  });

  it('splits series keys into metric and label filters for the series query', () => {
    expect(parseSeriesKey('heap_used_bytes')).toEqual({ metric: 'heap_used_bytes', labels: undefined });
    expect(parseSeriesKey('queue_waiting{queue="music-generation",x="1"}')).toEqual({ metric: 'queue_waiting', labels: 'queue=music-generation,x=1' });
  });
});
