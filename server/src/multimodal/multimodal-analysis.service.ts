import { Injectable } from '@nestjs/common';
import { fieldProblem } from '../core/errors/problem';
import { contractOf } from './analysis-contract';
import type { AnalyzeInput } from './analyze-input';
import { UndecodableInputError, type Modality, type MultimodalAnalysis, type VoiceAnalysis, type VoiceEmotionEngine } from './engine/types';
import { MultimodalEngines } from './multimodal-engines';
import { VoiceBaselinesRepository } from './voice-baselines.repository';

/** The form field each modality comes from, to name it in errors. */
export const FIELD_OF: Record<Modality, 'image' | 'audio' | 'text'> = { face: 'image', voice: 'audio', text: 'text' };

/** How an analysis treats the user's voice baseline. */
export interface AnalyzeOptions {
  /**
   * Add the recording to the user's baseline before reading it (false when the same recording, already heard, is
   * analysed again to be saved: it is read against the baseline as it is, so the saved reading is the one shown).
   */
  learnVoice?: boolean;
}

/**
 * Runs the recognisers of the modalities present and fuses their results; stores nothing but each user's running
 * voice baseline (a feature mean in the database), which lets the voice recogniser read a user's emotion relative to
 * how they usually sound once it has heard a few of their recordings.
 */
@Injectable()
export class MultimodalAnalysisService {
  constructor(
    private readonly engines: MultimodalEngines,
    private readonly baselines: VoiceBaselinesRepository,
  ) {}

  async analyze(input: AnalyzeInput, userId?: string, options: AnalyzeOptions = {}): Promise<MultimodalAnalysis> {
    const fusion = this.engines.fusion();
    fusion.catch(() => undefined); // awaited below, after the recognisers have had their say about the input
    const [face, voice, text] = await Promise.all([
      input.image && this.engines.face().then((engine) => recognise('face', () => engine.analyze(input.image!.bytes))),
      input.audio && this.engines.voice().then((engine) => this.readVoice(engine, input.audio!.bytes, userId, options.learnVoice ?? true)),
      input.text !== undefined ? this.engines.text().then((engine) => recognise('text', () => engine.analyze(input.text!))) : undefined,
    ]);
    const parts = { ...(face ? { face } : {}), ...(voice ? { voice } : {}), ...(text ? { text } : {}) };
    return contractOf(parts, (await fusion)(parts));
  }

  /** Forgets how the user's voice usually sounds: their next recordings are read as a new speaker's. */
  forgetVoice(userId: string): Promise<void> {
    return this.baselines.forget(userId);
  }

  private async readVoice(engine: VoiceEmotionEngine, wav: Uint8Array, userId: string | undefined, learn: boolean): Promise<VoiceAnalysis> {
    if (!userId || !engine.newSpeakerBaseline) return recognise('voice', () => engine.analyze(wav));
    const stored = await this.baselines.find(userId);
    const speaker = engine.newSpeakerBaseline(stored);
    const result = await recognise('voice', () => engine.analyze(wav, speaker, { learn }));
    if (learn) await this.baselines.save(userId, speaker.state(), stored?.recordings);
    return result;
  }
}

/** A recogniser that cannot decode its input is the client's mistake: 400 naming the field. */
async function recognise<T>(modality: Modality, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UndecodableInputError) {
      const field = FIELD_OF[error.modality] ?? FIELD_OF[modality];
      throw fieldProblem(field, `${field} cannot be decoded: ${error.message}`);
    }
    throw error;
  }
}
