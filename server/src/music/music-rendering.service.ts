import { Injectable } from '@nestjs/common';
import type { MasteringReport } from './engine/audio';
import { MusicAudioRenderer } from './music-audio.renderer';

export interface RenderedPiece {
  wav: Uint8Array;
  mp3?: Uint8Array;
  durationSec: number;
  mastering: MasteringReport;
}

/**
 * The music module's rendering for other features: a Standard MIDI File → mastered WAV and MP3 through the same
 * SoundFont render workers (and loudness target) as every generated piece.
 */
@Injectable()
export class MusicRenderingService {
  constructor(private readonly renderer: MusicAudioRenderer) {}

  async render(midi: Uint8Array, onStage?: (stage: 'rendering' | 'encoding') => void): Promise<RenderedPiece> {
    const job = this.renderer.render(midi, onStage);
    const wav = await job.wav;
    const compressed = await job.compressed;
    return { wav: wav.wav, mp3: compressed?.mp3, durationSec: wav.durationSec, mastering: wav.mastering };
  }
}
