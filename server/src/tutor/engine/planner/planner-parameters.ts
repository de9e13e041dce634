/** The planner's parameters in one table (logit scale for abilities and difficulties). */
export interface PlannerParameters {
  /** Predicted success the next exercise aims for [low, high]. */
  targetBand: [number, number];
  /** Predicted success on a skill's items that counts as mastered. */
  masteryLevel: number;
  /** Attempts on a skill before it can count as mastered. */
  minAttemptsForMastery: number;
  /** Ability of a learner on a first-level skill before any attempt. */
  initialAbility: number;
  /** A new level starts at the previous level's ability minus this (a new level's items are harder by construction). */
  newSkillDiscount: number;
  /** Elo step for abilities: K = max(abilityKFloor, abilityK / (1 + abilityKDecay · attempts)); the floor keeps tracking a learner who is still learning. */
  abilityK: number;
  abilityKDecay: number;
  abilityKFloor: number;
  /** Elo step for item difficulties (shared by all learners): K = itemK / (1 + itemKDecay · attempts). */
  itemK: number;
  itemKDecay: number;
  /** Outcome at or above which an attempt is a success (FSRS "Good"); between hardScore and it, "Hard"; below, "Again". */
  successScore: number;
  hardScore: number;
  /** FSRS target probability of recall at review time. */
  requestRetention: number;
  /** FSRS-6 weights (21 numbers) refitted from the service's own review logs; FSRS-6's published defaults when absent. */
  fsrsWeights?: readonly number[];
  /** Open skills considered at once: levels up to the lowest open level + this. */
  levelWindow: number;
  maxReviewsPerDay: number;
  newSkillsPerDay: number;
}

export const PLANNER_DEFAULTS: PlannerParameters = {
  targetBand: [0.65, 0.85],
  masteryLevel: 0.8,
  minAttemptsForMastery: 6,
  initialAbility: 0,
  newSkillDiscount: 0.3,
  abilityK: 0.8,
  abilityKDecay: 0.05,
  abilityKFloor: 0.3,
  itemK: 0.4,
  itemKDecay: 0.02,
  successScore: 0.8,
  hardScore: 0.5,
  requestRetention: 0.9,
  levelWindow: 1,
  maxReviewsPerDay: 20,
  newSkillsPerDay: 2,
};
