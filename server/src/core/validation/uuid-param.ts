import { ArgumentMetadata, Injectable, Param, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { fieldProblem } from '../errors/problem';

/** Any UUID in its text form, the nil UUID too: an id this API never handed out is then a 404, not a 400. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** 400 problem+json naming the path parameter when it is not a UUID (every id this API hands out is one). */
@Injectable()
export class UuidPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (isUuid(value)) return value.toLowerCase();
    const field = metadata.data ?? 'id';
    throw fieldProblem(field, `${field} must be a UUID`);
  }
}

/**
 * A UUID path parameter: `@UuidParam() id: string` (or `@UuidParam('generationId')`). Validated by UuidPipe and
 * documented in OpenAPI as `format: uuid`, so clients and the fuzz suite know what a valid one looks like.
 */
export function UuidParam(name = 'id'): ParameterDecorator {
  return (target: object, key: string | symbol | undefined, index: number) => {
    Param(name, UuidPipe)(target, key, index);
    if (key === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (descriptor) ApiParam({ name, type: String, format: 'uuid', required: true })(target, key, descriptor);
  };
}
