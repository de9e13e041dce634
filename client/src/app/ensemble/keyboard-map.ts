/**
 * The computer keyboard as a piano (the layout most browser synths use): the A row plays the white keys from C, the
 * row above the black keys between them; Z and X shift the octave. Codes are KeyboardEvent.code, so the layout works
 * the same on QWERTY, AZERTY or Dvorak keyboards (it follows key positions, not letters).
 */
const KEY_OFFSETS: Readonly<Record<string, number>> = {
  KeyA: 0,
  KeyW: 1,
  KeyS: 2,
  KeyE: 3,
  KeyD: 4,
  KeyF: 5,
  KeyT: 6,
  KeyG: 7,
  KeyY: 8,
  KeyH: 9,
  KeyU: 10,
  KeyJ: 11,
  KeyK: 12,
  KeyO: 13,
  KeyL: 14,
  KeyP: 15,
  Semicolon: 16,
  Quote: 17,
};

export const MIN_OCTAVE = 1;
export const MAX_OCTAVE = 7;

/** The MIDI pitch a key plays at an octave (C4 = 60 at octave 4), or undefined for keys that play nothing. */
export function pitchForKey(code: string, octave: number): number | undefined {
  const offset = KEY_OFFSETS[code];
  if (offset === undefined) return undefined;
  const pitch = 12 * (octave + 1) + offset;
  return pitch >= 0 && pitch <= 127 ? pitch : undefined;
}

/** The octave after Z (down) or X (up), within bounds; undefined for other keys. */
export function octaveForKey(code: string, octave: number): number | undefined {
  if (code === 'KeyZ') return Math.max(MIN_OCTAVE, octave - 1);
  if (code === 'KeyX') return Math.min(MAX_OCTAVE, octave + 1);
  return undefined;
}

const NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];

/** "C4", "F♯3": a pitch as people read it. */
export function noteName(pitch: number): string {
  return `${NAMES[pitch % 12]}${Math.floor(pitch / 12) - 1}`;
}

export const isBlackKey = (pitch: number) => [1, 3, 6, 8, 10].includes(pitch % 12);
