/**
 * Text: the cost of loading the models (English parameters, jieba's dictionary on the first Chinese text) and of one
 * sentence (target ≤ 5 ms), English and Chinese, with throughput and memory.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { TextAffectRecognizer } from '../../src/multimodal/engine/text/text-affect';
import { validateTextModel } from '../../src/multimodal/engine/text/text-model';
import { machineNote, mb, memoryNow, ms, time } from './timing';

const ENGLISH = [
  'What a wonderful morning, I feel so happy and grateful!',
  'The train was late again and I missed the meeting.',
  'She cried alone after the funeral, missing her father.',
  'I am absolutely furious about the way they treated us.',
  'We walked along the quiet beach as the sun went down.',
  'Honestly, the results were not as bad as I had feared.',
  'The storm knocked out the power and the children were terrified.',
  'Thanks for the lovely dinner, it was a pleasure to see you.',
];
const CHINESE = [
  '今天阳光明媚，和朋友们一起去公园，非常开心！',
  '火车又晚点了，我错过了会议，真烦人。',
  '葬礼之后她一个人哭了很久，很想念父亲。',
  '他们这样对待我们，我真的很生气。',
  '我们在安静的海边散步，看着太阳落下。',
  '说实话，结果没有我担心的那么糟糕。',
  '暴风雨把电停了，孩子们吓坏了。',
  '谢谢你的晚餐，见到你真好。',
];

export default async function textBench(): Promise<void> {
  const modelFile = join(__dirname, '../../src/multimodal/engine/models/text-en.json');
  let started = performance.now();
  const recogniser = new TextAffectRecognizer(validateTextModel(JSON.parse(readFileSync(modelFile, 'utf8')), modelFile));
  const loadEnglish = performance.now() - started;
  started = performance.now();
  Jieba.withDict(dict);
  const loadChinese = performance.now() - started;
  started = performance.now();
  recogniser.analyze(CHINESE[0]);
  const firstChinese = performance.now() - started;
  const en = time((i) => recogniser.analyze(ENGLISH[i % ENGLISH.length]), 2000, 50);
  const zh = time((i) => recogniser.analyze(CHINESE[i % CHINESE.length]), 2000, 50);
  const story = ENGLISH.join(' ').repeat(12);
  const long = time(() => recogniser.analyze(story), 30, 3);
  console.log('## Text: one sentence (target ≤ 5 ms)\n');
  console.log('| input | calls | wall p50 (ms) | wall p99 (ms) | CPU per call (ms) | sentences/s on one core |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [name, t] of [
    ['English sentence', en],
    ['Chinese sentence (jieba, word list and word table)', zh],
    [`English paragraph (${story.length} chars)`, long],
  ] as const) {
    console.log(`| ${name} | ${t.calls} | ${ms(t.p50)} | ${ms(t.p99)} | ${ms(t.cpu)} | ${(1000 / t.cpu).toFixed(0)} |`);
  }
  const memory = memoryNow();
  console.log(
    `\nLoading: English parameters (${mb(statSync(modelFile).size)} of JSON) parsed and checked in ${ms(loadEnglish)} ms; jieba's dictionary ${ms(loadChinese)} ms and the first Chinese text ${ms(firstChinese)} ms (indexing the CC-CEDICT word table; both once per process). Process with the engines loaded and warm: heap ${mb(memory.heap)}, RSS ${mb(memory.rss)}.`,
  );
  console.log(machineNote() + '\n');
  return Promise.resolve();
}
