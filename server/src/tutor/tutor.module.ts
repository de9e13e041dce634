import { Module } from '@nestjs/common';
import { TutorAssessmentService } from './tutor-assessment.service';
import { TutorAssessor } from './tutor-assessor';
import { TutorController } from './tutor.controller';

/** The virtual music tutor: assessment of recordings (worker threads), lessons, exercises and progress. */
@Module({
  controllers: [TutorController],
  providers: [TutorAssessor, TutorAssessmentService],
  exports: [TutorAssessmentService],
})
export class TutorModule {}
