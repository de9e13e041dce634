import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'durationSec' })
  field!: string;

  @ApiProperty({ example: 'durationSec must not be greater than 300' })
  message!: string;
}

/** RFC 9457 problem details: the body of every error response (application/problem+json). */
export class ProblemDto {
  @ApiProperty({ example: 'about:blank' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'durationSec must not be greater than 300.' })
  detail!: string;

  @ApiProperty({ example: '/api/music/generate/emotion' })
  instance!: string;

  @ApiProperty({ example: '0b7e2f3c-1f0e-4a49-9a7e-0d3c2e8b1a55' })
  requestId!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto] })
  errors?: FieldErrorDto[];
}
