import { Injectable } from '@nestjs/common';
import type { MultipartForm } from '../core/http/multipart';
import type { AssessmentDto } from './dto/assessment.dto';
import { parseReference } from './tutor-forms';
import { TutorAssessor } from './tutor-assessor';

/** The public assessment: any client's recording against any reference melody (POST /api/tutor/assess). */
@Injectable()
export class TutorAssessmentService {
  constructor(private readonly assessor: TutorAssessor) {}

  async assess(form: MultipartForm): Promise<AssessmentDto> {
    const audio = form.files.audio!;
    const reference = parseReference(form.fields.reference);
    const { assessment } = await this.assessor.assess(audio.bytes, reference);
    return assessment;
  }
}
