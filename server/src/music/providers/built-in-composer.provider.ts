import { Injectable } from '@nestjs/common';
import { compose, toMidi } from '../engine';
import { MusicAudioRenderer } from '../music-audio.renderer';
import type { GeneratedMusic, MusicProvider, MusicProviderRequest } from './music-provider';

/** The in-process symbolic composer + SoundFont renderer: always available, the end of every fallback chain. */
@Injectable()
export class BuiltInComposerProvider implements MusicProvider {
  readonly name = 'built-in';

  constructor(private readonly renderer: MusicAudioRenderer) {}

  isConfigured(): boolean {
    return true;
  }

  async generate(request: MusicProviderRequest): Promise<GeneratedMusic> {
    request.onStage('composing');
    const composition = compose(request.plan, request.seed);
    const midi = toMidi(composition);
    const job = this.renderer.render(midi, (stage) => request.onStage(stage));
    const wav = await job.wav;
    const compressed = await job.compressed;
    return { wav: wav.wav, mp3: compressed?.mp3, mastering: wav.mastering, durationSec: wav.durationSec, midi, composition };
  }
}
