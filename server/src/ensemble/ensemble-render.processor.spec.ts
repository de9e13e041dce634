import type { Job } from 'bullmq';
import type { MusicRenderService } from '../music/music-render.service';
import { EnsembleRenderProcessor } from './ensemble-render.processor';
import type { EnsembleRecordingsService, EnsembleRenderJobData } from './ensemble-recordings.service';

/** The recordings service's render side over one recording kept in memory, with its audio files. */
class RecordingsInMemory {
  exists = true;
  state = 'queued';
  readonly files = new Map<string, number>();

  midiForRender = () => Promise.resolve(this.exists ? new Uint8Array([0x4d, 0x54, 0x68, 0x64]) : undefined);
  /** Rejects the next write of this state once, as a dropped database connection would. */
  failOnce?: string;
  markRender = (_id: string, state: string) => {
    if (state === this.failOnce) {
      this.failOnce = undefined;
      return Promise.reject(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    }
    if (this.exists) this.state = state;
    return Promise.resolve(this.exists);
  };
  storeAudio = (id: string, files: { wav: Uint8Array; mp3?: Uint8Array }) => {
    this.files.set(`${id}.wav`, files.wav.byteLength);
    if (files.mp3) this.files.set(`${id}.mp3`, files.mp3.byteLength);
    return Promise.resolve();
  };
  discardAudio = (id: string) => {
    this.files.delete(`${id}.wav`);
    this.files.delete(`${id}.mp3`);
    return Promise.resolve();
  };
  /** What `remove` does: the row goes, then the files there are now. */
  delete(id: string): void {
    this.exists = false;
    this.files.delete(`${id}.wav`);
    this.files.delete(`${id}.mp3`);
  }
}

const ID = '6c1f0f5e-0c61-4a4a-8d2b-9a3f8a5f2f10';
const job = {
  id: ID,
  queueName: 'ensemble-render',
  data: { userId: 'u1', recordingId: ID },
  attemptsMade: 0,
  opts: {},
  updateProgress: () => Promise.resolve(),
};

function processorWith(recordings: RecordingsInMemory, duringRender: () => void = () => undefined): EnsembleRenderProcessor {
  const music = {
    render: () => {
      duringRender();
      return Promise.resolve({ wav: new Uint8Array(44), mp3: new Uint8Array(8), durationSec: 1 });
    },
  };
  return new EnsembleRenderProcessor(recordings as unknown as EnsembleRecordingsService, music as unknown as MusicRenderService);
}

describe('EnsembleRenderProcessor', () => {
  it('stores the audio and marks the recording rendered', async () => {
    const recordings = new RecordingsInMemory();
    await expect(processorWith(recordings).process(job as unknown as Job<EnsembleRenderJobData>)).resolves.toMatchObject({ formats: ['wav', 'mp3'] });
    expect(recordings.state).toBe('completed');
    expect([...recordings.files.keys()]).toEqual([`${ID}.wav`, `${ID}.mp3`]);
  });

  it('keeps the recording rendering (not failed) when a lost connection will be retried, and fails it on the last attempt', async () => {
    const recordings = new RecordingsInMemory();
    recordings.failOnce = 'completed';
    const retried = { ...job, opts: { attempts: 3 } } as unknown as Job<EnsembleRenderJobData>;
    await expect(processorWith(recordings).process(retried)).rejects.toMatchObject({ code: '57P01' });
    expect(recordings.state).toBe('active');
    await expect(processorWith(recordings).process(retried)).resolves.toMatchObject({ recordingId: ID });
    expect(recordings.state).toBe('completed');

    recordings.failOnce = 'completed';
    await expect(
      processorWith(recordings).process({ ...job, attemptsMade: 2, opts: { attempts: 3 } } as unknown as Job<EnsembleRenderJobData>),
    ).rejects.toMatchObject({
      code: '57P01',
    });
    expect(recordings.state).toBe('failed');
  });

  it('leaves no audio behind when the recording is deleted while it renders', async () => {
    const recordings = new RecordingsInMemory();
    const processor = processorWith(recordings, () => recordings.delete(ID));
    await expect(processor.process(job as unknown as Job<EnsembleRenderJobData>)).rejects.toThrow(`Recording ${ID} was deleted while it rendered.`);
    expect(recordings.files.size).toBe(0);
  });
});
