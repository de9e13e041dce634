import { Module } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { MusicModule } from '../music/music.module';
import { MultimodalAnalysisService } from './multimodal-analysis.service';
import { multimodalEngineLoaders } from './multimodal-engine-loaders';
import { MULTIMODAL_ENGINE_LOADERS, MultimodalEngines } from './multimodal-engines';
import { MultimodalController } from './multimodal.controller';
import { MultimodalRepository } from './multimodal.repository';
import { MultimodalStorage } from './multimodal.storage';
import { SavedAnalysesService } from './saved-analyses.service';
import { StoriesController } from './stories.controller';
import { StoriesService } from './stories.service';
import { StoryProcessor } from './story.processor';
import { StoryRunner } from './story.runner';
import { VoiceBaselinesRepository } from './voice-baselines.repository';

/**
 * Multimodal emotion: face, voice and text recognised and fused (`POST /api/multimodal/analyze`), saved analyses,
 * music from a mood, and the storyteller whose music follows a story.
 */
@Module({
  imports: [MusicModule],
  controllers: [MultimodalController, StoriesController],
  providers: [
    MultimodalAnalysisService,
    SavedAnalysesService,
    MultimodalRepository,
    VoiceBaselinesRepository,
    MultimodalStorage,
    MultimodalEngines,
    StoriesService,
    StoryRunner,
    StoryProcessor,
    { provide: MULTIMODAL_ENGINE_LOADERS, inject: [AppConfig], useFactory: multimodalEngineLoaders },
  ],
})
export class MultimodalModule {}
