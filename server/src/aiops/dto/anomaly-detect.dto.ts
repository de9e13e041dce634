import { ApiProperty } from '@nestjs/swagger';

/** Documentation classes only: the body is checked by `parseDetectBody` (class-validator on 200,000 nested objects is too slow). */
export class AnomalyPointDto {
  @ApiProperty({
    oneOf: [{ type: 'string', format: 'date-time' }, { type: 'number' }],
    example: '2026-11-29T12:00:00Z',
    description: 'ISO-8601 date or epoch ms',
  })
  timestamp!: string | number;

  @ApiProperty({ example: 42.5, description: 'A finite number' })
  value!: number;
}

export class AnomalyDetectRequestDto {
  @ApiProperty({ type: [AnomalyPointDto], minItems: 1, maxItems: 200_000, description: 'The series, in time order; scored causally point by point' })
  points!: AnomalyPointDto[];
}

export class AnomalySpanDto {
  @ApiProperty({ example: 120, description: 'Index of the first point at or above the threshold' })
  start!: number;

  @ApiProperty({ example: 124, description: 'Index of the last point of the span (inclusive)' })
  end!: number;

  @ApiProperty({ example: 0.83, description: 'Highest score in the span' })
  score!: number;
}

export class AnomalyDetectResultDto {
  @ApiProperty({ type: [Number], example: [0, 0, 0.12, 0.91], description: '0..1 per point, same order as the input; point i uses points 0..i only' })
  scores!: number[];

  @ApiProperty({ example: 0.58, description: 'Scores at or above this are anomalies' })
  threshold!: number;

  @ApiProperty({ type: [AnomalySpanDto] })
  anomalies!: AnomalySpanDto[];
}
