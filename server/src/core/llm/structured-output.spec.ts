import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { describeSchema, extractJsonObject, parseStructuredOutput } from './structured-output';

enum Mood {
  Calm = 'calm',
  Tense = 'tense',
}

class Chord {
  @IsString() @Length(1, 8) symbol!: string;
}

class Analysis {
  @ApiProperty({ example: 'Night rain' }) @IsString() @MaxLength(40) title!: string;
  @IsEnum(Mood) mood!: Mood;
  @IsOptional() @IsBoolean() minor?: boolean;
  @IsArray() @IsString({ each: true }) @ArrayMaxSize(4) keywords!: string[];
  @ValidateNested({ each: true }) @Type(() => Chord) chords!: Chord[];
}

describe('extractJsonObject', () => {
  it.each([
    ['plain JSON', '{"a":1}'],
    ['a ```json fence', '```json\n{"a":1}\n```'],
    ['a bare ``` fence with prose around it', 'Sure!\n```\n{"a":1}\n```\nEnjoy.'],
    ['prose before the object', 'Here is the JSON: {"a":1}'],
    ['a <think> block before the object', '<think>the user wants {"a":0}</think>\n{"a":1}'],
  ])('reads %s', (_case, content) => {
    expect(extractJsonObject(content)).toEqual({ ok: true, value: { a: 1 } });
  });

  it.each([
    ['an empty reply', '   ', 'empty'],
    ['truncated JSON', '{"a": 1,', 'not valid JSON'],
    ['an array', '[1, 2]', 'one JSON object'],
    ['a string', '"text"', 'one JSON object'],
  ])('rejects %s', (_case, content, problem) => {
    const result = extractJsonObject(content);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toContain(problem);
  });
});

describe('parseStructuredOutput', () => {
  it('lists each failed constraint with its path, including nested items', async () => {
    const result = await parseStructuredOutput(
      JSON.stringify({ title: 'x'.repeat(41), mood: 'happy', keywords: ['a', 2], chords: [{ symbol: 'Am' }, { symbol: '' }] }),
      Analysis,
    );

    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'title: title must be shorter than or equal to 40 characters',
        expect.stringMatching(/^mood: mood must be one of the following values: calm, tense/),
        'keywords: each value in keywords must be a string',
        'chords.1.symbol: symbol must be longer than or equal to 1 characters',
      ]),
    );
  });

  it('strips fields the schema does not declare', async () => {
    const result = await parseStructuredOutput(JSON.stringify({ title: 'Rain', mood: 'calm', keywords: [], chords: [], __proto__x: 1, admin: true }), Analysis);

    expect(result.ok && result.value).toEqual(Object.assign(new Analysis(), { title: 'Rain', mood: 'calm', keywords: [], chords: [] }));
  });
});

describe('describeSchema', () => {
  it('describes every validated field for the system prompt', () => {
    expect(describeSchema(Analysis)).toEqual([
      '- "title": string, required, at most 40 characters, e.g. "Night rain"',
      '- "mood": one of "calm", "tense", required',
      '- "minor": boolean, optional',
      '- "keywords": array of string, required, at most 4 items',
      '- "chords": array of object, required',
      '  each object has:',
      '    - "symbol": string, required, 1-8 characters',
    ]);
  });
});
