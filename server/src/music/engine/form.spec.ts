import { sectionCaesuras } from './caesura';
import { compose } from './compose';
import { planForm } from './form';
import { planFromEmotion } from './plan';

describe('form', () => {
  it.each([2, 5, 9, 12, 16, 31, 48, 80, 150])('splits %i bars into sections that add up exactly', (bars) => {
    const sections = planForm(bars);
    expect(sections.reduce((s, x) => s + x.bars, 0)).toBe(bars);
    const a = sections.filter((s) => s.name.startsWith('A')).map((s) => s.bars);
    if (bars >= 12) expect(new Set(a).size).toBe(1);
  });

  it('adds a development section and a second reprise for long pieces', () => {
    expect(planForm(100).map((s) => s.name)).toEqual(['intro', 'A', 'B', "A'", 'C', "A''", 'outro']);
  });

  it('leaves one silent beat before the reprise while the drums play through it', () => {
    const plan = planFromEmotion({ valence: 0.8, arousal: 0.5, label: 'happy' }, 60);
    const [pause] = sectionCaesuras(plan);
    expect(pause).toBeDefined();
    const piece = compose(plan, 9);
    const secPerBeat = 60 / plan.tempo;
    const from = pause.startBeat * secPerBeat + 0.03;
    const to = pause.endBeat * secPerBeat - 0.03;
    const sounding = piece.notes.filter((n) => n.startSec < to && n.startSec + n.durationSec > from);
    expect(sounding.length).toBeGreaterThan(0);
    expect(sounding.every((n) => n.channel === 9)).toBe(true);
  });
});

describe('restatement', () => {
  it("repeats the A section's chords and voicings in A'", () => {
    const plan = planFromEmotion({ valence: -0.7, arousal: -0.5, label: 'sad' }, 90);
    for (let seed = 1; seed <= 6; seed++) {
      const piece = compose(plan, seed);
      const a = piece.chords.filter((c) => c.section === 'A');
      const reprise = piece.chords.filter((c) => c.section === "A'");
      expect(reprise.map((c) => c.numeral)).toEqual(a.map((c) => c.numeral));
      expect(reprise.map((c) => c.voicing)).toEqual(a.map((c) => c.voicing));
    }
  });

  it('writes chromatic passing notes only a semitone between whole-step neighbours', () => {
    const plan = planFromEmotion({ valence: -0.6, arousal: 0.6, label: 'tense' }, 120);
    let seen = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const { melody } = compose(plan, seed);
      melody.forEach((n, i) => {
        if (!n.chromatic) return;
        seen++;
        expect(n.strong).toBe(false);
        expect(Math.abs(n.pitch - melody[i - 1].pitch)).toBe(1);
      });
    }
    expect(seen).toBeGreaterThan(0);
  });
});

describe('Chinese style', () => {
  it('keeps the melody on the pentatonic scale apart from the odd chord tone', () => {
    const plan = planFromEmotion({ valence: 0.5, arousal: -0.2 }, 60, { style: 'chinese' });
    const penta = [0, 2, 4, 7, 9].map((s) => (plan.tonic + s) % 12);
    let inside = 0;
    let total = 0;
    for (let seed = 1; seed <= 5; seed++) {
      for (const n of compose(plan, seed).melody) {
        total++;
        if (penta.includes(n.pitch % 12)) inside++;
      }
    }
    expect(inside / total).toBeGreaterThan(0.85);
  });
});
