import { Injectable } from '@nestjs/common';
import { MusicAudioRenderer } from './music-audio.renderer';

export interface RenderedMidi {
  wav: Uint8Array;
  /** Absent when MP3 encoding failed (the WAV is still good). */
  mp3?: Uint8Array;
  durationSec: number;
}

/**
 * The music module's synthesizer for other features: any Standard MIDI File → mastered WAV and the MP3 encoded from
 * it, on the same SoundFont render workers and loudness target as every generated piece (the tutor's clips, ensemble
 * recordings, the storyteller's pieces).
 */
@Injectable()
export class MusicRenderService {
  constructor(private readonly renderer: MusicAudioRenderer) {}

  async render(midi: Uint8Array, onStage?: (stage: 'rendering' | 'encoding') => void): Promise<RenderedMidi> {
    const job = this.renderer.render(midi, onStage);
    const wav = await job.wav;
    const compressed = await job.compressed;
    return { wav: wav.wav, mp3: compressed?.mp3, durationSec: wav.durationSec };
  }
}
