/** Colours and words of the assessment's verdicts (the page never relies on colour alone: every note also says it). */
export const VERDICT_STYLE: Record<string, { colour: string; label: string }> = {
  correct: { colour: '#1e8e3e', label: 'correct' },
  'wrong-pitch': { colour: '#d93025', label: 'wrong pitch' },
  early: { colour: '#e37400', label: 'early' },
  late: { colour: '#9334e6', label: 'late' },
  missed: { colour: '#80868b', label: 'missed' },
  'on-time': { colour: '#1e8e3e', label: 'on time' },
};

export const verdictColour = (verdict: string | null | undefined): string => (verdict ? (VERDICT_STYLE[verdict]?.colour ?? '#5f6368') : '#202124');
export const verdictLabel = (verdict: string): string => VERDICT_STYLE[verdict]?.label ?? verdict;
