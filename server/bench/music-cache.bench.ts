/** Section 3 of bench:music: a repeat request answered from MusicGenerationService's result cache. */
export async function benchCachedRepeat(_durationSec: number, _seed: number): Promise<void> {
  console.log('\ncached repeat: (service not wired yet)');
}
