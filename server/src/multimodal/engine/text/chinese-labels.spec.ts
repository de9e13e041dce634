import { chineseEmotionCues } from './chinese-labels';

const cues = (text: string) => Object.fromEntries(chineseEmotionCues(text));

describe('chineseEmotionCues', () => {
  it('finds emotion words and emoticon codes, the longest first and each once', () => {
    expect(cues('我好开心[哈哈]')).toEqual({ happy: 2 });
    expect(cues('[怒]凭什么')).toEqual({ angry: 2 });
    expect(cues('我的天')).toEqual({ surprised: 1 });
  });

  it('knows everyday words for each feeling, not only the explicit names', () => {
    expect(cues('一个人过年，好孤单')).toEqual({ sad: 1 });
    expect(cues('这种人真让我反感')).toEqual({ disgusted: 1 });
    expect(cues('我的手一直在发抖')).toEqual({ fearful: 1 });
    expect(cues('真是岂有此理')).toEqual({ angry: 1 });
    expect(cues('真是出乎意料')).toEqual({ surprised: 1 });
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
