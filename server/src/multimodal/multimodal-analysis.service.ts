import { HttpStatus, Injectable } from '@nestjs/common';
import { ProblemException } from '../core/errors/problem';
import { contractOf } from './analysis-contract';
import type { AnalyzeInput } from './analyze-input';
import { UndecodableInputError, type Modality, type MultimodalAnalysis } from './engine/types';
import { MultimodalEngines } from './multimodal-engines';
import { SpeakerBaselines } from './speaker-baselines';

/** The form field each modality comes from, to name it in errors. */
export const FIELD_OF: Record<Modality, 'image' | 'audio' | 'text'> = { face: 'image', voice: 'audio', text: 'text' };

/**
 * Runs the recognisers of the modalities present and fuses their results; stores nothing but each user's running
 * voice baseline (a feature mean in memory), which lets the voice recogniser read a user's emotion relative to how
 * they usually sound once it has heard a few of their recordings.
 */
@Injectable()
export class MultimodalAnalysisService {
  private readonly speakers = new SpeakerBaselines();

  constructor(private readonly engines: MultimodalEngines) {}

  async analyze(input: AnalyzeInput, userId?: string): Promise<MultimodalAnalysis> {
    const fusion = this.engines.fusion();
    fusion.catch(() => undefined); // awaited below, after the recognisers have had their say about the input
    const [face, voice, text] = await Promise.all([
      input.image && this.engines.face().then((engine) => recognise('face', () => engine.analyze(input.image!.bytes))),
      input.audio &&
        this.engines.voice().then((engine) => {
          const speaker = userId && engine.newSpeakerBaseline ? this.speakers.of(userId, () => engine.newSpeakerBaseline!()) : undefined;
          return recognise('voice', () => engine.analyze(input.audio!.bytes, speaker));
        }),
      input.text !== undefined ? this.engines.text().then((engine) => recognise('text', () => engine.analyze(input.text!))) : undefined,
    ]);
    const parts = { ...(face ? { face } : {}), ...(voice ? { voice } : {}), ...(text ? { text } : {}) };
    return contractOf(parts, (await fusion)(parts));
  }
}

/** A recogniser that cannot decode its input is the client's mistake: 400 naming the field. */
async function recognise<T>(modality: Modality, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UndecodableInputError) {
      const field = FIELD_OF[error.modality] ?? FIELD_OF[modality];
      const message = `${field} cannot be decoded: ${error.message}`;
      throw new ProblemException(HttpStatus.BAD_REQUEST, `${capitalise(message)}.`, { errors: [{ field, message }] });
    }
    throw error;
  }
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
