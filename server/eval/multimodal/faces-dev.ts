import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FACE_EMOTIONS, FaceEmotion } from '../../src/multimodal/engine/types';
import { parseCsv } from '../lib/csv';

/** FER+ label names in faces-dev → our seven labels; contempt is dropped (the models have no such class). */
const LABELS: Readonly<Record<string, FaceEmotion>> = {
  neutral: 'neutral',
  happy: 'happy',
  sad: 'sad',
  angry: 'angry',
  fear: 'fearful',
  disgust: 'disgusted',
  surprise: 'surprised',
};

export interface FaceSample {
  file: string;
  label: FaceEmotion;
  /** Index in FACE_EMOTIONS. */
  labelIndex: number;
  /** FER-2013 PublicTest or PrivateTest: the two halves used to fit on one and measure on the other. */
  split: 'PublicTest' | 'PrivateTest';
  agreement: number;
}

export const datasetsDir = () => process.env.MULTIMODAL_DATASETS_DIR ?? join(__dirname, '../../../../shared/datasets');

/** The seven-class faces-dev images (1,217 of 1,270), or undefined when the data set is absent. */
export function loadFacesDev(datasets = datasetsDir()): FaceSample[] | undefined {
  const dir = join(datasets, 'faces-dev');
  if (!existsSync(join(dir, 'labels.csv'))) return undefined;
  const [header, ...rows] = parseCsv(readFileSync(join(dir, 'labels.csv'), 'utf8')).filter((row) => row.length > 1);
  const column = (name: string) => header.indexOf(name);
  const samples: FaceSample[] = [];
  for (const row of rows) {
    const label = LABELS[row[column('label')]];
    if (!label) continue;
    samples.push({
      file: join(dir, row[column('file')]),
      label,
      labelIndex: FACE_EMOTIONS.indexOf(label),
      split: row[column('fer2013_usage')] as FaceSample['split'],
      agreement: Number(row[column('agreement')]),
    });
  }
  return samples;
}
