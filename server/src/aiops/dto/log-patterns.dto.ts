import { ApiProperty } from '@nestjs/swagger';

/** Documentation classes only: the body is checked by `parseLinesBody`. */
export class LogPatternsRequestDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 50_000, example: ['Connection from 10.0.0.1 closed', 'Connection from 10.0.0.7 closed'] })
  lines!: string[];
}

export class LogTemplateDto {
  @ApiProperty({ example: 'T1' })
  id!: string;

  @ApiProperty({ example: 'Connection from <*> closed', description: 'The message with <*> for each variable part' })
  template!: string;

  @ApiProperty({ example: 2 })
  count!: number;
}

export class LogPatternsResultDto {
  @ApiProperty({ type: [LogTemplateDto] })
  templates!: LogTemplateDto[];

  @ApiProperty({ type: [String], example: ['T1', 'T1'], description: 'Template id per line, same order as the input' })
  assignments!: string[];
}
