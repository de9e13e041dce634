import { isBlackKey, noteName, octaveForKey, pitchForKey } from './keyboard-map';

describe('keyboard map', () => {
  it('plays C4 on A at octave 4, the black keys on the row above, and nothing on other keys', () => {
    expect(pitchForKey('KeyA', 4)).toBe(60);
    expect(pitchForKey('KeyW', 4)).toBe(61);
    expect(pitchForKey('KeyK', 4)).toBe(72);
    expect(pitchForKey('KeyA', 3)).toBe(48);
    expect(pitchForKey('KeyQ', 4)).toBeUndefined();
    expect(pitchForKey('Space', 4)).toBeUndefined();
  });

  it('shifts octaves with Z and X within 1–7', () => {
    expect(octaveForKey('KeyZ', 4)).toBe(3);
    expect(octaveForKey('KeyX', 4)).toBe(5);
    expect(octaveForKey('KeyZ', 1)).toBe(1);
    expect(octaveForKey('KeyX', 7)).toBe(7);
    expect(octaveForKey('KeyA', 4)).toBeUndefined();
  });

  it('names pitches and tells black keys', () => {
    expect(noteName(60)).toBe('C4');
    expect(noteName(66)).toBe('F♯4');
    expect(isBlackKey(61)).toBe(true);
    expect(isBlackKey(64)).toBe(false);
  });
});
