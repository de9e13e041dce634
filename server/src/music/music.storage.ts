import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { writeFileAtomically } from '../core/files/write-file-atomically';

/** The files one generation can have; every name is fixed, so no path ever comes from a request. */
export const MUSIC_FILES = {
  midi: { name: 'piece.mid', contentType: 'audio/midi' },
  wav: { name: 'piece.wav', contentType: 'audio/wav' },
  mp3: { name: 'piece.mp3', contentType: 'audio/mpeg' },
  plan: { name: 'plan.json', contentType: 'application/json' },
  notes: { name: 'notes.json', contentType: 'application/json' },
} as const;
export type MusicFileKind = keyof typeof MUSIC_FILES;

/**
 * Generated files under MUSIC_STORAGE_DIR, one folder per cache key (so identical requests of
 * different users share one set of files): `<dir>/<key[0..2]>/<key>/piece.wav`...
 */
@Injectable()
export class MusicStorage {
  readonly root: string;

  constructor(config: AppConfig) {
    this.root = config.musicStorageDir;
  }

  private folder(cacheKey: string): string {
    if (!/^[0-9a-f]{64}$/.test(cacheKey)) throw new Error('invalid cache key');
    return join(this.root, cacheKey.slice(0, 2), cacheKey);
  }

  /** Writes each file atomically (temporary name, then rename) so readers never see half a file. */
  async save(cacheKey: string, files: Partial<Record<MusicFileKind, Uint8Array | string>>): Promise<MusicFileKind[]> {
    const folder = this.folder(cacheKey);
    await mkdir(folder, { recursive: true });
    const written: MusicFileKind[] = [];
    for (const [kind, content] of Object.entries(files) as [MusicFileKind, Uint8Array | string | undefined][]) {
      if (content === undefined) continue;
      const target = join(folder, MUSIC_FILES[kind].name);
      await writeFileAtomically(target, content);
      written.push(kind);
    }
    return written;
  }

  /** Absolute path and size of a stored file, or undefined when it is not there. */
  async locate(cacheKey: string, kind: MusicFileKind): Promise<{ path: string; size: number } | undefined> {
    const path = join(this.folder(cacheKey), MUSIC_FILES[kind].name);
    if (!existsSync(path)) return undefined;
    return { path, size: (await stat(path)).size };
  }

  /** A stored JSON document (the plan or the note list), or undefined when the provider wrote none. */
  async readJson<T>(cacheKey: string, kind: 'plan' | 'notes'): Promise<T | undefined> {
    const located = await this.locate(cacheKey, kind);
    if (!located) return undefined;
    return JSON.parse(await readFile(located.path, 'utf8')) as T;
  }

  async remove(cacheKey: string): Promise<void> {
    await rm(this.folder(cacheKey), { recursive: true, force: true });
  }
}
