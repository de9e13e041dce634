import { type Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { fieldProblem, fieldsProblem, type ProblemException } from '../errors/problem';
import { flattenValidationErrors, withoutNulls } from '../errors/validation.pipe';
import { findUnsafeInput } from '../validation/unsafe-input';

/** Throws validatePayload's 400 for text PostgreSQL cannot store, a prototype key or hostile nesting (hand-written validators call it too). */
export function refuseUnsafeInput(payload: unknown): void {
  const unsafe = findUnsafeInput(payload);
  if (unsafe) throw fieldProblem(unsafe.field, unsafe.message);
}

/** The 400 for an event payload that is not an object (hand-written validators throw it too). */
export function payloadNotAnObject(): ProblemException {
  return fieldProblem('', 'payload must be an object', { detail: 'The event payload must be an object.' });
}

/**
 * Validates one WebSocket payload against a class-validator DTO with the HTTP pipe's rules (unsafe input refused,
 * null read as absent, unknown fields refused): returns the instance or throws a 400 ProblemException naming every
 * bad field, so the ack reads like the HTTP error.
 */
export function validatePayload<T extends object>(type: Type<T>, payload: unknown): T {
  if (payload === undefined || payload === null) payload = {};
  if (typeof payload !== 'object' || Array.isArray(payload)) {
    throw payloadNotAnObject();
  }
  refuseUnsafeInput(payload);
  const instance = plainToInstance(type, withoutNulls(payload));
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false });
  if (errors.length === 0) return instance;
  throw fieldsProblem(flattenValidationErrors(errors));
}

/** A payload check other than a class-validator DTO (a hand-written one for a hot path); throws like validatePayload. */
export interface PayloadValidator<T> {
  validate(payload: unknown): T;
}

/** A DTO class (validated with class-validator) or a hand-written validator. */
export type PayloadSchema<T extends object> = Type<T> | PayloadValidator<T>;

export function validateWith<T extends object>(schema: PayloadSchema<T>, payload: unknown): T {
  return typeof schema === 'object' ? schema.validate(payload) : validatePayload(schema, payload);
}
