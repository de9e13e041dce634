import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be misread for one another (no I, O, 0, 1). */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A 6-character room code (32⁶ ≈ 10⁹ codes): short enough to read out, long enough not to be guessed by chance. */
export function newRoomCode(): string {
  let code = '';
  for (let i = 0; i < 6; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}
