/**
 * LessonPlanner: what to practise next, and today's plan.
 *
 * - Ability per skill and difficulty per item are estimated jointly with the Elo rating system as used in adaptive
 *   learning (Pelánek 2016, "Applications of the Elo rating system in adaptive educational systems"): P(success) =
 *   g + (1 − g)·σ(θ_skill − b_item) (a Rasch model with the guessing floor g of multiple choice); after an attempt with
 *   outcome y ∈ [0, 1], θ += K_θ(n)·(y − P) and, on a learner's first attempt at the item, b −= K_b(m)·(y − P), with
 *   uncertainty K(n) = a / (1 + c·n) shrinking as a learner's (n) or an item's (m first attempts over all learners)
 *   attempts grow (Pelánek et al. 2017, "Elo-based learner modeling for the adaptive practice of facts"; the same joint
 *   learner/item estimation as Duolingo's Birdbrain). Predictions fold in forgetting through the item's FSRS recall.
 * - The next exercise keeps the predicted success inside a target band (0.65–0.85 by default): hard enough to learn
 *   from, easy enough not to discourage.
 * - Items a learner has met become FSRS cards (ts-fsrs, FSRS-6 default weights unless refitted ones are given, no
 *   fuzz); due cards come first and fill the "review" part of the daily plan.
 * All state is plain JSON (the service persists it); methods return new state and never mutate their input.
 */
import { createEmptyCard, default_w, fsrs, Rating, type Card, type FSRS, type Grade } from 'ts-fsrs';
import { createRng } from '../../../music/engine/rng';
import { allItems, itemsForSkill } from '../exercises/exercises';
import { curriculumOrder, SKILLS, skillById, type Skill } from '../skills/skill-graph';
import { PLANNER_DEFAULTS, type PlannerParameters } from './planner-parameters';

/** A learner's ability on one skill (logits). */
export interface SkillAbility {
  theta: number;
  attempts: number;
  successes: number;
  /** ISO time of the last attempt. */
  lastPracticed?: string;
}

/** An FSRS card as JSON (dates as ISO strings). */
export interface StoredCard {
  due: string;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: number;
  last_review?: string;
}

/** One learner's progress. */
export interface LearnerProgress {
  abilities: Record<string, SkillAbility>;
  /** FSRS cards by item id. */
  cards: Record<string, StoredCard>;
}

/** Item difficulties shared by all learners (logits) with how many attempts informed them. */
export type ItemCalibration = Record<string, { difficulty: number; attempts: number }>;

export type NextKind = 'review' | 'practice' | 'new';

export interface NextExercise {
  itemId: string;
  skillId: string;
  kind: NextKind;
  /** Predicted probability of success 0–1. */
  predictedSuccess: number;
  /** Why this one, in words. */
  reason: string;
}

export interface PlanEntry {
  skillId: string;
  itemId?: string;
  reason: string;
}

export interface DailyPlan {
  /** ISO date of the plan. */
  date: string;
  reviews: PlanEntry[];
  newMaterial: PlanEntry[];
  /** Sentences summarising the plan. */
  summary: string[];
}

export interface Recommendation {
  skillId: string;
  /** 0–1: predicted success on the skill's items. */
  mastery: number;
  reason: string;
}

export interface AttemptOutcome {
  progress: LearnerProgress;
  calibration: ItemCalibration;
  /** Predicted success before the attempt. */
  predicted: number;
  /** Ability change on the skill (logits). */
  abilityChange: number;
  /** When the item is due for review (ISO). */
  nextReview: string;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const DAY_MS = 86_400_000;
const ITEMS = new Map(allItems().map((i) => [i.itemId, i]));

/** Guessing floor of an item: 1/choices for listen-and-choose drills, 0 otherwise. */
export function guessRate(itemId: string): number {
  const item = ITEMS.get(itemId);
  if (!item) throw new RangeError(`unknown item: ${itemId}`);
  const c = skillById(item.skillId).content;
  const choices = c.intervals?.semitones.length ?? c.chords?.qualities.length ?? c.modes?.length;
  return choices ? 1 / choices : 0;
}

function toCard(stored: StoredCard): Card {
  return {
    ...stored,
    due: new Date(stored.due),
    state: stored.state,
    last_review: stored.last_review ? new Date(stored.last_review) : undefined,
  };
}

function fromCard(card: Card): StoredCard {
  return {
    due: card.due.toISOString(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsed_days,
    scheduled_days: card.scheduled_days,
    learning_steps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    ...(card.last_review ? { last_review: card.last_review.toISOString() } : {}),
  };
}

export class LessonPlanner {
  readonly parameters: PlannerParameters;
  private readonly scheduler: FSRS;

  constructor(parameters: Partial<PlannerParameters> = {}) {
    this.parameters = { ...PLANNER_DEFAULTS, ...parameters };
    const { fsrsWeights, requestRetention } = this.parameters;
    if (fsrsWeights && (fsrsWeights.length !== default_w.length || !fsrsWeights.every(Number.isFinite)))
      throw new RangeError(`fsrsWeights must be ${default_w.length} finite numbers`);
    this.scheduler = fsrs({ request_retention: requestRetention, enable_fuzz: false, ...(fsrsWeights ? { w: [...fsrsWeights] } : {}) });
  }

  /** A fresh learner: no attempts, abilities at the starting value. */
  static newLearner(): LearnerProgress {
    return { abilities: {}, cards: {} };
  }

  /** Ability (logits) on a skill: measured, or inherited from its prerequisites before the first attempt. */
  ability(progress: LearnerProgress, skillId: string): number {
    const own = progress.abilities[skillId];
    if (own) return own.theta;
    const skill = skillById(skillId);
    const sameArea = skill.prerequisites.map(skillById).filter((s) => s.area === skill.area);
    if (sameArea.length) return this.ability(progress, sameArea[0].id) - this.parameters.newSkillDiscount;
    return this.parameters.initialAbility;
  }

  /** Current difficulty estimate of an item (logits). */
  difficulty(calibration: ItemCalibration, itemId: string): number {
    const item = ITEMS.get(itemId);
    if (!item) throw new RangeError(`unknown item: ${itemId}`);
    return calibration[itemId]?.difficulty ?? item.priorDifficulty;
  }

  /**
   * Predicted probability 0–1 that the learner succeeds on the item. With `now`, what has been learned fades with the
   * item's FSRS retrievability R: g + (1 − g)·σ(θ − b)·R (so forgetting is not mistaken for lower ability).
   */
  predict(progress: LearnerProgress, calibration: ItemCalibration, itemId: string, now?: Date): number {
    const item = ITEMS.get(itemId);
    if (!item) throw new RangeError(`unknown item: ${itemId}`);
    const g = guessRate(itemId);
    const stored = now ? progress.cards[itemId] : undefined;
    const recall = stored && now ? this.scheduler.get_retrievability(toCard(stored), now, false) : 1;
    return g + (1 - g) * sigmoid(this.ability(progress, item.skillId) - this.difficulty(calibration, itemId)) * recall;
  }

  /** Mastery 0–1 of a skill: mean predicted success over its items (with forgetting when `now` is given). */
  mastery(progress: LearnerProgress, calibration: ItemCalibration, skillId: string, now?: Date): number {
    const items = itemsForSkill(skillId);
    return items.reduce((s, i) => s + this.predict(progress, calibration, i.itemId, now), 0) / items.length;
  }

  /** Mastered = enough attempts and predicted success at or above the mastery level. */
  isMastered(progress: LearnerProgress, calibration: ItemCalibration, skillId: string, now?: Date): boolean {
    const a = progress.abilities[skillId];
    return !!a && a.attempts >= this.parameters.minAttemptsForMastery && this.mastery(progress, calibration, skillId, now) >= this.parameters.masteryLevel;
  }

  /** Skills whose prerequisites are all mastered (prerequisites count as mastered without forgetting: a lapse does not relock). */
  unlocked(progress: LearnerProgress, calibration: ItemCalibration): Skill[] {
    return SKILLS.filter((s) => s.prerequisites.every((p) => this.isMastered(progress, calibration, p)));
  }

  /** Cards due at `now`, most forgotten first. */
  /** Cards due by `dueBy` (default `now`), least recalled first, with their recall read at `now`. */
  dueReviews(progress: LearnerProgress, now: Date, dueBy = now): { itemId: string; retrievability: number; card: Card }[] {
    return Object.entries(progress.cards)
      .map(([itemId, stored]) => ({ itemId, card: toCard(stored) }))
      .filter(({ card }) => card.due.getTime() <= dueBy.getTime())
      .map(({ itemId, card }) => ({ itemId, card, retrievability: this.scheduler.get_retrievability(card, now, false) }))
      .sort((a, b) => a.retrievability - b.retrievability);
  }

  /** The exercise to do now: a due review, else practice in the target band on the skill that needs it most. */
  next(progress: LearnerProgress, calibration: ItemCalibration, now: Date, seed = 0): NextExercise {
    const p = this.parameters;
    const due = this.dueReviews(progress, now);
    if (due.length) {
      const { itemId, retrievability, card } = due[0];
      const item = ITEMS.get(itemId)!;
      const days = card.last_review ? (now.getTime() - card.last_review.getTime()) / DAY_MS : 0;
      return {
        itemId,
        skillId: item.skillId,
        kind: 'review',
        predictedSuccess: this.predict(progress, calibration, itemId, now),
        reason: `Review ${item.promptLabel}: last practised ${describeDays(days)}, recall now about ${Math.round(100 * retrievability)}% (FSRS).`,
      };
    }
    const rng = createRng(seed);
    const unlocked = this.unlocked(progress, calibration);
    const open = unlocked.filter((s) => !this.isMastered(progress, calibration, s.id, now));
    const pool = open.length ? open : unlocked;
    // Prefer the lowest levels still open (foundations first), then the least recently practised skill (interleaving).
    const lowest = Math.min(...pool.map((s) => s.level));
    const candidates = pool.filter((s) => s.level <= lowest + p.levelWindow);
    const stamp = (s: Skill) => (progress.abilities[s.id]?.lastPracticed ? Date.parse(progress.abilities[s.id].lastPracticed!) : -Infinity);
    const skill = candidates.reduce((best, s) => (stamp(s) < stamp(best) || (stamp(s) === stamp(best) && rng.chance(0.5)) ? s : best));
    const items = itemsForSkill(skill.id).map((i) => ({ item: i, p: this.predict(progress, calibration, i.itemId, now) }));
    const [lo, hi] = p.targetBand;
    const inBand = items.filter((x) => x.p >= lo && x.p <= hi);
    const middle = (lo + hi) / 2;
    const chosen = inBand.length ? rng.pick(inBand) : items.reduce((a, b) => (Math.abs(b.p - middle) < Math.abs(a.p - middle) ? b : a));
    const fresh = !progress.abilities[skill.id];
    const bandWords = inBand.length ? `inside the target band ${pct(lo)}–${pct(hi)}` : `the closest to the target band ${pct(lo)}–${pct(hi)}`;
    return {
      itemId: chosen.item.itemId,
      skillId: skill.id,
      kind: fresh ? 'new' : 'practice',
      predictedSuccess: chosen.p,
      reason: `${fresh ? 'New' : 'Practice'}: ${skill.name} — ${chosen.item.promptLabel}; predicted success ${pct(chosen.p)}, ${bandWords}.`,
    };
  }

  /** The FSRS rating of an attempt's score: Good from `successScore`, Hard from `hardScore`, else Again. */
  gradeOf(score: number): Grade {
    const p = this.parameters;
    return score >= p.successScore ? Rating.Good : score >= p.hardScore ? Rating.Hard : Rating.Again;
  }

  /** Updates ability, item difficulty and the item's FSRS card after an attempt with outcome `score` 0–1. */
  record(progress: LearnerProgress, calibration: ItemCalibration, itemId: string, score: number, now: Date): AttemptOutcome {
    const item = ITEMS.get(itemId);
    if (!item) throw new RangeError(`unknown item: ${itemId}`);
    if (!(score >= 0 && score <= 1)) throw new RangeError('score must be in [0, 1]');
    const p = this.parameters;
    const predicted = this.predict(progress, calibration, itemId, now);
    const previous = progress.abilities[item.skillId];
    const theta = this.ability(progress, item.skillId);
    const attempts = previous?.attempts ?? 0;
    const itemAttempts = calibration[itemId]?.attempts ?? 0;
    const surprise = score - predicted;
    const kTheta = Math.max(p.abilityKFloor, p.abilityK / (1 + p.abilityKDecay * attempts));
    const kItem = p.itemK / (1 + p.itemKDecay * itemAttempts);
    const ability: SkillAbility = {
      theta: theta + kTheta * surprise,
      attempts: attempts + 1,
      successes: (previous?.successes ?? 0) + (score >= p.successScore ? 1 : 0),
      lastPracticed: now.toISOString(),
    };
    const grade = this.gradeOf(score);
    const firstAttempt = !progress.cards[itemId];
    const card = firstAttempt ? createEmptyCard(now) : toCard(progress.cards[itemId]);
    const next = this.scheduler.next(card, now, grade).card;
    return {
      progress: { abilities: { ...progress.abilities, [item.skillId]: ability }, cards: { ...progress.cards, [itemId]: fromCard(next) } },
      // Difficulty learns from first attempts only (Pelánek et al. 2017): later attempts measure the learner's progress,
      // and letting them move the item would make every practised item drift easier.
      calibration: firstAttempt
        ? { ...calibration, [itemId]: { difficulty: this.difficulty(calibration, itemId) - kItem * surprise, attempts: itemAttempts + 1 } }
        : calibration,
      predicted,
      abilityChange: ability.theta - theta,
      nextReview: next.due.toISOString(),
    };
  }

  /**
   * Today's plan: reviews due by the end of the learner's day (`endOfDay`, the last millisecond of their calendar day;
   * 24 hours from now when not given), then new material, each with its reason.
   */
  dailyPlan(progress: LearnerProgress, calibration: ItemCalibration, now: Date, endOfDay = new Date(now.getTime() + DAY_MS - 1)): DailyPlan {
    const p = this.parameters;
    const reviews = this.dueReviews(progress, now, endOfDay)
      .slice(0, p.maxReviewsPerDay)
      .map(({ itemId, retrievability, card }) => {
        const item = ITEMS.get(itemId)!;
        const days = card.last_review ? (now.getTime() - card.last_review.getTime()) / DAY_MS : 0;
        return {
          skillId: item.skillId,
          itemId,
          reason: `Review ${item.promptLabel}: last practised ${describeDays(days)}, recall about ${Math.round(100 * retrievability)}%.`,
        };
      });
    const open = this.unlocked(progress, calibration)
      .filter((s) => !this.isMastered(progress, calibration, s.id, now))
      .sort((a, b) => a.level - b.level || this.mastery(progress, calibration, a.id, now) - this.mastery(progress, calibration, b.id, now));
    const newMaterial = open.slice(0, p.newSkillsPerDay).map((s) => {
      const mastery = this.mastery(progress, calibration, s.id, now);
      const attempts = progress.abilities[s.id]?.attempts ?? 0;
      const mastered = s.prerequisites.filter((q) => this.isMastered(progress, calibration, q)).map((q) => skillById(q).name);
      const reason =
        attempts === 0
          ? `Start ${s.name}: ${mastered.length ? `you have mastered ${mastered.join(' and ')}` : 'a first step in this area'}.`
          : `Continue ${s.name}: predicted success ${pct(mastery)} after ${attempts} attempts; mastery needs ${pct(p.masteryLevel)}.`;
      return { skillId: s.id, reason };
    });
    const summary: string[] = [];
    summary.push(
      reviews.length
        ? `${reviews.length} review${reviews.length === 1 ? '' : 's'} due today, so what you learned does not fade (FSRS, ${pct(p.requestRetention)} target recall).`
        : 'No reviews due today.',
    );
    if (newMaterial.length) summary.push(`New material: ${newMaterial.map((e) => skillById(e.skillId).name).join(', ')}.`);
    const mastered = SKILLS.filter((s) => this.isMastered(progress, calibration, s.id, now)).length;
    summary.push(`${mastered} of ${SKILLS.length} skills mastered.`);
    return { date: now.toISOString().slice(0, 10), reviews, newMaterial, summary };
  }

  /** Per area: the skill to work on and why (weakest open skill first across areas). */
  recommendations(progress: LearnerProgress, calibration: ItemCalibration, now?: Date): Recommendation[] {
    const out: Recommendation[] = [];
    for (const s of curriculumOrder()) {
      if (out.some((r) => skillById(r.skillId).area === s.area)) continue;
      if (this.isMastered(progress, calibration, s.id, now)) continue;
      if (!s.prerequisites.every((q) => this.isMastered(progress, calibration, q))) continue;
      const mastery = this.mastery(progress, calibration, s.id, now);
      const attempts = progress.abilities[s.id]?.attempts ?? 0;
      out.push({
        skillId: s.id,
        mastery,
        reason:
          attempts === 0
            ? `${s.name} is open: its prerequisites are mastered.`
            : `${s.name}: predicted success ${pct(mastery)} after ${attempts} attempts (mastery at ${pct(this.parameters.masteryLevel)}).`,
      });
    }
    return out.sort((a, b) => a.mastery - b.mastery);
  }
}

function pct(x: number): string {
  return `${Math.round(100 * x)}%`;
}

function describeDays(days: number): string {
  if (days < 1 / 24) return 'a few minutes ago';
  if (days < 1) return `${Math.round(days * 24)} hours ago`;
  const d = Math.round(days);
  return d === 1 ? 'yesterday' : `${d} days ago`;
}
