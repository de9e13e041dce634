import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { writeFileAtomically } from '../core/files/write-file-atomically';

/** Every file name is fixed, so no path ever comes from a request. */
export const ANALYSIS_FILES = {
  jpeg: { name: 'image.jpg', contentType: 'image/jpeg' },
  png: { name: 'image.png', contentType: 'image/png' },
  webp: { name: 'image.webp', contentType: 'image/webp' },
  audio: { name: 'audio.wav', contentType: 'audio/wav' },
} as const;
export type AnalysisFileKind = keyof typeof ANALYSIS_FILES;

export const STORY_FILES = {
  mp3: { name: 'piece.mp3', contentType: 'audio/mpeg' },
  wav: { name: 'piece.wav', contentType: 'audio/wav' },
  midi: { name: 'piece.mid', contentType: 'audio/midi' },
} as const;
export type StoryFileKind = keyof typeof STORY_FILES;

export interface StoredFile {
  path: string;
  size: number;
  contentType: string;
}

/**
 * Files under MULTIMODAL_STORAGE_DIR: a saved analysis's picture and recording (`analyses/<id>/`) and a story's
 * piece (`stories/<id>/`). Written atomically (temporary name, then rename) so readers never see half a file.
 */
@Injectable()
export class MultimodalStorage {
  readonly root: string;

  constructor(config: AppConfig) {
    this.root = config.multimodalStorageDir;
  }

  saveAnalysis(id: string, files: Partial<Record<AnalysisFileKind, Uint8Array>>): Promise<void> {
    return this.save(this.folder('analyses', id), files, ANALYSIS_FILES);
  }

  saveStory(id: string, files: Partial<Record<StoryFileKind, Uint8Array>>): Promise<void> {
    return this.save(this.folder('stories', id), files, STORY_FILES);
  }

  locateAnalysis(id: string, kind: AnalysisFileKind): Promise<StoredFile | undefined> {
    return this.locate(join(this.folder('analyses', id), ANALYSIS_FILES[kind].name), ANALYSIS_FILES[kind].contentType);
  }

  locateStory(id: string, kind: StoryFileKind): Promise<StoredFile | undefined> {
    return this.locate(join(this.folder('stories', id), STORY_FILES[kind].name), STORY_FILES[kind].contentType);
  }

  removeAnalysis(id: string): Promise<void> {
    return rm(this.folder('analyses', id), { recursive: true, force: true });
  }

  removeStory(id: string): Promise<void> {
    return rm(this.folder('stories', id), { recursive: true, force: true });
  }

  private folder(kind: 'analyses' | 'stories', id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error('invalid id');
    return join(this.root, kind, id);
  }

  private async save<K extends string>(folder: string, files: Partial<Record<K, Uint8Array>>, names: Record<K, { name: string }>): Promise<void> {
    await mkdir(folder, { recursive: true });
    for (const [kind, content] of Object.entries(files) as [K, Uint8Array | undefined][]) {
      if (!content) continue;
      const target = join(folder, names[kind].name);
      await writeFileAtomically(target, content);
    }
  }

  private async locate(path: string, contentType: string): Promise<StoredFile | undefined> {
    if (!existsSync(path)) return undefined;
    return { path, size: (await stat(path)).size, contentType };
  }
}
