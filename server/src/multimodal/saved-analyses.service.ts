import { randomUUID } from 'node:crypto';
import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../core/auth/auth.decorators';
import { fieldProblem } from '../core/errors/problem';
import { MusicGenerationService, type SubmitOutcome } from '../music/music.service';
import type { AnalyzeInput } from './analyze-input';
import type { MusicFromMoodDto, SavedAnalysisDto, SavedAnalysisPageDto } from './dto/saved-analysis.dto';
import { MultimodalAnalysisService } from './multimodal-analysis.service';
import { MultimodalRepository, type SavedAnalysisRow } from './multimodal.repository';
import { MultimodalStorage, type AnalysisFileKind, type StoredFile } from './multimodal.storage';

const DEFAULT_PIECE_SEC = 30;

/** Analyses the user chose to keep (with their picture and recording), and music made from a mood. */
@Injectable()
export class SavedAnalysesService {
  private readonly logger = new Logger(SavedAnalysesService.name);

  constructor(
    private readonly analysis: MultimodalAnalysisService,
    private readonly repository: MultimodalRepository,
    private readonly storage: MultimodalStorage,
    private readonly generations: MusicGenerationService,
  ) {}

  /** Analyses the input and keeps the result with the files it came from. */
  async save(user: AuthUser, input: AnalyzeInput): Promise<SavedAnalysisDto> {
    // The page analysed this recording already (and learnt from it); saving reads it again without counting it twice.
    const result = await this.analysis.analyze(input, user.id, { learnVoice: false });
    const id = randomUUID();
    try {
      // A disk that fills up after the first file, or a failed insert, leaves nothing behind.
      await this.storage.saveAnalysis(id, {
        ...(input.image ? { [input.image.type]: input.image.bytes } : {}),
        ...(input.audio ? { audio: input.audio.bytes } : {}),
      });
      const row = await this.repository.insertAnalysis({
        id,
        userId: user.id,
        result,
        text: input.text ?? null,
        image: input.image ? { type: input.image.type, width: input.image.width, height: input.image.height } : null,
        audioDurationSec: input.audio ? round(input.audio.durationSec, 3) : null,
      });
      return savedAnalysisOf(row);
    } catch (error) {
      await this.storage.removeAnalysis(id);
      throw error;
    }
  }

  async list(user: AuthUser, page = 1, pageSize = 20): Promise<SavedAnalysisPageDto> {
    const { rows, total } = await this.repository.listAnalyses(user.id, (page - 1) * pageSize, pageSize);
    return { items: rows.map(savedAnalysisOf), total, page, pageSize };
  }

  async get(user: AuthUser, id: string): Promise<SavedAnalysisDto> {
    return savedAnalysisOf(await this.owned(user, id));
  }

  async file(user: AuthUser, id: string, which: 'image' | 'audio'): Promise<StoredFile> {
    const row = await this.owned(user, id);
    const kind: AnalysisFileKind | undefined = which === 'image' ? row.image?.type : row.audioDurationSec !== null ? 'audio' : undefined;
    const file = kind && (await this.storage.locateAnalysis(id, kind));
    if (!file) throw new NotFoundException(`Analysis ${id} has no ${which}.`);
    return file;
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    if (!(await this.repository.deleteAnalysis(id, user.id))) throw new NotFoundException(`No saved analysis ${id}.`);
    await this.storage.removeAnalysis(id).catch((error: Error) => this.logger.warn(`Files of deleted analysis ${id} remain: ${error.message}`));
  }

  /** A piece for the fused mood, through the music module's generation (its job, its quota, its cache when a seed is given). */
  async makeMusic(user: AuthUser, dto: MusicFromMoodDto): Promise<SubmitOutcome> {
    let valence = dto.valence;
    let arousal = dto.arousal;
    if (dto.analysisId !== undefined) {
      if (valence !== undefined || arousal !== undefined) {
        const field = valence !== undefined ? 'valence' : 'arousal';
        throw fieldProblem(field, `${field} cannot be given with analysisId: give either analysisId or valence and arousal`);
      }
      ({ valence, arousal } = (await this.owned(user, dto.analysisId)).result.fused);
    }
    return this.generations.generateFromEmotion(user, {
      valence: clamp(valence ?? 0),
      arousal: clamp(arousal ?? 0),
      durationSec: dto.durationSec ?? DEFAULT_PIECE_SEC,
      seed: dto.seed,
    });
  }

  private async owned(user: AuthUser, id: string): Promise<SavedAnalysisRow> {
    const row = await this.repository.findAnalysis(id, user.id);
    if (!row) throw new NotFoundException(`No saved analysis ${id}.`);
    return row;
  }
}

function savedAnalysisOf(row: SavedAnalysisRow): SavedAnalysisDto {
  const base = `/api/multimodal/analyses/${row.id}`;
  return {
    id: row.id,
    analysis: row.result,
    ...(row.text !== null ? { text: row.text } : {}),
    ...(row.image ? { image: { url: `${base}/image`, ...row.image } } : {}),
    ...(row.audioDurationSec !== null ? { audio: { url: `${base}/audio`, durationSec: row.audioDurationSec } } : {}),
    createdAt: row.createdAt.toISOString(),
  };
}

function clamp(x: number): number {
  return Math.max(-1, Math.min(1, Math.round(x * 1000) / 1000));
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
