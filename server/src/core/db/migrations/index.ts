import type { Migration } from 'kysely';
import * as users from './0001_users';
import * as musicGenerations from './0002_music_generations';
import * as multimodal from './0005_multimodal';

/** Every migration, applied in key order at start. Add new ones with the next number. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_users': users,
  '0002_music_generations': musicGenerations,
  '0005_multimodal': multimodal,
};
