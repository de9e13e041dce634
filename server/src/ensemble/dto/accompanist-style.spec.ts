import { validatePayload } from '../../core/ws/ws-validation';
import { ProblemException } from '../../core/errors/problem';
import { CreateRoomDto, JoinRoomDto } from './ensemble-events.dto';

const styleOf = (style: unknown) => validatePayload(CreateRoomDto, { accompanist: { mode: 'accompany', style } }).accompanist?.style;

describe('room:create accompanist style', () => {
  it("takes the engine's styles in any letter case and common genres by their nearest style", () => {
    expect(styleOf('jazz')).toBe('jazz');
    expect(styleOf(' Jazz ')).toBe('jazz');
    expect(styleOf('blues')).toBe('jazz');
    expect(styleOf('Funk')).toBe('electronic');
    expect(styleOf('metal')).toBe('rock');
  });

  it('plays an unknown genre in the default style, and still refuses what is not a style at all', () => {
    expect(styleOf('polka-step')).toBe('pop');
    expect(() => styleOf('x'.repeat(40))).toThrow(ProblemException);
    expect(() => styleOf(7)).toThrow(ProblemException);
  });
});

describe('room:join code', () => {
  it('forgives spaces and lower case', () => {
    expect(validatePayload(JoinRoomDto, { code: ' k7mz3q ' }).code).toBe('K7MZ3Q');
    expect(() => validatePayload(JoinRoomDto, { code: 'k7mz3' })).toThrow(ProblemException);
  });
});
