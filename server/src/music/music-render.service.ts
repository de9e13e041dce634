import { Injectable } from '@nestjs/common';
import { MusicAudioRenderer } from './music-audio.renderer';

export interface RenderedClip {
  /** MP3 bytes (CBR). */
  mp3: Uint8Array;
  durationSec: number;
}

/**
 * The music module's synthesizer for other features: a Standard MIDI File → mastered audio through the same SoundFont
 * render workers the generations use (e.g. the tutor's ear-training clips).
 */
@Injectable()
export class MusicRenderService {
  constructor(private readonly renderer: MusicAudioRenderer) {}

  async renderMidi(midi: Uint8Array): Promise<RenderedClip> {
    const job = this.renderer.render(midi);
    const [wav, compressed] = await Promise.all([job.wav, job.compressed]);
    if (!compressed) throw new Error('the renderer produced no MP3');
    return { mp3: compressed.mp3, durationSec: wav.durationSec };
  }
}
