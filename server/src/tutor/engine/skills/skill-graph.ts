/**
 * The skill graph: seven areas from beginner (level 1) to advanced (level 5), each skill with its prerequisites and the
 * content its exercise generator draws from. One data table; the generators in ../exercises read it.
 *
 * Progressions follow common ear-training and sight-singing curricula (musictheory.net's exercise order, the ABRSM aural
 * tests): intervals ascending before descending before harmonic; triads before sevenths before inversions; the diatonic
 * modes after major/minor; rhythm from quarters to syncopation; reading from the treble clef's middle to ledger lines
 * and key signatures.
 */
import type { ModeName } from '../../../music/engine';

export type SkillArea = 'note-reading' | 'intervals' | 'scales' | 'chords' | 'rhythm' | 'sight-singing' | 'play-back';

export const SKILL_AREAS: { area: SkillArea; name: string }[] = [
  { area: 'note-reading', name: 'Pitch and note reading' },
  { area: 'intervals', name: 'Intervals by ear' },
  { area: 'scales', name: 'Scales and modes' },
  { area: 'chords', name: 'Chord qualities' },
  { area: 'rhythm', name: 'Rhythm' },
  { area: 'sight-singing', name: 'Sight-singing' },
  { area: 'play-back', name: 'Melody play-back' },
];

/** Interval names by semitones (ascending), the answer vocabulary of interval drills. */
export const INTERVAL_NAMES: Record<number, string> = {
  0: 'unison',
  1: 'minor 2nd',
  2: 'major 2nd',
  3: 'minor 3rd',
  4: 'major 3rd',
  5: 'perfect 4th',
  6: 'tritone',
  7: 'perfect 5th',
  8: 'minor 6th',
  9: 'major 6th',
  10: 'minor 7th',
  11: 'major 7th',
  12: 'octave',
};

/** Chord qualities: name → semitones above the root (root position). */
export const CHORD_QUALITIES: Record<string, number[]> = {
  major: [0, 4, 7],
  minor: [0, 3, 7],
  diminished: [0, 3, 6],
  augmented: [0, 4, 8],
  'dominant 7th': [0, 4, 7, 10],
  'major 7th': [0, 4, 7, 11],
  'minor 7th': [0, 3, 7, 10],
  'half-diminished 7th': [0, 3, 6, 10],
  'diminished 7th': [0, 3, 6, 9],
};

/** Rhythm cells in beats (quarter = 1); negative = rest. */
export const RHYTHM_CELLS: Record<string, number[]> = {
  quarter: [1],
  half: [2],
  'quarter rest': [-1],
  'two eighths': [0.5, 0.5],
  'dotted quarter + eighth': [1.5, 0.5],
  'eighth + dotted quarter': [0.5, 1.5],
  'four sixteenths': [0.25, 0.25, 0.25, 0.25],
  'eighth + two sixteenths': [0.5, 0.25, 0.25],
  syncopation: [0.5, 1, 0.5],
  'eighth-note triplet': [1 / 3, 1 / 3, 1 / 3],
};

export interface SkillContent {
  /** Intervals (semitones) asked, and how they are played. */
  intervals?: { semitones: number[]; direction: 'ascending' | 'descending' | 'harmonic' | 'mixed' };
  /** Chord qualities asked, and whether inversions are played. */
  chords?: { qualities: string[]; inversions: boolean };
  /** Scales/modes asked. */
  modes?: ModeName[];
  /** Note reading: clef, pitch range (MIDI), accidentals, key signatures up to this many sharps/flats. */
  reading?: { clef: 'treble' | 'bass'; range: [number, number]; accidentals: boolean; maxKeyAccidentals: number };
  /** Rhythm: cells drawn from, tempo (BPM), bars of 4/4. */
  rhythm?: { cells: string[]; bpm: number; bars: number };
  /** Melodies (sight-singing, play-back): notes, largest leap (semitones), tempo, modes, chromatic notes allowed. */
  melody?: { notes: number; maxLeap: number; bpm: number; modes: ModeName[]; span: number; chromatic: boolean };
}

export interface Skill {
  /** Stable id, e.g. "intervals.2". */
  id: string;
  area: SkillArea;
  /** 1 (beginner) – 5 (advanced). */
  level: number;
  name: string;
  description: string;
  prerequisites: string[];
  content: SkillContent;
}

const skill = (area: SkillArea, level: number, name: string, description: string, content: SkillContent, extraPrerequisites: string[] = []): Skill => ({
  id: `${area}.${level}`,
  area,
  level,
  name,
  description,
  prerequisites: [...(level > 1 ? [`${area}.${level - 1}`] : []), ...extraPrerequisites],
  content,
});

export const SKILLS: Skill[] = [
  skill('note-reading', 1, 'Treble clef: C4 to G4', 'Name notes from middle C to the G above on the treble staff.', {
    reading: { clef: 'treble', range: [60, 67], accidentals: false, maxKeyAccidentals: 0 },
  }),
  skill('note-reading', 2, 'Treble clef: the whole staff', 'Name natural notes from C4 to A5.', {
    reading: { clef: 'treble', range: [60, 81], accidentals: false, maxKeyAccidentals: 0 },
  }),
  skill('note-reading', 3, 'Bass clef', 'Name natural notes on the bass staff, E2 to C4.', {
    reading: { clef: 'bass', range: [40, 60], accidentals: false, maxKeyAccidentals: 0 },
  }),
  skill('note-reading', 4, 'Ledger lines and accidentals', 'Read sharps and flats and notes on ledger lines in both clefs.', {
    reading: { clef: 'treble', range: [55, 86], accidentals: true, maxKeyAccidentals: 0 },
  }),
  skill('note-reading', 5, 'Key signatures', 'Read notes in keys with up to four sharps or flats.', {
    reading: { clef: 'treble', range: [57, 84], accidentals: true, maxKeyAccidentals: 4 },
  }),

  skill('intervals', 1, 'Steps, thirds and fifths', 'Tell a major 2nd, a major 3rd and a perfect 5th apart, ascending.', {
    intervals: { semitones: [2, 4, 7], direction: 'ascending' },
  }),
  skill('intervals', 2, 'Intervals within the octave', 'Name ascending 2nds, 3rds, 4ths, 5ths and the octave.', {
    intervals: { semitones: [1, 2, 3, 4, 5, 7, 12], direction: 'ascending' },
  }),
  skill('intervals', 3, 'All ascending intervals', 'Add 6ths, 7ths and the tritone.', {
    intervals: { semitones: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], direction: 'ascending' },
  }),
  skill('intervals', 4, 'Descending intervals', 'Name intervals played downwards.', {
    intervals: { semitones: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], direction: 'descending' },
  }),
  skill('intervals', 5, 'Harmonic intervals', 'Name intervals whose two notes sound together.', {
    intervals: { semitones: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], direction: 'harmonic' },
  }),

  skill('scales', 1, 'Major or minor', 'Hear whether a scale is major or natural minor.', { modes: ['major', 'minor'] }, ['intervals.1']),
  skill('scales', 2, 'Harmonic minor', 'Tell major, natural minor and harmonic minor apart.', { modes: ['major', 'minor', 'harmonicMinor'] }),
  skill('scales', 3, 'Dorian and mixolydian', 'Add the dorian and mixolydian modes.', { modes: ['major', 'minor', 'dorian', 'mixolydian'] }, ['intervals.2']),
  skill('scales', 4, 'Lydian and phrygian', 'Add the lydian and phrygian modes.', { modes: ['major', 'minor', 'dorian', 'mixolydian', 'lydian', 'phrygian'] }),
  skill('scales', 5, 'All seven scales', 'Name every diatonic mode and the harmonic minor.', {
    modes: ['major', 'minor', 'harmonicMinor', 'dorian', 'mixolydian', 'lydian', 'phrygian'],
  }),

  skill('chords', 1, 'Major or minor triads', 'Hear whether a triad is major or minor.', { chords: { qualities: ['major', 'minor'], inversions: false } }, [
    'intervals.2',
  ]),
  skill('chords', 2, 'Diminished and augmented', 'Add diminished and augmented triads.', {
    chords: { qualities: ['major', 'minor', 'diminished', 'augmented'], inversions: false },
  }),
  skill('chords', 3, 'Seventh chords', 'Name dominant, major and minor seventh chords.', {
    chords: { qualities: ['dominant 7th', 'major 7th', 'minor 7th'], inversions: false },
  }),
  skill('chords', 4, 'All seventh chords', 'Add half-diminished and diminished sevenths.', {
    chords: { qualities: ['dominant 7th', 'major 7th', 'minor 7th', 'half-diminished 7th', 'diminished 7th'], inversions: false },
  }),
  skill('chords', 5, 'Triads in inversion', 'Name triad qualities in first and second inversion.', {
    chords: { qualities: ['major', 'minor', 'diminished', 'augmented'], inversions: true },
  }),

  skill('rhythm', 1, 'Quarters and halves', 'Tap quarter and half notes with quarter rests at 80 BPM.', {
    rhythm: { cells: ['quarter', 'half', 'quarter rest'], bpm: 80, bars: 2 },
  }),
  skill('rhythm', 2, 'Eighth notes', 'Add pairs of eighths.', { rhythm: { cells: ['quarter', 'half', 'quarter rest', 'two eighths'], bpm: 90, bars: 2 } }),
  skill('rhythm', 3, 'Dotted rhythms', 'Add dotted quarter + eighth.', {
    rhythm: { cells: ['quarter', 'two eighths', 'quarter rest', 'dotted quarter + eighth', 'eighth + dotted quarter'], bpm: 90, bars: 2 },
  }),
  skill('rhythm', 4, 'Sixteenths', 'Add sixteenth-note figures.', {
    rhythm: { cells: ['quarter', 'two eighths', 'four sixteenths', 'eighth + two sixteenths', 'dotted quarter + eighth'], bpm: 80, bars: 2 },
  }),
  skill('rhythm', 5, 'Syncopation and triplets', 'Add syncopations and eighth-note triplets.', {
    rhythm: { cells: ['quarter', 'two eighths', 'syncopation', 'eighth-note triplet', 'four sixteenths', 'dotted quarter + eighth'], bpm: 96, bars: 2 },
  }),

  skill(
    'sight-singing',
    1,
    'Five-note steps',
    'Sing a short stepwise melody in C major from the staff.',
    { melody: { notes: 5, maxLeap: 2, bpm: 72, modes: ['major'], span: 5, chromatic: false } },
    ['note-reading.1', 'intervals.1'],
  ),
  skill('sight-singing', 2, 'Steps and thirds', 'Sing eight-note melodies with steps and thirds.', {
    melody: { notes: 8, maxLeap: 4, bpm: 80, modes: ['major'], span: 7, chromatic: false },
  }),
  skill('sight-singing', 3, 'Leaps to the fifth', 'Sing melodies with leaps up to a fifth, within an octave.', {
    melody: { notes: 10, maxLeap: 7, bpm: 88, modes: ['major', 'minor'], span: 12, chromatic: false },
  }),
  skill('sight-singing', 4, 'Minor keys and accidentals', 'Sing melodies in minor keys with raised sevenths.', {
    melody: { notes: 12, maxLeap: 7, bpm: 92, modes: ['minor', 'harmonicMinor', 'dorian'], span: 12, chromatic: true },
  }),
  skill('sight-singing', 5, 'Wide leaps', 'Sing melodies with leaps up to an octave over a wider range.', {
    melody: { notes: 16, maxLeap: 12, bpm: 100, modes: ['major', 'minor', 'mixolydian', 'dorian'], span: 16, chromatic: true },
  }),

  skill(
    'play-back',
    1,
    'Echo three notes',
    'Listen to three or four notes and sing or play them back.',
    { melody: { notes: 4, maxLeap: 4, bpm: 72, modes: ['major'], span: 5, chromatic: false } },
    ['intervals.1'],
  ),
  skill('play-back', 2, 'Echo a phrase', 'Play back a six-note phrase.', {
    melody: { notes: 6, maxLeap: 5, bpm: 80, modes: ['major'], span: 8, chromatic: false },
  }),
  skill('play-back', 3, 'Echo two bars', 'Play back a two-bar melody with leaps.', {
    melody: { notes: 9, maxLeap: 7, bpm: 88, modes: ['major', 'minor'], span: 12, chromatic: false },
  }),
  skill('play-back', 4, 'Echo four bars', 'Play back a four-bar melody in any mode.', {
    melody: { notes: 12, maxLeap: 9, bpm: 96, modes: ['major', 'minor', 'dorian', 'mixolydian'], span: 14, chromatic: true },
  }),
  skill('play-back', 5, 'Long melodies', 'Play back an eight-bar melody at a brisk tempo.', {
    melody: { notes: 16, maxLeap: 12, bpm: 108, modes: ['major', 'minor', 'dorian', 'mixolydian', 'lydian', 'phrygian'], span: 17, chromatic: true },
  }),
];

const BY_ID = new Map(SKILLS.map((s) => [s.id, s]));

/** The skill with this id; throws RangeError for an unknown id. */
export function skillById(id: string): Skill {
  const s = BY_ID.get(id);
  if (!s) throw new RangeError(`unknown skill: ${id}`);
  return s;
}

/**
 * The fixed curriculum: every skill after its prerequisites (topological order), easier levels first and, within a
 * level, areas in the order of SKILL_AREAS.
 */
export function curriculumOrder(): Skill[] {
  const rank = (s: Skill) => s.level * 10 + SKILL_AREAS.findIndex((x) => x.area === s.area);
  const done = new Set<string>();
  const order: Skill[] = [];
  while (order.length < SKILLS.length) {
    const ready = SKILLS.filter((s) => !done.has(s.id) && s.prerequisites.every((p) => done.has(p))).sort((a, b) => rank(a) - rank(b));
    if (ready.length === 0) throw new Error('the skill graph has a cycle');
    order.push(ready[0]);
    done.add(ready[0].id);
  }
  return order;
}
