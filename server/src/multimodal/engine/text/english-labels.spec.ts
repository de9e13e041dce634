import { englishEmotionCues, englishLabelProbabilities } from './english-labels';
import type { LabelAnchors } from './label-anchors';

const labels = (text: string) => [...englishEmotionCues(text).keys()];
const anchors: LabelAnchors = { neutral: [0, 0], happy: [0.2, 0.1], sad: [-0.2, 0], angry: [-0.2, 0.15] };
const argmax = (p: Record<string, number>) => Object.entries(p).sort((a, b) => b[1] - a[1])[0][0];

describe('englishEmotionCues', () => {
  it('finds emotion words, inflected, and leaves a sentence without one empty', () => {
    expect(labels('We celebrated all night')).toEqual(['happy']);
    expect(labels('The bathroom was filthy')).toEqual(['disgusted']);
    expect(labels('I am dreading tomorrow')).toEqual(['fearful']);
    expect(labels('The train leaves at nine')).toEqual([]);
    expect(labels('The constructor built a house with a __proto__ roof')).toEqual([]);
  });

  it('finds the regular inflections of listed words', () => {
    expect(labels('She hates him')).toEqual(['angry']);
    expect(labels('He was sobbing')).toEqual(['sad']);
    expect(labels('It scares me')).toEqual(['fearful']);
    expect(labels('The loneliness')).toEqual(['sad']);
    expect(labels('He answered angrily')).toEqual(['angry']);
    expect(labels('Scarier than I thought')).toEqual(['fearful']);
  });

  it('leaves derived words that mean something else', () => {
    expect(labels("I'd gladly help")).toEqual([]);
    expect(labels('What a stunning view')).toEqual(['happy']);
  });

  it('reads expressions whose words alone name no feeling', () => {
    expect(labels('I miss you')).toEqual(['sad']);
    expect(labels('How dare you speak to me like that')).toEqual(['angry']);
    expect(labels('What if the bridge collapses?')).toEqual(['fearful']);
    expect(labels('It makes me want to throw up')).toEqual(['disgusted']);
    expect(labels('Oh my god, you are here')).toEqual(['surprised']);
    expect(labels('You won? Seriously?')).toEqual(['surprised']);
  });

  it('reads a negated happy word half as sad, a negated negative one half as neutral, a negated expectation as surprise', () => {
    expect(englishEmotionCues('I am not happy').get('sad')).toBe(0.5);
    expect([...englishEmotionCues("I'm not afraid of the dark")]).toEqual([['neutral', 0.5]]);
    expect(labels("Don't worry")).toEqual(['neutral']);
    expect(labels('I was not surprised')).toEqual([]);
    expect(labels("I didn't expect that")).toEqual(['surprised']);
    expect(labels('I never saw the plot twist coming')).toEqual(['surprised']);
  });

  it('reads idioms as the word they mean', () => {
    expect(labels('My grandmother passed away')).toEqual(['sad']);
    expect(labels("I can't stand him")).toEqual(['angry']);
  });
});

describe('englishLabelProbabilities', () => {
  it('labels a sentence without cues by the nearest of the given anchors', () => {
    expect(argmax(englishLabelProbabilities('An ordinary line', 0.19, 0.1, anchors).probabilities)).toBe('happy');
    expect(argmax(englishLabelProbabilities('An ordinary line', 0.02, 0, anchors).probabilities)).toBe('neutral');
    const moved: LabelAnchors = { ...anchors, neutral: [0.19, 0.1], happy: [0.6, 0.4] };
    expect(argmax(englishLabelProbabilities('An ordinary line', 0.19, 0.1, moved).probabilities)).toBe('neutral');
  });

  it('lets an emotion word name the label the coordinates cannot (fear, disgust)', () => {
    const { probabilities, cued } = englishLabelProbabilities("I'm scared", -0.2, 0, anchors);
    expect(cued).toBe(true);
    expect(argmax(probabilities)).toBe('fearful');
    expect(Object.values(probabilities).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 6);
  });
});
