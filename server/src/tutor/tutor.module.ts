import { Module } from '@nestjs/common';
import { MusicModule } from '../music/music.module';
import { TutorAssessmentService } from './tutor-assessment.service';
import { TutorAssessor } from './tutor-assessor';
import { TutorAudioCache } from './tutor-audio.cache';
import { TutorController } from './tutor.controller';
import { TutorFsrsRefitProcessor } from './tutor-fsrs-refit.processor';
import { TutorSchedulerController } from './tutor-scheduler.controller';
import { TutorScheduler } from './tutor-scheduler.service';
import { TutorRepository } from './tutor.repository';
import { TutorService } from './tutor.service';

/**
 * The virtual music tutor: assessment of recordings (worker threads), the course map, today's plan, exercises with
 * audio (the music module's synthesizer, cached) and notation, attempts that update ability, FSRS cards and streaks,
 * and the operator's refit of the FSRS weights from the stored attempts (a job).
 */
@Module({
  imports: [MusicModule],
  controllers: [TutorController, TutorSchedulerController],
  providers: [TutorAssessor, TutorAssessmentService, TutorAudioCache, TutorRepository, TutorScheduler, TutorFsrsRefitProcessor, TutorService],
  exports: [TutorAssessmentService, TutorService],
})
export class TutorModule {}
