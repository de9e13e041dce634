import { chineseEmotionCues } from './chinese-labels';

const cues = (text: string) => Object.fromEntries(chineseEmotionCues(text));

describe('chineseEmotionCues', () => {
  it('finds emotion words and emoticon codes, the longest first and each once', () => {
    expect(cues('我好开心[哈哈]')).toEqual({ happy: 2 });
    expect(cues('[怒]凭什么')).toEqual({ angry: 2 });
    expect(cues('我的天')).toEqual({ surprised: 1 });
  });

  it('turns a negated happy word half towards sad and drops other negated cues, within the clause', () => {
    expect(cues('一点都不开心')).toEqual({ sad: 0.5 });
    expect(cues('别担心')).toEqual({});
    expect(cues('不，开心')).toEqual({ happy: 1 });
  });

  it('does not read intensifiers as negation, nor words that only contain a cue', () => {
    expect(cues('非常开心')).toEqual({ happy: 1 });
    expect(cues('恐怕明天下雨')).toEqual({});
    expect(cues('笑哭了')).toEqual({});
    expect(cues('我们下午三点开会')).toEqual({});
  });
});
