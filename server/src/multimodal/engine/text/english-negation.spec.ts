import { readEnglish, superlativeOf } from './english-negation';

const negatedWords = (text: string) =>
  readEnglish(text)
    .tokens.filter((t) => t.negated)
    .map((t) => t.word);
const words = (text: string) => readEnglish(text).tokens.map((t) => t.word);

describe('superlativeOf', () => {
  it('forms the superlative of regular and irregular comparatives', () => {
    expect(['better', 'worse', 'more', 'happier', 'prouder', 'sadder', 'angrier', 'nicer'].map(superlativeOf)).toEqual([
      'best',
      'worst',
      'most',
      'happiest',
      'proudest',
      'saddest',
      'angriest',
      'nicest',
    ]);
  });
});

describe('readEnglish', () => {
  it('negates the words after a negator up to the end of the clause or "but"', () => {
    expect(negatedWords("I don't feel happy, and tired")).toEqual(['feel', 'happy']);
    expect(negatedWords('She was not rich but happy')).toEqual(['rich']);
    expect(negatedWords('This is not better')).toEqual(['better']);
    expect(negatedWords("It wasn't any better")).toEqual(['any', 'better']);
  });

  it('reads emphatic comparatives as the superlative they mean', () => {
    for (const text of [
      "I couldn't be happier",
      'I could not be more proud',
      'Nothing could be better than this',
      "I've never felt better",
      "It can't get any worse",
    ]) {
      expect(negatedWords(text)).toEqual([]);
    }
    expect(words("I couldn't be happier")).toEqual(['i', 'happiest']);
    expect(words('Nothing could be better than this')).toEqual(['best', 'than', 'this']);
    expect(words('I could not be more proud')).toEqual(['i', 'most', 'proud']);
    expect(words('There is no better place')).toEqual(['there', 'is', 'best', 'place']);
  });

  it('keeps "no more" and "nothing more" as the quantifiers they are', () => {
    expect(negatedWords('I have no more tears')).toEqual(['more', 'tears']);
    expect(negatedWords('There is nothing more to say')).toEqual(['more', 'to', 'say']);
  });

  it('drops negators that negate nothing after them: verbs, intensifiers and fixed phrases', () => {
    expect(words("I can't believe how wonderful today was")).toEqual(['i', 'believe', 'how', 'wonderful', 'today', 'was']);
    expect(negatedWords("I can't wait to see you")).toEqual([]);
    expect(words("I can't stop crying")).toEqual(['i', 'keep', 'crying']);
    expect(words("I can't stop smiling")).toEqual(['i', 'keep', 'smiling']);
    expect(negatedWords("I've never been so happy")).toEqual([]);
    expect(words('No doubt this is the best day')).toEqual(['this', 'is', 'the', 'best', 'day']);
    expect(words('Without a doubt, lovely')).toEqual([',', 'lovely']);
    expect(words('It was nothing but joy')).toEqual(['it', 'was', 'joy']);
    expect(negatedWords("I can't say I liked it")).toEqual(['say', 'i', 'liked', 'it']);
  });

  it('reads litotes and reassurance as "fine", reassurance only as a reply', () => {
    expect(words("It's not bad")).toEqual(["it's", 'fine']);
    expect(words('No problem!')).toEqual(['fine', '!']);
    expect(words('No worries at all')).toEqual(['fine', 'at', 'all']);
    expect(negatedWords('You have no problems changing it')).toEqual(['problems', 'changing', 'it']);
  });

  it('reads fixed expressions as the word they mean, before any negation', () => {
    expect(words('My grandmother passed away last night')).toEqual(['my', 'grandmother', 'died', 'last', 'night']);
    expect(words('I was over the moon')).toEqual(['i', 'was', 'delighted']);
    expect(words("I'm so fed up with this")).toEqual(["i'm", 'so', 'annoyed', 'with', 'this']);
    expect(words('She let everyone down')).toEqual(['she', 'disappointed']);
    expect(negatedWords("He didn't let me down")).toEqual(['disappointed']);
    expect(words("I can't stand him")).toEqual(['i', 'hate', 'him']);
    expect(words('The moon was over the hill')).toEqual(['the', 'moon', 'was', 'over', 'the', 'hill']);
    expect(words('She wept with joy')).toEqual(['she', 'overjoyed']);
    expect(words('Tears of relief')).toEqual(['overjoyed']);
    expect(words('crying tears of joy')).toEqual(['overjoyed']);
    expect(words('I was scared to death')).toEqual(['i', 'was', 'terrified']);
    expect(words('I aced the exam')).toEqual(['i', 'excelled', 'the', 'exam']);
    expect(words('My heart sank')).toEqual(['my', 'disappointed']);
    expect(words("I'm at my wits' end")).toEqual(["i'm", 'desperate']);
    expect(readEnglish('We had a BLAST, then I burst into tears').text).toBe('We enjoyed, then I crying');
  });

  it('gives VADER the text without the dropped words, keeping its capitals and punctuation', () => {
    expect(readEnglish("I COULDN'T be happier!!").text).toBe('I happiest!!');
    expect(readEnglish('No doubt, GREAT news.').text).toBe(', GREAT news.');
    expect(readEnglish('Not happy at all').text).toBe('Not happy at all');
    expect(readEnglish('Not bad at all').text).toBe('fine at all');
  });
});
