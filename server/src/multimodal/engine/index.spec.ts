import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fuseAnalyses, FusionModelError, loadMultimodalEngines, VoiceModelError } from './index';

describe('loadMultimodalEngines', () => {
  it('builds working engines from the shipped parameters', () => {
    const engines = loadMultimodalEngines();
    const text = engines.text.analyzeDetailed('I am so happy to see you again!');
    const fused = fuseAnalyses({ text }, engines.fusion);
    expect(fused.emotion).toBe(text.emotion);
    expect(fused.weights).toEqual({ text: 1 });
    expect(engines.storyteller.analyse('A quiet walk by the river.').fit.shape).toBeDefined();
  });

  it('names the file and the problem when an operator path is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-models-'));
    writeFileSync(join(dir, 'fusion.json'), JSON.stringify({ format: 'xiaoyu-affect-fusion/1', reliability: { face: 1, voice: 1 }, conflictThreshold: 0.5 }));
    expect(() => loadMultimodalEngines({ fusion: join(dir, 'fusion.json') })).toThrow(FusionModelError);
    expect(() => loadMultimodalEngines({ fusion: join(dir, 'fusion.json') })).toThrow(/reliability.text/);
    writeFileSync(join(dir, 'voice.json'), '{ not json');
    expect(() => loadMultimodalEngines({ voice: join(dir, 'voice.json') })).toThrow(VoiceModelError);
  });
});
