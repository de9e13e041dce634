import { ApiProperty } from '@nestjs/swagger';
import { EMOTION_NAMES, type EmotionName } from '../engine';

/** One emotion the composer knows, with its place on the valence/arousal plane. */
export class EmotionChoiceDto {
  @ApiProperty({ enum: EMOTION_NAMES, example: 'happy', description: 'The name to send as `emotion`' })
  name!: EmotionName;

  @ApiProperty({ example: 'Happy' })
  label!: string;

  @ApiProperty({ example: '开心', description: 'The Chinese name (accepted as `emotion` too)' })
  chinese!: string;

  @ApiProperty({ example: 0.8, minimum: -1, maximum: 1, description: 'Where the composer places this emotion: pleasantness' })
  valence!: number;

  @ApiProperty({ example: 0.5, minimum: -1, maximum: 1, description: 'Where the composer places this emotion: energy' })
  arousal!: number;
}

/** A General MIDI program offered for melody, harmony or bass. */
export class InstrumentChoiceDto {
  @ApiProperty({ example: 73, minimum: 0, maximum: 127, description: 'General MIDI program (send it in `instruments`)' })
  program!: number;

  @ApiProperty({ example: 'Flute', description: 'General MIDI level 1 name' })
  name!: string;
}

/** The bounds the request validators enforce. */
export class MusicRequestLimitsDto {
  @ApiProperty({ example: 10, description: 'Shortest piece (s)' })
  minDurationSec!: number;

  @ApiProperty({ example: 300, description: 'Longest piece (s)' })
  maxDurationSec!: number;

  @ApiProperty({ example: 40, description: 'Slowest tempo override (quarter-note BPM)' })
  minTempo!: number;

  @ApiProperty({ example: 220, description: 'Fastest tempo override (quarter-note BPM)' })
  maxTempo!: number;

  @ApiProperty({ example: 500, description: 'Longest topic (characters)' })
  maxTopicLength!: number;

  @ApiProperty({ example: 4294967295, description: 'Largest seed (the smallest is 0)' })
  maxSeed!: number;
}

/** What a music request can ask for: the emotions, instruments and limits, from the server's own tables. */
export class MusicCatalogDto {
  @ApiProperty({ type: [EmotionChoiceDto] })
  emotions!: EmotionChoiceDto[];

  @ApiProperty({ type: [InstrumentChoiceDto] })
  instruments!: InstrumentChoiceDto[];

  @ApiProperty({ type: MusicRequestLimitsDto })
  limits!: MusicRequestLimitsDto;
}
