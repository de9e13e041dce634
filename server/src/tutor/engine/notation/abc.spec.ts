import { generateExercise, itemsForSkill, SKILLS } from '../index';
import type { Staff } from '../exercises/exercise-types';
import { staffToAbc } from './abc';

const staff = (notes: Staff['notes'], extra: Partial<Staff> = {}): Staff => ({ clef: 'treble', keySignature: 0, timeSignature: [4, 4], notes, ...extra });

describe('staffToAbc', () => {
  it('writes header, octaves, lengths and bar lines', () => {
    const abc = staffToAbc(
      staff([
        { pitch: 60, name: 'C4', beats: 1 },
        { pitch: 72, name: 'C5', beats: 1 },
        { pitch: 84, name: 'C6', beats: 2 },
        { pitch: 59, name: 'B3', beats: 0.5 },
        { pitch: -1, name: 'rest', beats: 3.5 },
      ]),
      'Melody',
    );
    expect(abc).toBe("X:1\nT:Melody\nM:4/4\nL:1/48\nK:C\nC12 c12 c'24 | B,6 z42 |]\n");
  });

  it('writes accidentals only where the key and the bar do not imply them', () => {
    const abc = staffToAbc(
      staff(
        [
          { pitch: 66, name: 'F#4', beats: 1 },
          { pitch: 65, name: 'F4', beats: 1 },
          { pitch: 65, name: 'F4', beats: 1 },
          { pitch: 66, name: 'F#4', beats: 1 },
          { pitch: 66, name: 'F#4', beats: 4 },
        ],
        { keySignature: 1 },
      ),
    );
    expect(abc.split('\n')[3]).toBe('K:G');
    expect(abc.split('\n')[4]).toBe('F12 =F12 F12 ^F12 | F48 |]');
    expect(staffToAbc(staff([{ pitch: 58, name: 'Bb3', beats: 4 }], { keySignature: -2, clef: 'bass' }))).toContain('K:Bb clef=bass\nB,48');
  });

  it('groups triplets', () => {
    const third = 1 / 3;
    const abc = staffToAbc(staff([60, 62, 64].map((pitch, i) => ({ pitch, name: ['C4', 'D4', 'E4'][i], beats: third }))));
    expect(abc).toContain('(3 C6 D6 E6');
  });

  it('writes every generated staff (all skills) without throwing', () => {
    for (const skill of SKILLS) {
      for (const item of itemsForSkill(skill.id)) {
        const exercise = generateExercise(item.itemId, 7);
        if ('staff' in exercise) expect(staffToAbc(exercise.staff)).toMatch(/^X:1\n/);
      }
    }
  });
});
