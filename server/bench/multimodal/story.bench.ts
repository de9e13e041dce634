/**
 * Storyteller and fusion: the time to turn stories of 2,000 and 20,000 characters into their arc and a composed,
 * MIDI-encoded piece (the work of one story job before audio rendering), and one fusion call.
 */
import { fuseModalities } from '../../src/multimodal/engine/fusion/fuse';
import { MusicalStoryTeller } from '../../src/multimodal/engine/story/storyteller';
import { toMidi } from '../../src/music/engine';
import { machineNote, ms, time } from './timing';

const PARAGRAPHS_EN = [
  'The village woke to a bright, warm morning and the children ran laughing through the fields.',
  'Then the river rose in the night; houses were lost and families wept in the cold rain.',
  'For weeks they lived in fear, hungry and tired, not knowing whether help would ever come.',
  'Slowly neighbours returned, rebuilt the bridge and shared what little bread they had.',
  'By summer the square was full of music again, and everyone danced with joy.',
];
const PARAGRAPHS_ZH = [
  '村子在明媚温暖的早晨醒来，孩子们在田野里欢笑奔跑。',
  '夜里河水上涨，房屋被冲毁，人们在冷雨中哭泣。',
  '几个星期里他们又饿又怕，不知道会不会有人来帮忙。',
  '邻居们慢慢回来，重建了桥，分享仅有的面包。',
  '到了夏天，广场上又响起了音乐，大家快乐地跳舞。',
];

function storyOf(paragraphs: readonly string[], chars: number): string {
  const out: string[] = [];
  while (out.join('\n\n').length < chars) out.push(paragraphs[out.length % paragraphs.length]);
  return out.join('\n\n').slice(0, chars);
}

export default async function storyBench(): Promise<void> {
  const teller = new MusicalStoryTeller();
  console.log('## Storyteller: story → arc → composed piece → MIDI\n');
  console.log('| story | scenes | sections | piece (s) | analyse only p50 (ms) | tell + MIDI p50 (ms) | CPU per story (ms) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [name, paragraphs, chars] of [
    ['English, 2,000 chars', PARAGRAPHS_EN, 2000],
    ['English, 20,000 chars', PARAGRAPHS_EN, 20000],
    ['Chinese, 2,000 chars', PARAGRAPHS_ZH, 2000],
    ['Chinese, 20,000 chars', PARAGRAPHS_ZH, 20000],
  ] as const) {
    const story = storyOf(paragraphs, chars);
    const result = teller.tell(story);
    const analyse = time(() => teller.analyse(story), 5, 1);
    const whole = time(() => toMidi(teller.tell(story).composition), 5, 1);
    console.log(
      `| ${name} | ${result.scenes.length} | ${result.sections.length} | ${result.durationSec.toFixed(0)} | ${ms(analyse.p50)} | ${ms(whole.p50)} | ${ms(whole.cpu)} |`,
    );
  }
  const face = { emotion: 'happy', valence: 0.7, arousal: 0.4, confidence: 0.8, probabilities: { happy: 0.8, neutral: 0.2 } } as const;
  const voice = { emotion: 'sad', valence: -0.6, arousal: -0.4, confidence: 0.7, probabilities: { sad: 0.7, neutral: 0.3 } } as const;
  const fusion = time(() => fuseModalities({ face, voice, text: face }), 20000, 200);
  console.log(`\nFusion of three modalities: p50 ${(fusion.p50 * 1000).toFixed(0)} µs, CPU ${(fusion.cpu * 1000).toFixed(0)} µs per call.`);
  console.log(machineNote() + '\n');
  return Promise.resolve();
}
