import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FsrsQualityDto {
  @ApiProperty({ example: 0.3321, description: 'Mean log loss of predicted recall on the held-out reviews (lower is better)' })
  logLoss!: number;
  @ApiProperty({ example: 0.0451, description: "RMSE of predicted against actual recall over FSRS's bins" })
  rmseBins!: number;
}

export class FsrsHeldOutDto {
  @ApiProperty({ example: 120, description: 'Cards (learner × item) held out from the fit: every fifth, by a hash' })
  cards!: number;
  @ApiProperty({ example: 310, description: 'Long-term reviews among them' })
  reviews!: number;
  @ApiPropertyOptional({ type: FsrsQualityDto, description: 'The weights in use before this refit, on the held-out reviews' })
  current?: FsrsQualityDto;
  @ApiPropertyOptional({ type: FsrsQualityDto, description: 'The newly fitted weights on the held-out reviews' })
  fitted?: FsrsQualityDto;
  @ApiPropertyOptional({
    example: 2.9,
    description:
      "How surely the fitted weights predict better: the held-out cards' paired log-loss differences, their mean over its standard error; weights are taken from 1.645",
  })
  z?: number;
}

export class FsrsLearnerFitsDto {
  @ApiProperty({ example: 3, description: 'Learners with enough long-term reviews of their own for weights of their own' })
  eligible!: number;
  @ApiProperty({
    example: 2,
    description:
      'Of those, the learners whose own weights predicted their held-out cards better than the weights they were scheduled with, and who are scheduled with them from now on',
  })
  accepted!: number;
}

export class ItemRefitHeldOutDto {
  @ApiProperty({ example: 7, description: 'Learners held out (one in five, by a hash of their id)' })
  learners!: number;
  @ApiProperty({ example: 12780, description: 'Their attempts' })
  attempts!: number;
  @ApiPropertyOptional({ example: 0.4895, description: 'Mean log loss of those attempts with the item difficulties in use' })
  current?: number;
  @ApiPropertyOptional({ example: 0.4766, description: 'With difficulties refitted without those learners' })
  refitted?: number;
  @ApiPropertyOptional({ example: 11.4, description: "The learners' paired log-loss differences, their mean over its standard error; taken from 1.645" })
  z?: number;
}

export class ItemRefitDto {
  @ApiProperty({ description: 'Whether the planner now uses the refitted item difficulties' })
  accepted!: boolean;
  @ApiProperty({
    example:
      'Refitted item difficulties predicted held-out learners better (log loss 0.4766 against 0.4895 on 12780 attempts of 7 held-out learners; z 11.36).',
  })
  reason!: string;
  @ApiProperty({ example: 139, description: 'Items whose difficulty was replaced (0 when not taken)' })
  refitted!: number;
  @ApiProperty({ type: ItemRefitHeldOutDto })
  heldOut!: ItemRefitHeldOutDto;
}

export class FsrsFitDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The operator who started it; null for the periodic refit (or a deleted user)' })
  requestedBy!: string | null;
  @ApiProperty({ description: 'Whether the planner now schedules with these weights' })
  accepted!: boolean;
  @ApiProperty({ example: 'The fitted weights predicted the held-out reviews better (log loss 0.3228 against 0.3322).' })
  reason!: string;
  @ApiProperty({ type: [Number], description: 'FSRS-6 weights scheduled with after this refit (21 numbers)' })
  weights!: number[];
  @ApiProperty({ example: 42 })
  learners!: number;
  @ApiProperty({ example: 610, description: 'Cards: one per learner and item practised' })
  cards!: number;
  @ApiProperty({ example: 1520, description: 'Long-term reviews (a day or more after the previous one) over all cards' })
  reviews!: number;
  @ApiProperty({ type: FsrsHeldOutDto })
  heldOut!: FsrsHeldOutDto;
  @ApiProperty({ type: FsrsLearnerFitsDto, description: "The learners' own weights, fitted after the shared ones" })
  learnerFits!: FsrsLearnerFitsDto;
  @ApiPropertyOptional({ type: ItemRefitDto, description: 'The item difficulties refitted from every attempt (absent in refits before it was added)' })
  items?: ItemRefitDto;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class TutorSchedulerDto {
  @ApiProperty({ enum: ['default', 'refit'], description: "FSRS-6's published weights, or the latest accepted refit" })
  source!: 'default' | 'refit';
  @ApiProperty({ type: [Number], description: 'The FSRS-6 weights the planner schedules reviews with' })
  weights!: number[];
  @ApiProperty({ example: 0.9, description: 'Target probability of recall at review time' })
  requestRetention!: number;
  @ApiProperty({ example: 400, description: 'Long-term reviews a refit needs before it fits anything' })
  minReviews!: number;
  @ApiProperty({ example: 604800000, description: 'How often the worker refits on its own (TUTOR_FSRS_REFIT_INTERVAL_MS); 0: only when an operator asks' })
  refitIntervalMs!: number;
  @ApiProperty({ example: 1520, description: 'Long-term reviews in the logs now' })
  reviews!: number;
  @ApiProperty({ example: 2, description: 'Learners scheduled with weights of their own (the others with the shared weights above)' })
  learnersWithOwnWeights!: number;
  @ApiProperty({ type: [FsrsFitDto], description: 'The latest refits, newest first (taken or not)' })
  fits!: FsrsFitDto[];
}
