import { AccompanimentPattern, DrumStyle } from './types';

/** Style → accompaniment pattern, drum groove and a label for explanations. Data, read by the planner. */
export interface StyleEntry {
  accompaniment: AccompanimentPattern;
  drums: DrumStyle;
  description: string;
}

export const STYLE_TABLE: Readonly<Record<string, StyleEntry>> = {
  pop: { accompaniment: 'strum', drums: 'pop', description: 'pop (strummed chords, backbeat drums)' },
  folk: { accompaniment: 'strum', drums: 'none', description: 'folk (strummed guitar, no drums)' },
  classical: { accompaniment: 'alberti', drums: 'none', description: 'classical (Alberti bass)' },
  lullaby: { accompaniment: 'arpeggio', drums: 'none', description: 'lullaby (gentle broken chords)' },
  ballad: { accompaniment: 'arpeggio', drums: 'none', description: 'ballad (arpeggiated chords)' },
  ambient: { accompaniment: 'pad', drums: 'none', description: 'ambient (sustained pads)' },
  nocturne: { accompaniment: 'arpeggio', drums: 'none', description: 'nocturne (slow broken chords)' },
  jazz: { accompaniment: 'block', drums: 'brushes', description: 'jazz (comped block chords, brushes)' },
  cinematic: { accompaniment: 'ostinato', drums: 'pulse', description: 'cinematic (string ostinato, timpani pulse)' },
  electronic: { accompaniment: 'ostinato', drums: 'driving', description: 'electronic (synth ostinato, four-on-the-floor)' },
  rock: { accompaniment: 'power', drums: 'rock', description: 'rock (power chords, rock beat)' },
  chinese: { accompaniment: 'arpeggio', drums: 'none', description: 'Chinese-flavoured (pentatonic leaning, plucked accompaniment)' },
};

export const STYLE_NAMES: readonly string[] = Object.keys(STYLE_TABLE);
