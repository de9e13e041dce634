/** The fusion's learned parameters (JSON written by eval/multimodal/train-fusion.ts). */
import { readFileSync } from 'node:fs';
import type { Modality } from '../types';

export const FUSION_MODEL_FORMAT = 'xiaoyu-affect-fusion/1';

export interface FusionParameters {
  format: typeof FUSION_MODEL_FORMAT;
  /** How far each modality is trusted relative to the others (multiplies its own confidence); fitted on dev pairs. */
  reliability: Record<Modality, number>;
  /** Disagreement (0–1) from which the modalities are said to conflict. */
  conflictThreshold: number;
  trainedOn: string;
  metrics?: Record<string, number>;
}

export class FusionModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FusionModelError';
  }
}

export function validateFusionModel(value: unknown, source: string): FusionParameters {
  const m = value as Partial<FusionParameters>;
  const fail = (why: string): never => {
    throw new FusionModelError(`${source}: ${why}`);
  };
  if (!m || typeof m !== 'object') fail('not a JSON object');
  if (m.format !== FUSION_MODEL_FORMAT) fail(`format must be "${FUSION_MODEL_FORMAT}"`);
  for (const modality of ['face', 'voice', 'text'] as const) {
    const r = m.reliability?.[modality];
    if (typeof r !== 'number' || !(r > 0)) fail(`reliability.${modality} must be a positive number`);
  }
  if (typeof m.conflictThreshold !== 'number' || m.conflictThreshold <= 0 || m.conflictThreshold >= 1) fail('conflictThreshold must be between 0 and 1');
  return m as FusionParameters;
}

export function readFusionModel(path: string): FusionParameters {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FusionModelError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return validateFusionModel(parsed, path);
}
