import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../core/config/app-config';
import type { MusicGenerationService } from '../music/music.service';
import type { AnalyzeInput } from './analyze-input';
import type { MultimodalAnalysisService } from './multimodal-analysis.service';
import type { MultimodalRepository } from './multimodal.repository';
import { MultimodalStorage } from './multimodal.storage';
import { SavedAnalysesService } from './saved-analyses.service';

const USER = { id: 'u1', email: 'mei@xiaoyu.test', role: 'user' as const };
const INPUT: AnalyzeInput = {
  image: { bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), type: 'jpeg', width: 2, height: 2 },
  audio: { bytes: new Uint8Array([0x52, 0x49, 0x46, 0x46]), durationSec: 1 },
};

describe('SavedAnalysesService.save', () => {
  let dataDir: string;
  let storage: MultimodalStorage;
  const analysis = { analyze: () => Promise.resolve({ fused: { emotion: 'happy' } }) } as unknown as MultimodalAnalysisService;
  const kept = () => readdirSync(join(storage.root, 'analyses'));

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'xiaoyu-saved-'));
    storage = new MultimodalStorage(loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir }));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  function serviceWith(repository: Partial<MultimodalRepository>, files: MultimodalStorage = storage): SavedAnalysesService {
    return new SavedAnalysesService(analysis, repository as MultimodalRepository, files, {} as MusicGenerationService);
  }

  it('removes the files it wrote when the disk fills up before the last one', async () => {
    const fillsUp = Object.create(storage) as MultimodalStorage;
    fillsUp.saveAnalysis = async (id, files) => {
      await storage.saveAnalysis(id, { jpeg: files.jpeg });
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    const insertAnalysis = jest.fn();
    await expect(serviceWith({ insertAnalysis }, fillsUp).save(USER, INPUT)).rejects.toThrow('ENOSPC');
    expect(insertAnalysis).not.toHaveBeenCalled();
    expect(kept()).toEqual([]);
  });

  it('removes the files when the row cannot be written', async () => {
    const insertAnalysis = jest.fn().mockRejectedValue(new Error('connection terminated'));
    await expect(serviceWith({ insertAnalysis }).save(USER, INPUT)).rejects.toThrow('connection terminated');
    expect(kept()).toEqual([]);
  });
});
