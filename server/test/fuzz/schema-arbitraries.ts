import fc from 'fast-check';
import type { Schema } from './openapi-operations';

/** Strings an attacker or a careless client sends: empty, NUL, right-to-left, lone surrogates, injections, look-alike digits. */
export const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202eevil\u202c',
  'مرحبا بالعالم',
  '𝄞🎵👩🏽‍🎤',
  '\ud800',
  'x\udfff',
  'e\u0301\u0301\u0301',
  '\u200b\u200d\ufeff',
  '%00',
  '%zz',
  '../../../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  '${7*7}{{7*7}}',
  'line\r\nX-Injected: 1',
  'null',
  'NaN',
  '-0',
  '１２３',
  '\\',
  '"',
];

export const oddString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ODD_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(100_000), '字'.repeat(30_000), '\u202e'.repeat(5_000)) },
  );

/** A schema whose every value inside its bounds is acceptable to the server (so generated values stay valid). */
export function isFullyConstrained(schema: Schema): boolean {
  if (schema.enum?.length) return true;
  if (schema.type === 'boolean') return true;
  if (schema.type === 'integer' || schema.type === 'number') return schema.minimum !== undefined && schema.maximum !== undefined;
  if (schema.type === 'string') return ['uuid', 'email', 'date-time'].includes(schema.format ?? '');
  return false;
}

const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));

function exclusive(bound: number | boolean | undefined): boolean {
  return bound === true || typeof bound === 'number';
}

/** Values valid for the schema (examples where the schema alone cannot say what the server accepts). */
export function validValue(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if (schema.example !== undefined && !isFullyConstrained(schema)) return fc.constant(schema.example);
  switch (schema.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = Math.ceil(schema.minimum ?? 0) + (exclusive(schema.exclusiveMinimum) ? 1 : 0);
      const max = Math.floor(schema.maximum ?? min + 1000) - (exclusive(schema.exclusiveMaximum) ? 1 : 0);
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
    }
    case 'number': {
      const min = schema.minimum ?? 0;
      const max = schema.maximum ?? min + 1000;
      const bounds = [...(exclusive(schema.exclusiveMinimum) ? [] : [min]), ...(exclusive(schema.exclusiveMaximum) ? [] : [max])];
      const inside = fc.double({
        min,
        max,
        noNaN: true,
        noDefaultInfinity: true,
        minExcluded: exclusive(schema.exclusiveMinimum),
        maxExcluded: exclusive(schema.exclusiveMaximum),
      });
      return bounds.length ? fc.oneof(inside, fc.constantFrom(...bounds)) : inside;
    }
    case 'string':
      return validString(schema);
    case 'array': {
      const items = schema.items ?? {};
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.min(schema.maxItems ?? minLength + 3, minLength + 3);
      return fc.array(validValue(items), { minLength, maxLength });
    }
    case 'object':
      return validObject(schema);
    default:
      return fc.constant(schema.default ?? {});
  }
}

function validString(schema: Schema): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'email':
      return fc
        .tuple(fc.string({ unit: alnum, minLength: 1, maxLength: 16 }), fc.string({ unit: alnum, minLength: 1, maxLength: 10 }))
        .map(([user, host]) => `${user}@${host}.test`);
    case 'date-time':
      return fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'binary':
      return fc.constant('');
  }
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  const minLength = Math.max(schema.minLength ?? 1, 1);
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, minLength + 40));
  return fc.string({ unit: alnum, minLength, maxLength });
}

/** Required properties always; optional ones when documented by an example or fully constrained (then sometimes). */
export function validObject(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(schema.properties ?? {}).filter(([, property]) => property.format !== 'binary');
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  const optionalKeys: string[] = [];
  for (const [key, property] of entries) {
    if (required.has(key)) record[key] = validValue(property);
    else if (property.example !== undefined && !isFullyConstrained(property)) record[key] = fc.constant(property.example);
    else if (isFullyConstrained(property)) {
      record[key] = validValue(property);
      optionalKeys.push(key);
    }
  }
  return fc.record(record, { requiredKeys: Object.keys(record).filter((key) => !optionalKeys.includes(key)) });
}

/**
 * A documented example request, with every fully constrained field it sets sometimes replaced by another valid
 * value: the example keeps the cross-field rules a schema cannot state (either `emotion` or `valence` and `arousal`).
 */
export function variedExample(example: Record<string, unknown>, schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, value] of Object.entries(example)) {
    const property = schema.properties?.[key];
    record[key] = property && isFullyConstrained(property) ? fc.oneof(fc.constant(value), validValue(property)) : fc.constant(value);
  }
  return fc.record(record);
}

/** A JSON value of another type than the schema's (the wrong-type mutation); undefined when the schema has no type. */
export function wrongType(schema: Schema): fc.Arbitrary<unknown> | undefined {
  const candidates: Record<string, unknown[]> = {
    string: [42, true, { $gt: '' }, ['a'], 0],
    number: ['12', true, { $gt: 0 }, [1], '1e3'],
    integer: ['12', true, { $ne: null }, [1], 1.5],
    boolean: ['true', 1, { $gt: false }, [true], 'yes'],
    array: ['a,b', 7, { 0: 'a' }, true],
    object: ['{}', 7, ['x'], true],
  };
  const options = schema.type ? candidates[schema.type] : undefined;
  return options ? fc.constantFrom(...options) : undefined;
}

/** Numbers at and past the edges: just outside each bound, huge, unsafe, fractional for integers. */
export function outOfRange(schema: Schema): fc.Arbitrary<number> | undefined {
  if (schema.type !== 'integer' && schema.type !== 'number') return undefined;
  const values: number[] = [];
  const step = schema.type === 'integer' ? 1 : Math.max(1e-6, Math.abs((schema.maximum ?? 0) - (schema.minimum ?? 0)) * 0.01);
  if (schema.minimum !== undefined) values.push(schema.minimum - step, -1e40);
  if (schema.maximum !== undefined) values.push(schema.maximum + step, 1e40, 2 ** 53 + 2);
  if (schema.type === 'integer') values.push((schema.minimum ?? 0) + 0.5);
  return values.length ? fc.constantFrom(...values) : undefined;
}
