/**
 * Readers of the shared evaluation data (../shared/datasets, override with MULTIMODAL_DATASETS_DIR). Each returns
 * undefined when its folder is absent, so the scripts can skip with a message; nothing is copied or downloaded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../lib/csv';

export const DATASETS = process.env.MULTIMODAL_DATASETS_DIR ?? join(__dirname, '../../../../shared/datasets');

export interface EmoBankSentence {
  id: string;
  text: string;
  /** EmoBank's 1–5 ratings mapped to [-1, 1] ((x − 3) / 2). */
  valence: number;
  arousal: number;
}

export function loadEmoBank(split: 'train' | 'dev'): EmoBankSentence[] | undefined {
  const file = join(DATASETS, 'emobank', 'emobank.csv');
  if (!existsSync(file)) return undefined;
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const col = (name: string) => header.indexOf(name);
  return rows
    .filter((r) => r[col('split')] === split)
    .map((r) => ({ id: r[col('id')], text: r[col('text')], valence: (Number(r[col('V')]) - 3) / 2, arousal: (Number(r[col('A')]) - 3) / 2 }));
}

export const ZH_LABELS = ['happy', 'angry', 'neutral', 'sad', 'fear', 'surprise'] as const;
export type ZhLabel = (typeof ZH_LABELS)[number];

export interface ZhPost {
  text: string;
  label: ZhLabel;
  domain: 'usual' | 'virus';
}

export function loadZhEmotion(split: 'train' | 'dev'): ZhPost[] | undefined {
  const file = join(DATASETS, 'zh-emotion', `${split}.csv`);
  if (!existsSync(file)) return undefined;
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const col = (name: string) => header.indexOf(name);
  return rows
    .filter((r) => r.length >= header.length)
    .map((r) => ({ text: r[col('text')], label: r[col('label')] as ZhLabel, domain: r[col('domain')] as ZhPost['domain'] }));
}

export interface EmoDbClip {
  file: string;
  /** EmoDB's German-coded emotion in English: anger, boredom, disgust, fear, happiness, sadness, neutral. */
  emotion: string;
  speaker: string;
  gender: 'male' | 'female';
}

export const EMODB_DIR = join(DATASETS, 'emodb-dev');

export function loadEmoDb(): EmoDbClip[] | undefined {
  const file = join(EMODB_DIR, 'labels.csv');
  if (!existsSync(file)) return undefined;
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const col = (name: string) => header.indexOf(name);
  return rows
    .filter((r) => r.length >= header.length)
    .map((r) => ({
      file: join(EMODB_DIR, r[col('file')]),
      emotion: r[col('emotion')],
      speaker: r[col('speaker')],
      gender: r[col('gender')] === 'female' ? 'female' : 'male',
    }));
}
