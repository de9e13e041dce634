/**
 * Storyteller section, on synthetic stories whose arc is known: for each of the six shapes and both languages, stories
 * of ten scenes whose valence follows the shape's template, each scene two sentences drawn from a bank at the
 * template's level (the banks below are written for this evaluation, not taken from any dataset), clean and with noise
 * (syntheticStory). Reported: the shape
 * detected, and for the music, whether each section's mode agrees with the sign of its valence and how tempo and
 * loudness follow arousal and valence.
 */
import { MusicalStoryTeller } from '../../src/multimodal/engine/story/storyteller';
import { arcTemplate } from '../../src/multimodal/engine/story/arc';
import { ARC_SHAPES, type ArcShape } from '../../src/multimodal/engine/types';
import { createRng, type Rng } from '../../src/music/engine/rng';
import { pearson } from '../../src/core/math/pearson';
import { f3, pct, printTable } from './metrics';

/** Five valence levels, from despair (index 0) to joy (index 4). */
const BANK: Record<'en' | 'zh', string[][]> = {
  en: [
    [
      'He died alone, and she wept with grief and despair.',
      'Everything was lost; the pain was unbearable and she cried all night.',
      'The war destroyed their home and killed his brother.',
      'She was terrified and heartbroken, sobbing in the ruins.',
    ],
    [
      'The days were grey and lonely, and he felt sad.',
      'She missed her family and felt afraid of the future.',
      'The cold rain fell and nobody came to help him.',
      'He was tired, hungry and worried about tomorrow.',
    ],
    [
      'They walked to the station and bought two tickets.',
      'The house stood at the end of a long road.',
      'In the afternoon she read a book and made some tea.',
      'He wrote a letter and posted it the next morning.',
    ],
    [
      'A kind neighbour smiled and offered her a warm meal.',
      'The sun came out and he felt a little hope.',
      'She found a good job and made new friends.',
      'They laughed together over a pleasant dinner.',
    ],
    [
      'Everyone celebrated with joy, dancing and singing with love.',
      'She won the prize and was happier than ever, full of delight.',
      'Their wedding was a wonderful, beautiful day of laughter and happiness.',
      'He hugged his family, grateful and overjoyed at their success.',
    ],
  ],
  zh: [
    ['他在绝望中痛哭，亲人已经去世了。', '战争摧毁了家园，她悲痛欲绝。', '一切都失去了，痛苦让他整夜哭泣。', '她非常害怕，伤心地在废墟里哭泣。'],
    ['日子阴沉又孤独，他很难过。', '她想念家人，对未来感到害怕。', '冷雨不停地下，没有人来帮他。', '他又累又饿，心里很忧伤。'],
    ['他们走到车站，买了两张车票。', '房子在一条长路的尽头。', '下午她看书，泡了一壶茶。', '他写了一封信，第二天寄了出去。'],
    ['邻居微笑着给她送来温暖的饭菜。', '太阳出来了，他有了一点希望。', '她找到了工作，交了新朋友。', '晚饭时大家愉快地聊天。'],
    [
      '大家欢乐地庆祝，唱歌跳舞，非常开心。',
      '她赢得了比赛，比以往任何时候都幸福快乐。',
      '婚礼美好又热闹，到处是笑声和喜悦。',
      '他拥抱家人，为成功感到无比高兴。',
    ],
  ],
};

const SCENES = 10;

/**
 * Clean: both sentences at the template's level. Noisy: one sentence at the level (moved one level up or down in a
 * quarter of the scenes) and one neutral sentence, as prose mixes feeling with plain narration.
 */
function syntheticStory(shape: ArcShape, language: 'en' | 'zh', rng: Rng, noisy: boolean): { story: string; levels: number[] } {
  const levels = Array.from({ length: SCENES }, (_, i) => Math.round(2 + 2 * arcTemplate(shape, (i + 0.5) / SCENES)));
  const paragraphs = levels.map((level) => {
    const shifted = noisy && rng.chance(0.25) ? Math.max(0, Math.min(4, level + (rng.chance(0.5) ? 1 : -1))) : level;
    const bank = BANK[language][shifted];
    const first = rng.int(0, bank.length - 1);
    const second = (first + 1 + rng.int(0, bank.length - 2)) % bank.length;
    const other = noisy ? BANK[language][2][rng.int(0, BANK[language][2].length - 1)] : bank[second];
    const [a, b] = noisy && rng.chance(0.5) ? [other, bank[first]] : [bank[first], other];
    return language === 'en' ? `${a} ${b}` : `${a}${b}`;
  });
  return { story: paragraphs.join('\n\n'), levels };
}

export default async function storySection(): Promise<void> {
  const teller = new MusicalStoryTeller();
  const rng = createRng(20260);
  const perShape = 8;
  console.log(`## Storyteller: arc shape of synthetic stories (${perShape} per shape and language, ${SCENES} scenes each)\n`);
  const rows: (string | number)[][] = [];
  const composed: { language: 'en' | 'zh'; story: string }[] = [];
  const accuracy = { clean: [0, 0], noisy: [0, 0] };
  for (const noisy of [false, true]) {
    for (const language of ['en', 'zh'] as const) {
      for (const shape of ARC_SHAPES) {
        const detected = new Map<string, number>();
        for (let k = 0; k < perShape; k++) {
          const { story } = syntheticStory(shape, language, rng, noisy);
          const found = teller.analyse(story).fit.shape;
          detected.set(found, (detected.get(found) ?? 0) + 1);
          accuracy[noisy ? 'noisy' : 'clean'][0] += found === shape ? 1 : 0;
          accuracy[noisy ? 'noisy' : 'clean'][1]++;
          if (k < 2 && !noisy) composed.push({ language, story });
        }
        const others = [...detected].filter(([s]) => s !== shape).map(([s, n]) => `${s} ×${n}`);
        rows.push([noisy ? 'noisy' : 'clean', language, shape, `${detected.get(shape) ?? 0}/${perShape}`, others.join(', ') || '—']);
      }
    }
  }
  printTable(['stories', 'language', 'arc written', 'detected as written', 'detected otherwise'], rows);
  console.log(
    `Arc accuracy: clean ${pct(accuracy.clean[0] / accuracy.clean[1])}, noisy ${pct(accuracy.noisy[0] / accuracy.noisy[1])} (${accuracy.clean[1]} stories each; chance 16.7%).\n`,
  );

  console.log(`## Storyteller: music per section against the scenes' emotion (${composed.length} of those stories composed)\n`);
  const sections: { valence: number; arousal: number; tempo: number; loudness: number; major: boolean }[] = [];
  let modulations = 0;
  let boundaries = 0;
  let seconds = 0;
  const started = Date.now();
  for (const { story } of composed) {
    const result = teller.tell(story, { durationSec: 120 });
    seconds += result.durationSec;
    for (const s of result.sections) {
      sections.push({ valence: s.valence, arousal: s.arousal, tempo: s.tempo, loudness: s.loudness, major: !/minor|dorian|phrygian/i.test(s.mode) });
      if (s.transition) {
        boundaries++;
        if (s.transition.modulation) modulations++;
      }
    }
  }
  const signed = sections.filter((s) => Math.abs(s.valence) >= 0.1);
  printTable(
    ['measure', 'value'],
    [
      ['sections', sections.length],
      ['mode agrees with valence sign (valence ≥ 0.1 or ≤ −0.1)', pct(signed.filter((s) => s.major === s.valence > 0).length / signed.length)],
      [
        'r(tempo, arousal)',
        f3(
          pearson(
            sections.map((s) => s.tempo),
            sections.map((s) => s.arousal),
          ),
        ),
      ],
      [
        'r(loudness, arousal)',
        f3(
          pearson(
            sections.map((s) => s.loudness),
            sections.map((s) => s.arousal),
          ),
        ),
      ],
      ['boundaries with a modulation', `${modulations}/${boundaries}`],
      ['composition time per minute of music', `${((Date.now() - started) / (seconds / 60)).toFixed(0)} ms`],
    ],
  );
  return Promise.resolve();
}
