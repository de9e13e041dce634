import { HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ProblemException } from './problem';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** The global pipe: whitelists DTO fields and answers 400 problem+json naming every bad field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
