import { spellEmoji } from './emoji';
import { TextAffectRecognizer } from './text-affect';

describe('spellEmoji', () => {
  it("spells a feeling's emoji in the text's language, with a variation selector or skin tone", () => {
    expect(spellEmoji('great news 😀', 'en')).toBe('great news  happy ');
    expect(spellEmoji('好消息😀', 'zh')).toBe('好消息开心');
    expect(spellEmoji('love it ❤️', 'en')).toBe('love it  love ');
    expect(spellEmoji('😢🏽', 'zh')).toBe('难过');
  });

  it('leaves other emoji and plain text as they are', () => {
    expect(spellEmoji('the 🚌 is late', 'en')).toBe('the 🚌 is late');
    expect(spellEmoji('no emoji here', 'en')).toBe('no emoji here');
  });

  it('lets a text made only of emoji be read', () => {
    const recogniser = new TextAffectRecognizer();
    expect(recogniser.analyze('😭😭').emotion).toBe('sad');
    expect(recogniser.analyze('😡').emotion).toBe('angry');
    expect(recogniser.analyze('今天😊').valence).toBeGreaterThan(0.3);
  });
});
