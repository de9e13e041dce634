import fc from 'fast-check';
import { ProblemException } from '../../core/errors/problem';
import { validatePayload } from '../../core/ws/ws-validation';
import { NoteDto } from './ensemble-events.dto';
import { noteValidator } from './note.validator';

type Outcome = { ok: true; value: unknown } | { ok: false; fields: string[] };

function outcome(run: () => unknown): Outcome {
  try {
    return { ok: true, value: { ...(run() as object) } };
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    return { ok: false, fields: [...new Set((error.problem.errors ?? []).map((e) => e.field))].sort() };
  }
}

const odd = fc.oneof(
  fc.constantFrom(undefined, null, NaN, Infinity, -1, 0, 15, 16, 127, 128, 60.5, '60', 'on', 'off', 'ON', true, [], {}),
  fc.integer({ min: -300, max: 300 }),
  fc.double(),
  fc.string({ maxLength: 4 }),
  fc.constantFrom('on\u0000', '\ud800'),
);
const payload = fc.oneof(
  fc.record(
    { type: fc.oneof(fc.constantFrom('on', 'off'), odd), pitch: odd, velocity: odd, time: fc.oneof(fc.double(), odd), channel: odd, extra: odd },
    { requiredKeys: [] },
  ),
  // A key no object should be given, with any value (null included).
  fc.record({ type: fc.constant('on'), pitch: fc.constant(60), velocity: fc.constant(90), time: fc.constant(1), constructor: odd }),
  odd,
);

describe('noteValidator', () => {
  it('accepts and refuses exactly what NoteDto does, naming the same fields', () => {
    fc.assert(
      fc.property(payload, (p) => {
        const fast = outcome(() => noteValidator.validate(p));
        const reference = outcome(() => validatePayload(NoteDto, p));
        expect(fast.ok).toBe(reference.ok);
        if (!fast.ok && !reference.ok && typeof p === 'object' && p !== null && !Array.isArray(p)) expect(fast.fields).toEqual(reference.fields);
        if (fast.ok && reference.ok) expect(fast.value).toEqual(reference.value);
      }),
      { seed: 11, numRuns: 3000 },
    );
  });

  it('passes a well-formed note through', () => {
    expect(noteValidator.validate({ type: 'on', pitch: 60, velocity: 90, time: 1.5e12, channel: 9 })).toEqual({
      type: 'on',
      pitch: 60,
      velocity: 90,
      time: 1.5e12,
      channel: 9,
    });
  });
});
