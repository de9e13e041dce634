/** Worker thread entry: assesses one WAV against a reference off the main event loop (see TutorAssessor). */
import { serveWorkerTasks } from '../core/workers/worker-pool';
import { assessRecording, decodeWavMono, type Assessment, type AssessOptions, type ReferenceNote } from './engine';

export interface AssessTask {
  wav: Uint8Array;
  reference: ReferenceNote[];
  options?: AssessOptions;
}

export interface AssessTaskResult {
  assessment: Assessment;
  /** Notes found in the recording, on the reference's time line (for the page's piano roll). */
  detected: { pitch: number; start: number; duration: number }[];
  offsetSec: number;
  durationSec: number;
}

serveWorkerTasks<AssessTask, AssessTaskResult>(({ wav, reference, options }) => {
  const audio = decodeWavMono(wav);
  const { assessment, alignment, detected } = assessRecording(audio, reference, options);
  const toReference = (t: number) => (t - alignment.offsetSec) / alignment.tempoRatio;
  return {
    assessment,
    detected: detected.map((n) => ({ pitch: n.pitch, start: toReference(n.start), duration: n.duration / alignment.tempoRatio })),
    offsetSec: alignment.offsetSec,
    durationSec: audio.samples.length / audio.sampleRate,
  };
});
