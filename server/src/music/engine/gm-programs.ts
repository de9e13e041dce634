/** General MIDI level 1 program names (index = program number 0–127). */
export const GM_PROGRAM_NAMES: readonly string[] = [
  'Acoustic Grand Piano', 'Bright Acoustic Piano', 'Electric Grand Piano', 'Honky-tonk Piano', 'Electric Piano 1', 'Electric Piano 2', 'Harpsichord', 'Clavinet',
  'Celesta', 'Glockenspiel', 'Music Box', 'Vibraphone', 'Marimba', 'Xylophone', 'Tubular Bells', 'Dulcimer',
  'Drawbar Organ', 'Percussive Organ', 'Rock Organ', 'Church Organ', 'Reed Organ', 'Accordion', 'Harmonica', 'Tango Accordion',
  'Acoustic Guitar (nylon)', 'Acoustic Guitar (steel)', 'Electric Guitar (jazz)', 'Electric Guitar (clean)', 'Electric Guitar (muted)', 'Overdriven Guitar', 'Distortion Guitar', 'Guitar Harmonics',
  'Acoustic Bass', 'Electric Bass (finger)', 'Electric Bass (pick)', 'Fretless Bass', 'Slap Bass 1', 'Slap Bass 2', 'Synth Bass 1', 'Synth Bass 2',
  'Violin', 'Viola', 'Cello', 'Contrabass', 'Tremolo Strings', 'Pizzicato Strings', 'Orchestral Harp', 'Timpani',
  'String Ensemble 1', 'String Ensemble 2', 'Synth Strings 1', 'Synth Strings 2', 'Choir Aahs', 'Voice Oohs', 'Synth Voice', 'Orchestra Hit',
  'Trumpet', 'Trombone', 'Tuba', 'Muted Trumpet', 'French Horn', 'Brass Section', 'Synth Brass 1', 'Synth Brass 2',
  'Soprano Sax', 'Alto Sax', 'Tenor Sax', 'Baritone Sax', 'Oboe', 'English Horn', 'Bassoon', 'Clarinet',
  'Piccolo', 'Flute', 'Recorder', 'Pan Flute', 'Blown Bottle', 'Shakuhachi', 'Whistle', 'Ocarina',
  'Lead 1 (square)', 'Lead 2 (sawtooth)', 'Lead 3 (calliope)', 'Lead 4 (chiff)', 'Lead 5 (charang)', 'Lead 6 (voice)', 'Lead 7 (fifths)', 'Lead 8 (bass + lead)',
  'Pad 1 (new age)', 'Pad 2 (warm)', 'Pad 3 (polysynth)', 'Pad 4 (choir)', 'Pad 5 (bowed)', 'Pad 6 (metallic)', 'Pad 7 (halo)', 'Pad 8 (sweep)',
  'FX 1 (rain)', 'FX 2 (soundtrack)', 'FX 3 (crystal)', 'FX 4 (atmosphere)', 'FX 5 (brightness)', 'FX 6 (goblins)', 'FX 7 (echoes)', 'FX 8 (sci-fi)',
  'Sitar', 'Banjo', 'Shamisen', 'Koto', 'Kalimba', 'Bagpipe', 'Fiddle', 'Shanai',
  'Tinkle Bell', 'Agogo', 'Steel Drums', 'Woodblock', 'Taiko Drum', 'Melodic Tom', 'Synth Drum', 'Reverse Cymbal',
  'Guitar Fret Noise', 'Breath Noise', 'Seashore', 'Bird Tweet', 'Telephone Ring', 'Helicopter', 'Applause', 'Gunshot',
];

/** The General MIDI programs offered for melody, harmony and bass (a short list that suits all three roles). */
export const INSTRUMENT_CHOICES: readonly number[] = [
  0, 4, 11, 19, 24, 25, 32, 33, 40, 42, 46, 48, 52, 56, 61, 68, 71, 73, 80, 89, 104, 107,
];

/** Everyday instrument names → the General MIDI program that plays them. */
const INSTRUMENT_ALIASES: Readonly<Record<string, number>> = {
  piano: 0, 'grand piano': 0, 'electric piano': 4, 'e-piano': 4, 'music box': 10, vibraphone: 11, marimba: 12, bells: 14,
  organ: 19, accordion: 21, harmonica: 22, guitar: 24, 'nylon guitar': 24, 'classical guitar': 24, 'acoustic guitar': 25,
  'steel guitar': 25, 'electric guitar': 27, bass: 32, 'acoustic bass': 32, 'electric bass': 33, 'bass guitar': 33,
  violin: 40, viola: 41, cello: 42, contrabass: 43, 'double bass': 43, harp: 46, strings: 48, 'string ensemble': 48,
  choir: 52, voice: 53, trumpet: 56, trombone: 57, tuba: 58, horn: 60, 'french horn': 60, brass: 61, sax: 65,
  saxophone: 65, oboe: 68, bassoon: 70, clarinet: 71, piccolo: 72, flute: 73, recorder: 74, 'pan flute': 75,
  synth: 80, 'synth lead': 80, pad: 89, 'synth pad': 89, sitar: 104, banjo: 105, koto: 107, guzheng: 107, kalimba: 108,
  dizi: 73, xiao: 77, shakuhachi: 77, pipa: 105, erhu: 110, fiddle: 110,
};

/**
 * A General MIDI program from how a request names it: the number (or its digits), the GM name in any letter case
 * ("Acoustic Grand Piano") or an everyday name ("piano", "cello", "strings"); undefined when it names none.
 */
export function resolveInstrument(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 127 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const name = value.trim().toLowerCase().replace(/\s+/g, ' ');
  if (/^\d{1,3}$/.test(name)) return resolveInstrument(Number(name));
  const gm = GM_PROGRAM_NAMES.findIndex((n) => n.toLowerCase() === name);
  return gm >= 0 ? gm : INSTRUMENT_ALIASES[name];
}

/** Name of a GM program; throws RangeError outside 0–127. */
export function gmProgramName(program: number): string {
  if (!Number.isInteger(program) || program < 0 || program > 127) {
    throw new RangeError(`General MIDI program must be an integer 0–127, got ${program}`);
  }
  return GM_PROGRAM_NAMES[program];
}
