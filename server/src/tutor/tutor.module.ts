import { Module } from '@nestjs/common';
import { MusicModule } from '../music/music.module';
import { TutorAssessmentService } from './tutor-assessment.service';
import { TutorAssessor } from './tutor-assessor';
import { TutorAudioCache } from './tutor-audio.cache';
import { TutorController } from './tutor.controller';
import { TutorRepository } from './tutor.repository';
import { TutorService } from './tutor.service';

/**
 * The virtual music tutor: assessment of recordings (worker threads), the course map, today's plan, exercises with
 * audio (the music module's synthesizer, cached) and notation, attempts that update ability, FSRS cards and streaks.
 */
@Module({
  imports: [MusicModule],
  controllers: [TutorController],
  providers: [TutorAssessor, TutorAssessmentService, TutorAudioCache, TutorRepository, TutorService],
  exports: [TutorAssessmentService, TutorService],
})
export class TutorModule {}
