import { componentOfLogger, LogFollower, parseEcsLine } from './log-follower';

const line = (at: number, message: string, level = 'error', logger = 'Redis') =>
  JSON.stringify({ '@timestamp': new Date(at).toISOString(), 'log.level': level, message, log: { logger } });

describe('LogFollower', () => {
  it('parses ECS lines and ignores anything else', () => {
    expect(parseEcsLine(line(0, 'hello', 'warn', 'Jobs'))).toEqual({ at: 0, level: 'warn', logger: 'Jobs', message: 'hello' });
    expect(parseEcsLine('not json')).toBeUndefined();
    expect(parseEcsLine('{"no":"message"}')).toBeUndefined();
    expect(componentOfLogger('RedisAvailability')).toBe('redis');
    expect(componentOfLogger('Database')).toBe('postgres');
    expect(componentOfLogger('MusicController')).toBe('api');
  });

  it('counts templates per minute and reports an error burst after the warm-up', () => {
    const follower = new LogFollower();
    const t0 = Date.UTC(2026, 0, 1);
    // 15 quiet minutes: one line per minute
    for (let m = 0; m < 15; m++) follower.push(line(t0 + m * 60_000 + 1000, `Connection ${m} to 10.0.0.${m} lost`));
    const first = follower.drain(t0 + 15 * 60_000);
    expect(first.counts.length).toBeGreaterThan(0);
    expect(first.counts.every((c) => c.component === 'redis' && c.level === 'error')).toBe(true);
    for (let i = 0; i < 40; i++) follower.push(line(t0 + 15 * 60_000 + 1000 + i, `Connection ${i} to 10.0.1.${i} lost`));
    const burst = follower.drain(t0 + 16 * 60_000 + 1);
    const count = burst.counts.reduce((n, c) => n + c.count, 0);
    expect(count).toBe(40);
    expect(burst.counts[0].template).toContain('<*>');
    expect(burst.events.find((e) => e.kind === 'burst')).toMatchObject({ component: 'redis', level: 'error', count: 40 });
  });

  it('counts a template absorbed during the batch under the template that absorbed it, with its text', () => {
    const follower = new LogFollower();
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
    follower.push(words.map((word, i) => line(i * 1000, `Worker ${word} stopped unexpectedly`)).join('\n'));
    const { counts } = follower.drain(60_000);
    expect(counts).toEqual([expect.objectContaining({ template: 'Worker <*> stopped unexpectedly', count: words.length })]);
  });

  it('ignores lines whose message is only whitespace', () => {
    expect(parseEcsLine(line(0, ' \n '))).toBeUndefined();
  });

  it('bounds its buffer', () => {
    const follower = new LogFollower(2);
    follower.push([line(0, 'a'), line(0, 'b'), line(0, 'c')].join('\n'));
    expect(follower.dropped).toBe(1);
    expect(follower.drain(60_000).counts.reduce((n, c) => n + c.count, 0)).toBe(2);
  });
});
