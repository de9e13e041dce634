/** Types for vader-sentiment 1.1 (Apache-2.0, Comcast's port of VADER; Hutto & Gilbert 2014, lexicon MIT). */
declare module 'vader-sentiment' {
  export const SentimentIntensityAnalyzer: {
    polarity_scores(text: string): { neg: number; neu: number; pos: number; compound: number };
  };
}
