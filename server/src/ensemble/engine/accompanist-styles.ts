import { DrumStyle } from '../../music/engine/types';

/**
 * What the accompanist plays in each of the music engine's styles (data). The comping pattern and the drum groove
 * come from the music engine's style table (`STYLE_TABLE`); this table adds the General MIDI programs of the
 * accompanist's parts, the drum groove it uses in drummer-only mode when the style itself has no drums, and how much
 * softer than the players each part sits (velocity offset from the players' recent average).
 */
export interface AccompanistStyle {
  /** GM programs: chord comping, bass line, call-and-response answers. */
  programs: { chords: number; bass: number; answer: number };
  /** Groove for drummer-only mode when the style has no drums. */
  drumsWhenNone: Exclude<DrumStyle, 'none'>;
  /** Velocity offsets from the players' average: chords, bass, drums, answer. */
  balance: { chords: number; bass: number; drums: number; answer: number };
}

const soft = { chords: -16, bass: -10, drums: -12, answer: -4 };
const band = { chords: -12, bass: -6, drums: -6, answer: 0 };

export const ACCOMPANIST_STYLES: Readonly<Record<string, AccompanistStyle>> = {
  pop: { programs: { chords: 25, bass: 33, answer: 0 }, drumsWhenNone: 'pop', balance: band },
  folk: { programs: { chords: 25, bass: 32, answer: 73 }, drumsWhenNone: 'brushes', balance: band },
  classical: { programs: { chords: 0, bass: 42, answer: 0 }, drumsWhenNone: 'brushes', balance: soft },
  lullaby: { programs: { chords: 46, bass: 32, answer: 0 }, drumsWhenNone: 'brushes', balance: soft },
  ballad: { programs: { chords: 0, bass: 42, answer: 0 }, drumsWhenNone: 'brushes', balance: soft },
  ambient: { programs: { chords: 89, bass: 32, answer: 11 }, drumsWhenNone: 'pulse', balance: soft },
  nocturne: { programs: { chords: 0, bass: 32, answer: 11 }, drumsWhenNone: 'brushes', balance: soft },
  jazz: { programs: { chords: 0, bass: 32, answer: 11 }, drumsWhenNone: 'brushes', balance: band },
  cinematic: { programs: { chords: 48, bass: 43, answer: 40 }, drumsWhenNone: 'pulse', balance: band },
  electronic: { programs: { chords: 89, bass: 38, answer: 80 }, drumsWhenNone: 'driving', balance: band },
  rock: { programs: { chords: 29, bass: 34, answer: 29 }, drumsWhenNone: 'rock', balance: band },
  chinese: { programs: { chords: 107, bass: 32, answer: 73 }, drumsWhenNone: 'brushes', balance: soft },
};

/** MIDI channels of the accompanist's parts (drums on General MIDI's percussion channel). */
export const ACCOMPANIST_CHANNELS = { chords: 0, bass: 1, answer: 2, drums: 9 } as const;
