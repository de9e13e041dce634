import fc from 'fast-check';
import { ProblemException } from '../../core/errors/problem';
import { validatePayload } from '../../core/ws/ws-validation';
import { clockPingValidator } from './clock-ping.validator';
import { ClockPingDto } from './ensemble-events.dto';

type Outcome = { ok: true; value: unknown } | { ok: false; fields: string[]; messages: string[] };

function outcome(run: () => unknown): Outcome {
  try {
    return { ok: true, value: { ...(run() as object) } };
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    const errors = error.problem.errors ?? [];
    return { ok: false, fields: [...new Set(errors.map((e) => e.field))].sort(), messages: errors.map((e) => e.message).sort() };
  }
}

const odd = fc.oneof(
  fc.constantFrom(undefined, null, NaN, Infinity, -Infinity, -1, 0, 1.5e12, '1', '1\u0000', true, [], {}),
  fc.double(),
  fc.string({ maxLength: 4 }),
);
const payload = fc.oneof(
  fc.record({ t0: fc.oneof(fc.double(), odd), extra: odd, t1: odd }, { requiredKeys: [] }),
  // A key no object should be given, with any value (null included).
  fc.record({ t0: fc.oneof(fc.double(), odd), constructor: odd }, { requiredKeys: ['constructor'] }),
  odd,
);

describe('clockPingValidator', () => {
  it('accepts and refuses exactly what ClockPingDto does, with the same messages', () => {
    fc.assert(
      fc.property(payload, (p) => {
        const fast = outcome(() => clockPingValidator.validate(p));
        const reference = outcome(() => validatePayload(ClockPingDto, p));
        expect(fast).toEqual(reference);
      }),
      { seed: 11, numRuns: 3000 },
    );
  });

  it('passes t0 through', () => {
    expect(clockPingValidator.validate({ t0: 1.5e12 + 0.25 })).toEqual({ t0: 1.5e12 + 0.25 });
  });
});
