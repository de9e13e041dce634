import { Processor } from '@nestjs/bullmq';
import { JobProcessor, type JobContext } from '../core/jobs/job-processor';
import { QUEUES } from '../core/jobs/queues';
import { MusicRenderService } from '../music/music-render.service';
import { EnsembleRecordingsService, type EnsembleRenderJobData } from './ensemble-recordings.service';

export interface EnsembleRenderResult {
  recordingId: string;
  durationSec: number;
  formats: string[];
}

/** Renders a recording's MIDI to audio through the music module's service (its render workers, the bundled SoundFont, mastered). */
@Processor(QUEUES.ensembleRender, { autorun: false, concurrency: 1 })
export class EnsembleRenderProcessor extends JobProcessor<EnsembleRenderJobData, EnsembleRenderResult> {
  constructor(
    private readonly recordings: EnsembleRecordingsService,
    private readonly music: MusicRenderService,
  ) {
    super();
  }

  protected async run({ data, progress, willRetry }: JobContext<EnsembleRenderJobData>): Promise<EnsembleRenderResult> {
    const midi = await this.recordings.midiForRender(data.recordingId);
    if (!midi) throw new Error(`Recording ${data.recordingId} no longer exists.`);
    await this.recordings.markRender(data.recordingId, 'active');
    try {
      progress.report({ percent: 10, stage: 'rendering' });
      const audio = await this.music.render(midi, (stage) => progress.report({ percent: stage === 'rendering' ? 20 : 70, stage }));
      progress.report({ percent: 95, stage: 'storing' });
      await this.recordings.storeAudio(data.recordingId, { wav: audio.wav, mp3: audio.mp3 });
      if (!(await this.recordings.markRender(data.recordingId, 'completed'))) {
        await this.recordings.discardAudio(data.recordingId);
        throw new Error(`Recording ${data.recordingId} was deleted while it rendered.`);
      }
      return { recordingId: data.recordingId, durationSec: audio.durationSec, formats: audio.mp3 ? ['wav', 'mp3'] : ['wav'] };
    } catch (error) {
      // A lost connection with attempts left is run again: the row stays "active" meanwhile, not "failed".
      if (willRetry(error)) throw error;
      await this.recordings.markRender(data.recordingId, 'failed', error instanceof Error ? error.message : String(error));
      throw error;
    }
  }
}
