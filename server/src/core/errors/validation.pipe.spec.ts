import { ArgumentMetadata } from '@nestjs/common';
import { IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ProblemException } from './problem';
import { createValidationPipe, withoutNulls } from './validation.pipe';

class TopicDto {
  @IsString()
  topic!: string;

  @IsOptional()
  @IsString()
  mood?: string;
}

const body: ArgumentMetadata = { type: 'body', metatype: TopicDto };

class LevelDto {
  @IsString()
  @MaxLength(20)
  name!: string;

  @IsNumber()
  @Min(0)
  @Max(1)
  level!: number;
}

async function messagesFor(metatype: new () => object, value: unknown): Promise<string[]> {
  try {
    await createValidationPipe().transform(value, { type: 'body', metatype });
    return [];
  } catch (error) {
    return ((error as ProblemException).problem.errors ?? []).map((e) => `${e.field}: ${e.message}`);
  }
}

async function fieldsRejected(value: unknown): Promise<string[]> {
  try {
    await createValidationPipe().transform(value, body);
    return [];
  } catch (error) {
    return ((error as ProblemException).problem.errors ?? []).map((e) => e.field);
  }
}

describe('the global validation pipe', () => {
  it('treats null in a body as an absent field', async () => {
    expect(withoutNulls({ a: null, b: { c: null, d: 1 }, e: [null, { f: null }] })).toEqual({ b: { d: 1 }, e: [null, {}] });
    expect(await fieldsRejected({ topic: 'rain', mood: null })).toEqual([]);
    expect(await fieldsRejected({ topic: null })).toEqual(['topic']);
  });

  it('names the field holding text no store keeps, before class-validator runs', async () => {
    expect(await fieldsRejected({ topic: 'rain\u0000' })).toEqual(['topic']);
    expect(await fieldsRejected({ topic: 'rain', mood: 'x\ud800' })).toEqual(['mood']);
  });

  it('tells a missing or wrongly typed field that alone, and a value out of range its range', async () => {
    expect(await messagesFor(LevelDto, {})).toEqual(['name: name must be a string', 'level: level must be a number conforming to the specified constraints']);
    expect(await messagesFor(LevelDto, { name: 'x'.repeat(21), level: 2 })).toEqual([
      'name: name must be shorter than or equal to 20 characters',
      'level: level must not be greater than 1',
    ]);
  });

  it('names an unknown field, including the `constructor` key the whitelist misses', async () => {
    expect(await fieldsRejected({ topic: 'rain', extra: 1 })).toEqual(['extra']);
    expect(await fieldsRejected({ topic: 'rain', constructor: 1 })).toEqual(['constructor']);
  });
});
