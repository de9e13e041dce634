import { Module } from '@nestjs/common';
import { AuthModule } from '../core/auth/auth.module';
import { AppConfig } from '../core/config/app-config';
import { quietRedis, redisOptionsFromUrl } from '../core/jobs/redis-connection';
import { MusicModule } from '../music/music.module';
import { EnsembleAccompanists } from './ensemble-accompanists.service';
import { EnsembleRecordingsService } from './ensemble-recordings.service';
import { EnsembleRenderProcessor } from './ensemble-render.processor';
import { EnsembleRoomsService } from './ensemble-rooms.service';
import { ENSEMBLE_KEY_PREFIX, ENSEMBLE_REDIS, EnsembleRoomsStore } from './ensemble-rooms.store';
import { EnsembleController } from './ensemble.controller';
import { EnsembleGateway } from './ensemble.gateway';
import { EnsembleHub } from './ensemble.hub';
import { EnsembleRepository } from './ensemble.repository';

/**
 * Real-time ensemble (docs/ensemble.md): rooms on the `/ensemble` Socket.IO namespace with a shared clock, the AI
 * accompanist as a server member (one replica per room, by lease), session recording to MIDI and audio, and REST for
 * the lobby and recordings. Rooms live in Redis so that every replica serves every room.
 */
@Module({
  imports: [AuthModule, MusicModule],
  controllers: [EnsembleController],
  providers: [
    {
      provide: ENSEMBLE_REDIS,
      inject: [AppConfig],
      // Auto-pipelining batches the note path's recording appends; a short retry budget turns an outage into 503 acks.
      useFactory: (config: AppConfig) => quietRedis({ ...redisOptionsFromUrl(config.REDIS_URL), enableAutoPipelining: true, maxRetriesPerRequest: 2 }),
    },
    { provide: ENSEMBLE_KEY_PREFIX, inject: [AppConfig], useFactory: (config: AppConfig) => config.QUEUE_PREFIX },
    EnsembleRoomsStore,
    EnsembleRepository,
    EnsembleHub,
    EnsembleRoomsService,
    EnsembleAccompanists,
    EnsembleRecordingsService,
    EnsembleRenderProcessor,
    EnsembleGateway,
  ],
})
export class EnsembleModule {}
