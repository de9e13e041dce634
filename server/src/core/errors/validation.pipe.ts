import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { findUnsafeInput } from '../validation/unsafe-input';
import { FieldError, fieldProblem, fieldsProblem } from './problem';

/** Rules about what a value is at all: when one of them fails, the field's range and format rules say nothing more. */
const KIND_RULES = new Set(['isDefined', 'isString', 'isNumber', 'isInt', 'isBoolean', 'isArray', 'isObject', 'isEnum', 'isIn']);

/**
 * class-validator's nested errors as the problem body's `errors`: one `{ field, message }` per broken rule, dotted
 * paths; a field missing or of the wrong kind is told that alone, not also every range its value cannot be in.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const broken = Object.entries(error.constraints ?? {});
    const kind = broken.filter(([rule]) => KIND_RULES.has(rule));
    const own = (kind.length ? kind : broken).map(([, message]) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * In a request body `null` means the same as leaving the field out: @IsOptional() lets null through to the handler
 * while other validators treat it as given, and handlers check `=== undefined`. A required field sent as null is then
 * reported as missing, by name.
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item: unknown) => (item !== null && typeof item === 'object' ? withoutNulls(item) : item));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== null)
      .map(([key, field]: [string, unknown]) => [key, typeof field === 'object' ? withoutNulls(field) : field]),
  );
}

/**
 * The global pipe: refuses unsafe input (NUL, lone surrogates, prototype keys, hostile depth) before anything parses
 * it further, whitelists DTO fields and answers 400 problem+json naming every bad field.
 */
export class ProblemValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const unsafe = findUnsafeInput(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
      if (unsafe) return Promise.reject(fieldProblem(unsafe.field, unsafe.message));
    }
    return super.transform(metadata.type === 'body' ? withoutNulls(value) : value, metadata) as Promise<unknown>;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ProblemValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => fieldsProblem(flattenValidationErrors(errors)),
  });
}
