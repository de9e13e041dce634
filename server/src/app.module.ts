import { DynamicModule, Module, Type } from '@nestjs/common';
import { AiopsModule } from './aiops/aiops.module';
import { AppConfig } from './core/config/app-config';
import { CoreModule } from './core/core.module';
import { JobWorkersDrain } from './core/jobs/job-workers-drain';
import { EnsembleModule } from './ensemble/ensemble.module';
import { LogsModule } from './logs/logs.module';
import { MultimodalModule } from './multimodal/multimodal.module';
import { MusicModule } from './music/music.module';
import { TutorModule } from './tutor/tutor.module';

/** Feature modules are listed in FEATURES; the core is configured from the validated environment. */
const FEATURES: Type[] = [MusicModule, LogsModule, TutorModule, AiopsModule, EnsembleModule, MultimodalModule];

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: AppModule, imports: [CoreModule.forRoot(config), ...FEATURES], providers: [JobWorkersDrain] };
  }
}
