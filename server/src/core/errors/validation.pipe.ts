import { ArgumentMetadata, HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { findUnsafeInput } from '../validation/unsafe-input';
import { FieldError, ProblemException } from './problem';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * The global pipe: refuses unsafe input (NUL, lone surrogates, prototype keys, hostile depth) before anything parses
 * it further, whitelists DTO fields and answers 400 problem+json naming every bad field.
 */
export class ProblemValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const unsafe = findUnsafeInput(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
      if (unsafe) return Promise.reject(new ProblemException(HttpStatus.BAD_REQUEST, `${unsafe.message}.`, { errors: [unsafe] }));
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ProblemValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      const detail =
        fieldErrors.length === 1
          ? `${fieldErrors[0].message}.`
          : `${fieldErrors.length} problems in the request: ${fieldErrors.map((e) => e.message).join('; ')}.`;
      return new ProblemException(HttpStatus.BAD_REQUEST, detail, { errors: fieldErrors });
    },
  });
}
