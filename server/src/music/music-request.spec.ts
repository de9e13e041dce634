import { cacheKeyOf, normaliseEmotionRequest, normaliseTopicRequest } from './music-request';

describe('cacheKeyOf', () => {
  it('ignores key order and depends on the seed', () => {
    const a = cacheKeyOf({ kind: 'emotion', emotion: 'happy', durationSec: 30 }, 1);
    const b = cacheKeyOf({ durationSec: 30, emotion: 'happy', kind: 'emotion' } as never, 1);
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKeyOf({ kind: 'emotion', emotion: 'happy', durationSec: 30 }, 2)).not.toBe(a);
  });
});

describe('request normalisation', () => {
  it('resolves a Chinese emotion name, so it shares the English request’s cache entry', () => {
    expect(normaliseEmotionRequest({ emotion: '开心', durationSec: 30 })).toEqual({ kind: 'emotion', emotion: 'happy', durationSec: 30 });
  });

  it('collapses the whitespace of a topic', () => {
    expect(normaliseTopicRequest({ topic: '  rainy \n night ', durationSec: 12.34 })).toEqual({ kind: 'topic', topic: 'rainy night', durationSec: 12.3 });
  });
});
