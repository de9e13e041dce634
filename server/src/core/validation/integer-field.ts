import { applyDecorators } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { registerDecorator, ValidateIf } from 'class-validator';

/** The largest page number a paged list accepts (page × pageSize stays far inside PostgreSQL's bigint). */
export const MAX_PAGE = 10_000;

export interface IntegerFieldOptions {
  min: number;
  max: number;
  /** Absent is allowed (then the DTO's initialiser, if any, is the default); null is not, unlike @IsOptional(). */
  optional?: boolean;
  /**
   * 'query' and 'path' values arrive as strings: only plain decimal digits become a number ("1e3", "0x10", " 7", "" and
   * arrays stay as they are and fail). 'body' values must already be JSON numbers.
   */
  in: 'query' | 'body';
  description?: string;
  example?: number;
  default?: number;
}

const DECIMAL = /^[+-]?\d+$/;

/** "42" → 42; anything that is not a plain decimal integer is left untouched for the validator to reject. */
export function parseDecimalInteger(value: unknown): unknown {
  return typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value;
}

export function isBoundedInteger(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

/** The one validator: a single message per field, so a problem's `errors` names it once. */
function IsBoundedInteger(min: number, max: number): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isBoundedInteger',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [min, max],
      options: { message: `${String(propertyName)} must be an integer from ${min} to ${max}` },
      validator: { validate: (value: unknown) => isBoundedInteger(value, min, max) },
    });
}

/**
 * A bounded integer field (page, pageSize, limits, counts, seeds): documented as `integer` with its range, parsed
 * strictly from query strings, and answered with 400 naming the field when missing, malformed or out of range.
 * Every integer a client sends goes through this, so no unbounded number reaches SQL or an allocation.
 */
export function IntegerField(options: IntegerFieldOptions): PropertyDecorator {
  const api: ApiPropertyOptions = {
    type: 'integer',
    minimum: options.min,
    maximum: options.max,
    required: !options.optional,
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(options.example !== undefined ? { example: options.example } : {}),
    ...(options.default !== undefined ? { default: options.default } : {}),
  };
  return applyDecorators(
    ApiProperty(api),
    ...(options.in === 'query' ? [Transform(({ value }: { value: unknown }) => parseDecimalInteger(value))] : []),
    ...(options.optional ? [ValidateIf((_object: object, value: unknown) => value !== undefined)] : []),
    IsBoundedInteger(options.min, options.max),
  );
}
