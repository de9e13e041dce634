import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const NOTE_VERDICTS = ['correct', 'wrong-pitch', 'early', 'late', 'missed'] as const;

/** The multipart form of POST /api/tutor/assess (documentation only: the body is read by the core multipart reader). */
export class AssessRequestDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'A WAV file: PCM 16-bit or 32-bit float (also 8/24/32-bit PCM, 64-bit float), mono or stereo, 8–48 kHz, at most 60 s',
  })
  audio!: Blob;

  @ApiProperty({
    description:
      'JSON text: { "notes": [ { "pitch": <MIDI int>, "start": <s>, "duration": <s> } ] }; pitch 0–127, judged over the piano\'s range and a little beyond (G0–E8: voices and instruments from a bass guitar\'s low E to the top of the piano)',
    example: '{"notes":[{"pitch":60,"start":0,"duration":0.5},{"pitch":62,"start":0.5,"duration":0.5}]}',
  })
  reference!: string;
}

export class ReferenceNoteDto {
  @ApiProperty({ example: 64, description: 'MIDI note number' })
  pitch!: number;
  @ApiProperty({ example: 1.5, description: 'Onset (s)' })
  start!: number;
  @ApiProperty({ example: 0.5, description: 'Length (s)' })
  duration!: number;
}

export class NoteVerdictDto {
  @ApiProperty({ example: 0, description: 'Index of the reference note (one entry per reference note, in the order given)' })
  index!: number;
  @ApiProperty({ enum: NOTE_VERDICTS, example: 'correct', description: 'wrong-pitch takes precedence over early/late' })
  verdict!: (typeof NOTE_VERDICTS)[number];
  @ApiPropertyOptional({ example: 64.12, description: 'Pitch sung or played (fractional MIDI); absent when missed' })
  detectedPitch?: number;
  @ApiPropertyOptional({ example: 12, description: 'Detected minus reference pitch (cents)' })
  pitchErrorCents?: number;
  @ApiPropertyOptional({ example: -35, description: 'Onset minus the aligned reference onset (ms; negative = early)' })
  onsetErrorMs?: number;
}

/** The assessment of one performance against a reference melody. */
export class AssessmentDto {
  @ApiProperty({ example: 87, minimum: 0, maximum: 100 })
  score!: number;
  @ApiProperty({ type: [NoteVerdictDto] })
  notes!: NoteVerdictDto[];
  @ApiProperty({ type: [ReferenceNoteDto], description: 'Played notes that match no reference note (nearest MIDI pitch, times on the reference time line)' })
  extra!: ReferenceNoteDto[];
  @ApiProperty({ type: [String], example: ['7 of 8 notes were right.', 'Note 5 (G4) was a semitone too high: you hit G#4.'] })
  feedback!: string[];
}
