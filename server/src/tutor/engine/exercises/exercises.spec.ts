import { parseMidi } from '../../../music/engine';
import { MODE_STEPS } from '../../../music/engine/theory';
import { curriculumOrder, INTERVAL_NAMES, SKILLS } from '../skills/skill-graph';
import type { ChoiceExercise, MelodyExercise, NoteReadingExercise, RhythmExercise } from './exercise-types';
import { allItems, exerciseMidi, generateExercise, itemsForSkill } from './exercises';
import { assessTaps, gradeAnswer } from './grading';

describe('skill graph', () => {
  it('covers every area from level 1 to 5 and orders prerequisites first', () => {
    const order = curriculumOrder().map((s) => s.id);
    expect(order).toHaveLength(SKILLS.length);
    for (const s of SKILLS) for (const p of s.prerequisites) expect(order.indexOf(p)).toBeLessThan(order.indexOf(s.id));
    expect(new Set(SKILLS.map((s) => s.area)).size).toBe(7);
  });
});

describe('generateExercise', () => {
  it('makes a playable exercise for every item, deterministically per seed', () => {
    for (const item of allItems()) {
      const a = generateExercise(item.itemId, 11);
      expect(generateExercise(item.itemId, 11)).toEqual(a);
      if (a.kind !== 'note-reading') expect(parseMidi(exerciseMidi(a)).tracks.length).toBeGreaterThan(0);
    }
  });

  it('names an identification item, before it is answered, only by what kind of item it is (its name is the answer)', () => {
    for (const skill of SKILLS.filter((s) => s.content.intervals || s.content.chords || s.content.modes)) {
      const items = itemsForSkill(skill.id);
      expect(new Set(items.map((i) => i.promptLabel)).size).toBe(1);
      for (const item of items) {
        const { answer } = generateExercise(item.itemId, 5) as ChoiceExercise;
        expect(item.promptLabel).not.toContain(answer);
        expect(item.label).toContain(answer);
      }
    }
  });

  it('gives a sight-singer the first note only, and a play-back learner the whole melody', () => {
    const sight = generateExercise('sight-singing.1:short', 7) as MelodyExercise;
    expect(sight.audio.notes).toEqual([expect.objectContaining({ pitch: sight.melody[0].pitch })]);
    const playBack = generateExercise('play-back.1:short', 7) as MelodyExercise;
    expect(playBack.audio.notes).toHaveLength(playBack.melody.length);
  });

  it('plays the asked interval between the two notes, in the asked direction', () => {
    for (const item of itemsForSkill('intervals.4')) {
      const e = generateExercise(item.itemId, 3) as ChoiceExercise;
      const [first, second] = e.audio.notes;
      const semitones = Number(item.itemId.split(':')[1]);
      expect(first.pitch - second.pitch).toBe(semitones);
      expect(e.answer).toBe(INTERVAL_NAMES[semitones]);
      expect(e.choices).toContain(e.answer);
    }
  });

  it('plays scales with the mode’s steps from the music engine’s theory', () => {
    const e = generateExercise('scales.4:lydian', 5) as ChoiceExercise;
    const pitches = e.audio.notes.map((n) => n.pitch).sort((a, b) => a - b);
    expect(pitches.slice(0, 7).map((p) => p - pitches[0])).toEqual([...MODE_STEPS.lydian]);
  });

  it('writes note-reading answers spelled for the key signature', () => {
    for (let seed = 0; seed < 20; seed++) {
      const e = generateExercise('note-reading.5:staff', seed) as NoteReadingExercise;
      if (e.staff.keySignature > 0) expect(e.answer.join('')).not.toContain('b');
      if (e.staff.keySignature < 0) expect(e.answer.join('')).not.toContain('#');
      e.staff.notes.forEach((n, i) => expect(n.name.startsWith(e.answer[i])).toBe(true));
    }
  });

  it('fills every rhythm bar exactly and puts the level’s focus cell in it', () => {
    const e = generateExercise('rhythm.3:dotted quarter + eighth', 9) as RhythmExercise;
    expect(e.pattern.reduce((s, d) => s + Math.abs(d), 0)).toBeCloseTo(8, 9);
    expect(e.pattern.join(',')).toContain('1.5,0.5');
    expect(e.expectedTaps).toHaveLength(e.pattern.filter((d) => d > 0).length);
    expect(e.expectedTaps[0]).toBeCloseTo((4 * 60) / e.bpm, 9);
  });

  it('composes play-back melodies within the level’s leaps and the learner’s range', () => {
    for (let seed = 0; seed < 6; seed++) {
      const e = generateExercise('play-back.2:long', seed, { range: [48, 64] }) as MelodyExercise;
      const pitches = e.melody.map((n) => n.pitch);
      expect(pitches).toHaveLength(6);
      pitches.forEach((p, i) => i > 0 && expect(Math.abs(p - pitches[i - 1])).toBeLessThanOrEqual(5));
      expect(Math.max(...pitches) - Math.min(...pitches)).toBeLessThanOrEqual(8);
      expect(Math.min(...pitches)).toBeGreaterThanOrEqual(48);
      expect(Math.max(...pitches)).toBeLessThanOrEqual(64);
      expect(e.melody[1].start).toBeCloseTo(60 / e.bpm, 6);
    }
  });
});

describe('grading', () => {
  it('grades choices and spelled note names', () => {
    const e = generateExercise('chords.2:augmented', 1) as ChoiceExercise;
    expect(gradeAnswer(e, { kind: 'choice', answer: 'Augmented' }).correct).toBe(true);
    expect(gradeAnswer(e, { kind: 'choice', answer: 'major' }).correct).toBe(false);
    const r = generateExercise('note-reading.1:staff', 2) as NoteReadingExercise;
    expect(gradeAnswer(r, { kind: 'names', names: r.answer.map((a) => a.toLowerCase()) }).score).toBe(1);
    expect(gradeAnswer(r, { kind: 'names', names: ['X', ...r.answer.slice(1)] }).score).toBe(0.75);
  });

  it('judges taps against the pattern, forgiving a constant latency', () => {
    const e = generateExercise('rhythm.2:two eighths', 4) as RhythmExercise;
    const taps = e.expectedTaps.map((t) => t + 0.05);
    const good = assessTaps(e, taps);
    expect(good.taps.every((v) => v.verdict === 'on-time')).toBe(true);
    expect(good.result.correct).toBe(true);
    const shaky = [...taps];
    shaky[2] += 0.15;
    shaky.splice(4, 1);
    const bad = assessTaps(e, [...shaky, taps.at(-1)! + 0.5]);
    expect(bad.taps[2].verdict).toBe('late');
    expect(bad.taps[4].verdict).toBe('missed');
    expect(bad.extraTaps).toBe(1);
    expect(bad.result.correct).toBe(false);
  });
});
