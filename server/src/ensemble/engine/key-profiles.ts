/**
 * Key profiles: the weight of each scale degree (index 0 = tonic, semitones above it) in a major and a minor key,
 * correlated with the pitch-class weights of what was played (Krumhansl–Schmuckler key finding). Data, not fitted here.
 *
 * - krumhansl: Krumhansl & Kessler (1982), probe-tone ratings ("Tracing the dynamic changes in perceived tonal
 *   organization in a spatial representation of musical keys", Psychological Review 89).
 * - temperley: Temperley (2007) "Music and Probability", table 6.1: share of Kostka–Payne textbook segments in which
 *   each degree occurs.
 * - albrecht-shanahan: Albrecht & Shanahan (2013) "The use of large corpora to train a new type of key-finding
 *   algorithm", Music Perception 31: duration-weighted distributions of 490 common-practice pieces. The default: it
 *   was derived from the largest corpus of the three and reported the best accuracy in its authors' comparison.
 */
export type KeyProfileName = 'albrecht-shanahan' | 'temperley' | 'krumhansl';

export const KEY_PROFILES: Readonly<Record<KeyProfileName, { major: readonly number[]; minor: readonly number[] }>> = {
  'albrecht-shanahan': {
    major: [0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.08, 0.008, 0.081],
    minor: [0.22, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052],
  },
  temperley: {
    major: [0.748, 0.06, 0.488, 0.082, 0.67, 0.46, 0.096, 0.715, 0.104, 0.366, 0.057, 0.4],
    minor: [0.712, 0.084, 0.474, 0.618, 0.049, 0.46, 0.105, 0.747, 0.404, 0.067, 0.133, 0.33],
  },
  krumhansl: {
    major: [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88],
    minor: [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17],
  },
};

export const KEY_PROFILE_NAMES = Object.keys(KEY_PROFILES) as KeyProfileName[];
