import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UndecodableInputError } from '../types';
import { chineseFeatures, englishFeatures } from './features';
import { detectLanguage } from './language';
import { TextAffectRecognizer } from './text-affect';
import { TEXT_MODEL_FORMAT, TextModelError, type TextModelParameters, validateTextModel } from './text-model';

const words = (text: string) => text.split(/\s+/);

describe('text features', () => {
  it('marks words inside a negation up to the next punctuation', () => {
    expect(englishFeatures("I don't feel happy, but fine")).toEqual(expect.arrayContaining(['w:neg:happy', 'w:fine']));
    expect(englishFeatures('I feel happy')).toContain('w:happy');
  });

  it('keeps Weibo emoji codes whole and negates the words after 不', () => {
    const features = chineseFeatures('我 不 开心 [哭]', words);
    expect(features).toEqual(expect.arrayContaining(['e:[哭]', 'w:neg:开心', 'c:开心']));
  });
});

describe('detectLanguage', () => {
  it('tells Chinese from English, also when they are mixed', () => {
    expect(detectLanguage('What a lovely morning')).toBe('en');
    expect(detectLanguage('今天心情很好')).toBe('zh');
    expect(detectLanguage('今天的 meeting 让我很烦')).toBe('zh');
    expect(detectLanguage('We visited 北京 last summer and loved every day of it')).toBe('en');
  });
});

describe('TextAffectRecognizer (shipped parameters)', () => {
  const recogniser = new TextAffectRecognizer();

  it('reads clearly happy and clearly sad English sentences apart', () => {
    const happy = recogniser.analyzeDetailed('What a wonderful day, I am so happy and grateful!');
    const sad = recogniser.analyzeDetailed('My dog died this morning and I cannot stop crying.');
    expect(happy.valence).toBeGreaterThan(0.2);
    expect(sad.valence).toBeLessThan(-0.2);
    expect(happy.emotion).toBe('happy');
    expect(sad.emotion).toBe('sad');
    expect(happy.language).toBe('en');
    expect(happy.model).toBe('en-emobank-ridge');
  });

  it('reads English on the same valence/arousal plane as Chinese and the other modalities', () => {
    const english = recogniser.analyze('I am so happy today!');
    const chinese = recogniser.analyze('我今天很开心');
    expect(english.valence).toBeGreaterThan(0.45);
    expect(english.valence).toBeGreaterThan(0.5 * chinese.valence);
    expect(recogniser.analyze('I feel lonely and empty.').valence).toBeLessThan(-0.35);
  });

  it('lowers valence under negation and raises arousal for alarm', () => {
    expect(recogniser.analyze('I am not happy at all.').valence).toBeLessThan(recogniser.analyze('I am happy.').valence);
    expect(recogniser.analyze('Help! The house is on fire, run!').arousal).toBeGreaterThan(
      recogniser.analyze('A quiet afternoon reading by the window.').arousal,
    );
  });

  it('reads idioms whose negator negates nothing as what they say', () => {
    for (const text of ["I couldn't be happier", "I can't believe how wonderful today was", "I can't stop smiling"]) {
      const result = recogniser.analyzeDetailed(text);
      expect(result.valence).toBeGreaterThan(0.15);
      expect(result.emotion).toBe('happy');
    }
    expect(recogniser.analyzeDetailed("I'm not happy at all").emotion).toBe('sad');
    expect(recogniser.analyzeDetailed("It's not bad").valence).toBeGreaterThan(0);
    expect(recogniser.analyzeDetailed('No problem!').valence).toBeGreaterThan(0);
  });

  it('reads fixed expressions by what they mean, not word by word', () => {
    const grief = recogniser.analyzeDetailed('My grandmother passed away');
    expect(grief.valence).toBeLessThan(-0.15);
    expect(grief.emotion).toBe('sad');
    const joy = recogniser.analyzeDetailed('I was over the moon when I heard');
    expect(joy.emotion).toBe('happy');
    expect(joy.valence).toBeGreaterThan(0);
    expect(recogniser.analyzeDetailed("I'm fed up with this").emotion).toBe('angry');
    expect(recogniser.analyzeDetailed("I can't stand him").valence).toBeLessThan(-0.15);
  });

  it('names the English emotions EmoBank cannot teach from emotion words', () => {
    const label = (text: string) => recogniser.analyzeDetailed(text).emotion;
    expect(label('I am really worried about the exam tomorrow')).toBe('fearful');
    expect(label("I'm scared of the dark")).toBe('fearful');
    expect(label("That's disgusting")).toBe('disgusted');
    expect(label("I'm furious with you")).toBe('angry');
    expect(label('lol that was hilarious')).toBe('happy');
  });

  it('answers exactly the TextAnalysis fields with values in range', () => {
    const result = recogniser.analyze('The meeting is at three.');
    expect(Object.keys(result).sort()).toEqual(['arousal', 'confidence', 'emotion', 'language', 'valence']);
    for (const x of [result.valence, result.arousal]) expect(Math.abs(x)).toBeLessThanOrEqual(1);
    expect(result.confidence).toBeGreaterThanOrEqual(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
  });

  it('reads Chinese with the word list when no classifier is configured', () => {
    const happy = recogniser.analyzeDetailed('今天和朋友们一起跳舞，非常开心');
    const unhappy = recogniser.analyzeDetailed('我不开心');
    expect(happy.model).toBe('zh-lexicon');
    expect(happy.valence).toBeGreaterThan(0.3);
    expect(unhappy.valence).toBeLessThan(0);
    expect(recogniser.analyzeDetailed('我们下午三点开会').confidence).toBeLessThan(happy.confidence);
  });

  it('reads everyday Chinese praise, reassurance and comparisons built on 好, 不 and 没 the way they are meant', () => {
    const valence = (text: string) => recogniser.analyzeDetailed(text).valence;
    for (const praise of ['这个很好', '一切都好', '这个不错', '没有比这更好的了', '好得不能再好了']) expect(valence(praise)).toBeGreaterThan(0.3);
    expect(valence('不好')).toBeLessThan(-0.2);
    expect(valence('今天好难过')).toBeLessThan(-0.3); // 好 before a listed word intensifies it
    // a one-character listed word is not read inside a longer one: 美国 "USA" is not 美 "beautiful", 星期二 not 星 "star"
    expect(Math.abs(valence('他是美国人'))).toBeLessThan(0.3);
    expect(Math.abs(valence('星期二见'))).toBeLessThan(0.3);
    // labelled by the learned label positions, not only once a reading reaches the happy face's corner of the plane
    expect(recogniser.analyzeDetailed('我升职了！').emotion).toBe('happy');
    // English words in a Chinese text name feelings as in English
    expect(recogniser.analyzeDetailed('今天真的好angry').emotion).toBe('angry');
    expect(recogniser.analyzeDetailed('不用担心，一切都好').emotion).not.toBe('fearful');
    expect(recogniser.analyzeDetailed('你好').emotion).toBe('neutral');
  });

  it('reads a Chinese word the hand-set list lacks through the CC-CEDICT table, with less confidence than a listed one', () => {
    const stress = recogniser.analyzeDetailed('最近压力很大'); // 压力 "pressure, stress": not in the list
    expect(stress.valence).toBeLessThan(-0.3);
    expect(stress.confidence).toBeLessThan(recogniser.analyzeDetailed('最近很难过').confidence);
  });

  it('reads plain Chinese statements as neutral although their scene words colour a topic, and feelings as before', () => {
    // 明天 "tomorrow", 厨房做饭 "cooking", 河 "river": words that give a topic's music its colour, not feelings
    for (const statement of ['明天下午三点开会。', '妈妈在厨房做饭。', '这条河从西往东流。']) expect(recogniser.analyze(statement).emotion).toBe('neutral');
    const glad = recogniser.analyzeDetailed('明天下午三点开会，我很开心。');
    expect(glad.emotion).toBe('happy');
    expect(glad.confidence).toBeGreaterThan(0.9);
    expect(recogniser.analyze('下雨天一个人在家，好孤单。').emotion).toBe('sad');
  });

  it('reads a Chinese text with no emotion word with less confidence than one that names a feeling', () => {
    const weather = recogniser.analyzeDetailed('今天天气很好。'); // 很好 "very good": evaluative, no emotion word
    expect(weather.emotion).toBe('happy');
    expect(weather.confidence).toBeLessThan(0.7);
    expect(recogniser.analyzeDetailed('今天很开心。').confidence).toBeGreaterThan(0.9);
  });

  it('names the Chinese emotion from emotion words and Weibo emoticons, which the coordinates alone confuse', () => {
    const label = (text: string) => recogniser.analyzeDetailed(text).emotion;
    expect(label('气死我了，这些骗子太无耻了')).toBe('angry');
    expect(label('好害怕，晚上一个人不敢出门')).toBe('fearful');
    expect(label('天哪，没想到他竟然来了')).toBe('surprised');
    expect(label('看完电影哭了好久[泪]')).toBe('sad');
    expect(label('今天非常开心[哈哈]')).toBe('happy');
    expect(label('我不开心')).toBe('sad');
  });

  it('rejects empty text as undecodable input of the text field', () => {
    expect(() => recogniser.analyze('   ')).toThrow(UndecodableInputError);
  });
});

describe('TextAffectRecognizer with a word-affect table', () => {
  // Ranked as in a real vector set: the table's rare words count fully, "the" (rank 0) hardly at all.
  const words = ['the', ...Array.from({ length: 9_998 }, (_, i) => `filler${i}`), 'jubilant', 'miserable'];
  const values = words.flatMap((w) => (w === 'jubilant' ? [1.5, 0.9] : w === 'miserable' ? [-1.5, -0.3] : [0, 0]));
  const english: TextModelParameters = {
    format: TEXT_MODEL_FORMAT,
    language: 'en',
    kind: 'regression',
    outputs: ['valence', 'arousal'],
    bias: [0, 0],
    weights: {},
    wordAffect: { source: 'a hand-made test table', words, values },
    trainedOn: 'a hand-made test model',
  };
  const recogniser = new TextAffectRecognizer(english);

  it('reads a word through its table entry and leaves a negated word to the n-grams', () => {
    expect(recogniser.analyze('The crowd was jubilant').valence).toBeGreaterThan(0.3);
    expect(recogniser.analyze('The crowd was jubilant').arousal).toBeGreaterThan(0.2);
    expect(recogniser.analyze('They were miserable').valence).toBeLessThan(-0.3);
    expect(recogniser.analyze('The crowd was not jubilant').valence).toBe(0);
    expect(recogniser.analyze('An ordinary sentence').valence).toBe(0);
  });

  it('rejects a table whose values do not fit its words', () => {
    const broken = { ...english, wordAffect: { ...english.wordAffect!, values: [0, 0, 1] } };
    expect(() => validateTextModel(broken, 'broken.json')).toThrow(/wordAffect.values must have 2 numbers per word/);
  });

  it("labels by the model's own label anchors, the shipped model's when it has none", () => {
    // every sentence reads (0.06, 0.03): mildly pleasant, neutral where the shipped model puts the labels
    const mild = { ...english, bias: [0.06, 0.03] };
    const anchors = { neutral: [-0.1, 0], happy: [0.06, 0.03], sad: [-0.5, 0], angry: [-0.5, 0.3] } as Record<string, [number, number]>;
    expect(new TextAffectRecognizer({ ...mild, labelAnchors: anchors }).analyze('An ordinary sentence').emotion).toBe('happy');
    expect(new TextAffectRecognizer(mild).analyze('An ordinary sentence').emotion).toBe('neutral');
    expect(() => new TextAffectRecognizer({ ...english, labelAnchors: { neutral: [0, 0] } })).toThrow(/labelAnchors lack "happy"/);
    expect(() => validateTextModel({ ...english, labelAnchors: { happy: [0.1] } }, 'broken.json')).toThrow(
      /labelAnchors\["happy"\] must be \[valence, arousal\]/,
    );
  });
});

describe('TextAffectRecognizer with a Chinese classifier', () => {
  const classifier: TextModelParameters = {
    format: TEXT_MODEL_FORMAT,
    language: 'zh',
    kind: 'classification',
    outputs: ['happy', 'angry', 'neutral', 'sad', 'fear', 'surprise'],
    bias: [0, 0, 0.5, 0, 0, 0],
    weights: { 'w:开心': [6, 0, 0, 0, 0, 0], 'w:害怕': [0, 0, 0, 0, 6, 0] },
    trainedOn: 'a hand-made test model',
  };
  const segment = (text: string) => text.split(' ');
  const recogniser = new TextAffectRecognizer(undefined, classifier, segment);

  it('maps label probabilities onto the shared labels and onto valence/arousal', () => {
    const happy = recogniser.analyzeDetailed('我 很 开心');
    const afraid = recogniser.analyzeDetailed('我 很 害怕');
    expect(happy.model).toBe('zh-classifier');
    expect(happy.emotion).toBe('happy');
    expect(afraid.emotion).toBe('fearful');
    expect(happy.valence).toBeGreaterThan(0.3);
    expect(afraid.valence).toBeLessThan(-0.3);
    expect(afraid.arousal).toBeGreaterThan(0.3);
    expect(Object.values(happy.probabilities).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 2);
    expect(recogniser.analyzeDetailed('我 在 家').emotion).toBe('neutral');
  });

  it('loads model files from the configured paths and names what is wrong with a bad one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'text-model-'));
    writeFileSync(join(dir, 'zh.json'), JSON.stringify(classifier));
    expect(TextAffectRecognizer.load({ chinese: join(dir, 'zh.json') }).describe().zh.model).toBe('zh-classifier');
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...classifier, bias: [0] }));
    expect(() => TextAffectRecognizer.load({ chinese: join(dir, 'bad.json') })).toThrow(/bias must have 6 numbers/);
    expect(() => TextAffectRecognizer.load({ english: join(dir, 'missing.json') })).toThrow(TextModelError);
    expect(() => TextAffectRecognizer.load({ english: join(dir, 'zh.json') })).toThrow(/English model/);
    const unknownLabel = { ...classifier, outputs: ['happy', 'angry', 'neutral', 'sad', 'fear', 'constructor'] };
    expect(() => new TextAffectRecognizer(undefined, unknownLabel, segment)).toThrow(/label "constructor" is not one of/);
  });
});
