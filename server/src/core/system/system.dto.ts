import { ApiProperty } from '@nestjs/swagger';

export class LanguageModelInfoDto {
  @ApiProperty({ example: false })
  configured!: boolean;

  @ApiProperty({ example: 'gpt-4o-mini', nullable: true, type: String })
  model!: string | null;
}

export class SystemInfoDto {
  @ApiProperty({ example: 'xiaoyu-ai' })
  name!: string;

  @ApiProperty({ example: '0.1.0' })
  version!: string;

  @ApiProperty({ enum: ['api', 'worker', 'all'], example: 'all' })
  role!: string;

  @ApiProperty({ example: 'v20.20.2' })
  node!: string;

  @ApiProperty({ example: 3600 })
  uptimeSec!: number;

  @ApiProperty({ enum: ['postgresql', 'pglite'], example: 'pglite' })
  database!: string;

  @ApiProperty({ type: LanguageModelInfoDto })
  llm!: LanguageModelInfoDto;
}

export class QueueCountsDto {
  @ApiProperty({ example: 'music-generation' })
  name!: string;

  @ApiProperty({ example: 2 })
  waiting!: number;

  @ApiProperty({ example: 1 })
  active!: number;

  @ApiProperty({ example: 40 })
  completed!: number;

  @ApiProperty({ example: 0 })
  failed!: number;

  @ApiProperty({ example: 0 })
  delayed!: number;
}
