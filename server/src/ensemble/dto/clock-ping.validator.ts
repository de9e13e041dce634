import { fieldsProblem, type FieldError } from '../../core/errors/problem';
import { payloadNotAnObject, refuseUnsafeInput, type PayloadValidator } from '../../core/ws/ws-validation';
import type { ClockPingDto } from './ensemble-events.dto';

/**
 * The `clock:ping` payload's validation, hand-written like `noteValidator` (every member pings every few seconds, and
 * the answer's server time should not wait for class-validator): exactly ClockPingDto's rules and messages (a property
 * test checks both agree).
 */
export const clockPingValidator: PayloadValidator<ClockPingDto> = {
  validate(payload: unknown): ClockPingDto {
    if (payload === undefined || payload === null) payload = {};
    if (typeof payload !== 'object' || Array.isArray(payload)) {
      throw payloadNotAnObject();
    }
    const p = payload as Record<string, unknown>;
    const t0 = p.t0;
    if (typeof t0 === 'number' && Number.isFinite(t0)) {
      let onlyT0 = true;
      for (const key in p) if (key !== 't0' && Object.prototype.hasOwnProperty.call(p, key)) onlyT0 = false;
      if (onlyT0) return { t0 };
    }
    refuseUnsafeInput(p);
    const errors: FieldError[] = [];
    // null reads as absent, as in validatePayload.
    for (const key of Object.keys(p)) if (key !== 't0' && p[key] !== null) errors.push({ field: key, message: `property ${key} should not exist` });
    if (errors.length === 0 && typeof t0 === 'number' && Number.isFinite(t0)) return { t0 };
    if (typeof t0 !== 'number' || !Number.isFinite(t0)) errors.push({ field: 't0', message: 't0 must be a number conforming to the specified constraints' });
    throw fieldsProblem(errors);
  },
};
