/**
 * A staff as ABC notation (abc standard 2.1), for the page's notation renderer (abcjs): clef, key signature, meter,
 * bar lines, rests, accidentals written only where the key signature and the bar's earlier notes do not already imply
 * them, and triplets.
 */
import type { Staff, StaffNote } from '../exercises/exercise-types';

/** Major key names by key signature (−7 … 7 sharps), as ABC's K: field spells them. */
const KEYS = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'];
const SHARP_ORDER = 'FCGDAEB';

/** The accidental (−1, 0, 1) the key signature gives a letter. */
function keyAccidental(letter: string, keySignature: number): number {
  if (keySignature > 0) return SHARP_ORDER.slice(0, keySignature).includes(letter) ? 1 : 0;
  if (keySignature < 0) return [...SHARP_ORDER].reverse().join('').slice(0, -keySignature).includes(letter) ? -1 : 0;
  return 0;
}

function parseName(name: string): { letter: string; accidental: number; octave: number } {
  const match = /^([A-Ga-g])(#{1,2}|b{1,2}|x)?(-?\d+)$/.exec(name.trim());
  if (!match) throw new RangeError(`not a note name: ${name}`);
  const marks = match[2] ?? '';
  const accidental = marks === 'x' ? 2 : marks.startsWith('#') ? marks.length : -marks.length;
  return { letter: match[1].toUpperCase(), accidental, octave: Number(match[3]) };
}

/** ABC pitch letters: C4 = "C", C5 = "c", C6 = "c'", B3 = "B,". */
function abcPitch(letter: string, octave: number): string {
  if (octave >= 5) return letter.toLowerCase() + "'".repeat(octave - 5);
  return letter + ','.repeat(Math.max(0, 4 - octave));
}

const ACCIDENTAL_MARK: Record<number, string> = { [-2]: '__', [-1]: '_', 0: '=', 1: '^', 2: '^^' };

/** Length in units of L:1/48 (a quarter = 12), so sixteenths, dots and triplets are whole numbers. */
const UNITS_PER_BEAT = 12;

function length(beats: number, triplet: boolean): string {
  // Inside (3 … the written value is 3/2 of the sounding one.
  const units = Math.round(beats * UNITS_PER_BEAT * (triplet ? 1.5 : 1));
  return units === 1 ? '' : String(units);
}

const isTripletValue = (beats: number) => Math.abs(beats * 3 - Math.round(beats * 3)) < 1e-6 && Math.abs(beats * 4 - Math.round(beats * 4)) > 1e-6;

/** The staff as an ABC tune; `title` goes into T: when given. */
export function staffToAbc(staff: Staff, title?: string): string {
  const [beatsPerBar, unit] = staff.timeSignature;
  const barBeats = (beatsPerBar * 4) / unit;
  const key = KEYS[Math.max(-7, Math.min(7, staff.keySignature)) + 7];
  const head = ['X:1', ...(title ? [`T:${title}`] : []), `M:${beatsPerBar}/${unit}`, 'L:1/48', `K:${key}${staff.clef === 'bass' ? ' clef=bass' : ''}`];
  const tokens: string[] = [];
  let inBar = 0;
  let barAccidentals = new Map<string, number>();
  let tripletLeft = 0;
  staff.notes.forEach((note: StaffNote) => {
    if (tripletLeft === 0 && isTripletValue(note.beats)) {
      tokens.push('(3');
      tripletLeft = 3;
    }
    const triplet = tripletLeft > 0;
    if (note.pitch < 0 || note.name === 'rest') {
      tokens.push(`z${length(note.beats, triplet)}`);
    } else {
      const { letter, accidental, octave } = parseName(note.name);
      const slot = `${letter}${octave}`;
      const implied = barAccidentals.get(slot) ?? keyAccidental(letter, staff.keySignature);
      const mark = accidental === implied ? '' : ACCIDENTAL_MARK[accidental];
      barAccidentals.set(slot, accidental);
      tokens.push(`${mark}${abcPitch(letter, octave)}${length(note.beats, triplet)}`);
    }
    if (tripletLeft > 0) tripletLeft--;
    inBar += note.beats;
    if (inBar >= barBeats - 1e-6) {
      tokens.push('|');
      inBar -= barBeats;
      barAccidentals = new Map();
    }
  });
  if (tokens.at(-1) === '|') tokens[tokens.length - 1] = '|]';
  else tokens.push('|]');
  return `${head.join('\n')}\n${tokens.join(' ')}\n`;
}
