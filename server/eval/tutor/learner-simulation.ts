/**
 * Simulated learners with forgetting, to compare the planner with a fixed curriculum.
 *
 * Each learner has a true ability per skill and each item a true difficulty (the item's prior + N(0, 0.4), unknown to
 * the planner, which starts from the priors and calibrates difficulties jointly across the simulated learners). An
 * attempt succeeds with probability g + (1 − g)·σ(a_eff − b). Learning: each attempt raises the skill's learned ability
 * by η·4p(1 − p) (most from exercises that are neither trivial nor hopeless, the "desirable difficulty" region), and a
 * little of it spills over to the next level of the same area. Forgetting: the learned part decays as exp(−Δt/S) since
 * the skill's last practice; each practice sets S ← S·(1 + 8·(1 − R)) + 0.2 days, R the retention at that moment, so
 * spaced practice builds stability and massed practice hardly does (the spacing effect; at R = 0.9 stability grows
 * ×1.8, the order of FSRS's growth for a successful review).
 *
 * A learner reaches mastery at the first end of a day at which every skill's true success probability, averaged over
 * its items and after forgetting, is ≥ 0.8. Both teachers give 20 exercises a day.
 *   planner: LessonPlanner.next / record (reviews from FSRS, practice in the 0.65–0.85 band);
 *   fixed:   the curriculum order, 20 exercises per skill cycling through its items, then the next skill; after the
 *            last skill it starts again from the first (a course repeated from the top, as a fixed syllabus would).
 */
import { createRng, type Rng } from '../../src/music/engine/rng';
import {
  allItems,
  curriculumOrder,
  guessRate,
  itemsForSkill,
  LessonPlanner,
  SKILLS,
  type ItemCalibration,
  type LearnerProgress,
  type RecordedAttempt,
} from '../../src/tutor/engine';

const EXERCISES_PER_DAY = 20;
const SECONDS_PER_EXERCISE = 45;
const FIXED_BLOCK = 20;
const MASTERY = 0.8;
const LEARNING_RATE = 0.22;
const SPILLOVER = 0.3;
/** Stability growth per practice at retention R: S ← S·(1 + STABILITY_GAIN·(1 − R)) + 0.2 days (spaced practice builds it). */
const STABILITY_GAIN = 8;

interface TrueSkill {
  base: number;
  learned: number;
  stability: number;
  lastDay: number;
}

class SimulatedLearner {
  readonly skills = new Map<string, TrueSkill>();

  constructor(
    private readonly rng: Rng,
    private readonly trueDifficulty: Map<string, number>,
  ) {
    const aptitude = 0.5 * rng.gauss();
    for (const s of SKILLS) {
      // Unpractised skills sit below their level's items: starting ability falls with the level.
      this.skills.set(s.id, { base: aptitude - 0.6 - 0.75 * (s.level - 1) + 0.3 * rng.gauss(), learned: 0, stability: 1, lastDay: 0 });
    }
  }

  effective(skillId: string, day: number): number {
    const s = this.skills.get(skillId)!;
    return s.base + s.learned * Math.exp(-(day - s.lastDay) / s.stability);
  }

  successProbability(itemId: string, skillId: string, day: number): number {
    const g = guessRate(itemId);
    return g + (1 - g) * (1 / (1 + Math.exp(-(this.effective(skillId, day) - this.trueDifficulty.get(itemId)!))));
  }

  attempt(itemId: string, skillId: string, day: number): number {
    const p = this.successProbability(itemId, skillId, day);
    const success = this.rng.next() < p ? 1 : 0;
    const s = this.skills.get(skillId)!;
    const retention = Math.exp(-(day - s.lastDay) / s.stability);
    s.learned *= retention;
    s.stability = s.stability * (1 + STABILITY_GAIN * (1 - retention)) + 0.2;
    s.lastDay = day;
    const pTrue = 1 / (1 + Math.exp(-(this.effective(skillId, day) - this.trueDifficulty.get(itemId)!)));
    const gain = LEARNING_RATE * 4 * pTrue * (1 - pTrue);
    s.learned += gain;
    const skill = SKILLS.find((k) => k.id === skillId)!;
    const nextLevel = this.skills.get(`${skill.area}.${skill.level + 1}`);
    if (nextLevel) nextLevel.base += SPILLOVER * gain;
    return success;
  }

  masteredAll(day: number): boolean {
    return SKILLS.every((s) => this.skillMastery(s.id, day) >= MASTERY);
  }

  skillMastery(skillId: string, day: number): number {
    const items = itemsForSkill(skillId);
    return items.reduce((sum, i) => sum + this.successProbability(i.itemId, skillId, day), 0) / items.length;
  }
}

export interface SimulationResult {
  learners: number;
  /** Exercises to mastery per learner (Infinity when the cap was reached first). */
  planner: number[];
  fixed: number[];
  cap: number;
  /** Mean absolute error of the planner's item difficulties against the true ones, both centred per skill, before and after. */
  calibrationError: { before: number; after: number };
  /** The planner's item calibration at the end (its online estimates). */
  calibration: ItemCalibration;
  /** The same error for any estimate of the item difficulties. */
  errorOf: (difficulty: (itemId: string) => number) => number;
}

/** Runs `learners` simulated learners under both teachers (same learners, same item truths). */
export function simulateLearners(
  learners = 40,
  maxDays = 400,
  seed = 7,
  debug?: (line: string) => void,
  onAttempt?: (attempt: RecordedAttempt) => void,
): SimulationResult {
  const root = createRng(seed);
  const trueDifficulty = new Map(allItems().map((i) => [i.itemId, i.priorDifficulty + 0.4 * root.gauss()]));
  const planner = new LessonPlanner();
  let calibration: ItemCalibration = {};
  // Abilities and difficulties share one scale only up to a shift per skill, so compare within-skill deviations.
  const errorOf = (difficulty: (itemId: string) => number) => {
    let sum = 0;
    let count = 0;
    for (const skill of SKILLS) {
      const items = itemsForSkill(skill.id);
      const est = items.map((i) => difficulty(i.itemId));
      const tru = items.map((i) => trueDifficulty.get(i.itemId)!);
      const me = est.reduce((a, b) => a + b, 0) / items.length;
      const mt = tru.reduce((a, b) => a + b, 0) / items.length;
      items.forEach((_, k) => {
        sum += Math.abs(est[k] - me - (tru[k] - mt));
        count++;
      });
    }
    return sum / count;
  };
  const mae = (cal: ItemCalibration) => errorOf((itemId) => planner.difficulty(cal, itemId));
  const before = mae(calibration);
  const cap = maxDays * EXERCISES_PER_DAY;
  const plannerCounts: number[] = [];
  const fixedCounts: number[] = [];
  const order = curriculumOrder();
  const start = Date.UTC(2026, 0, 1);

  for (let l = 0; l < learners; l++) {
    // The planner.
    {
      const learner = new SimulatedLearner(root.fork(`learner ${l}`), trueDifficulty);
      let progress: LearnerProgress = LessonPlanner.newLearner();
      let done = Infinity;
      for (let day = 0, count = 0; day < maxDays && done === Infinity; day++) {
        for (let k = 0; k < EXERCISES_PER_DAY; k++, count++) {
          const now = new Date(start + day * 86_400_000 + k * SECONDS_PER_EXERCISE * 1000);
          const next = planner.next(progress, calibration, now, l * 100_000 + count);
          const y = learner.attempt(next.itemId, next.skillId, day + (k * SECONDS_PER_EXERCISE) / 86_400);
          ({ progress, calibration } = planner.record(progress, calibration, next.itemId, y, now));
          onAttempt?.({ learnerId: `learner ${l}`, itemId: next.itemId, score: y, at: now });
        }
        if (learner.masteredAll(day + 1)) done = count;
      }
      if (debug) {
        for (const s of SKILLS) {
          debug(
            `${s.id} true ${learner.skillMastery(s.id, maxDays).toFixed(2)} model ${planner.mastery(progress, calibration, s.id).toFixed(2)} attempts ${progress.abilities[s.id]?.attempts ?? 0}`,
          );
        }
      }
      plannerCounts.push(done);
    }
    // The fixed curriculum (same learner: same random stream label).
    {
      const learner = new SimulatedLearner(root.fork(`learner ${l}`), trueDifficulty);
      let done = Infinity;
      let position = 0;
      let inBlock = 0;
      let itemIndex = 0;
      let count = 0;
      for (let day = 0; day < maxDays && done === Infinity; day++) {
        for (let k = 0; k < EXERCISES_PER_DAY; k++, count++) {
          const skill = order[position];
          const items = itemsForSkill(skill.id);
          const item = items[itemIndex++ % items.length];
          learner.attempt(item.itemId, skill.id, day + (k * SECONDS_PER_EXERCISE) / 86_400);
          if (++inBlock === FIXED_BLOCK) {
            inBlock = 0;
            itemIndex = 0;
            // Next skill; after the last one, round again from the top.
            position = (position + 1) % order.length;
          }
        }
        if (learner.masteredAll(day + 1)) done = count;
      }
      fixedCounts.push(done);
    }
  }
  if (debug)
    for (const i of allItems())
      debug(
        `item ${i.itemId} prior ${i.priorDifficulty.toFixed(2)} true ${trueDifficulty.get(i.itemId)!.toFixed(2)} est ${planner.difficulty(calibration, i.itemId).toFixed(2)} n ${calibration[i.itemId]?.attempts ?? 0}`,
      );
  return { learners, planner: plannerCounts, fixed: fixedCounts, cap, calibrationError: { before, after: mae(calibration) }, calibration, errorOf };
}
