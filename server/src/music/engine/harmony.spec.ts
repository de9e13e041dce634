import { EMOTION_TABLE } from './emotion-table';
import { buildProgression, leadingToneOf } from './harmony';
import { chordAt, isStrongBeat, localScale } from './melodic-space';
import { planFromEmotion } from './plan';
import { compose } from './compose';
import { mod12 } from './theory';
import { createRng } from './rng';
import { candidateVoicings, parallelPerfect, parallelViolations, unresolvedLeadingTone, unresolvedSeventh, voiceProgression } from './voicing';
import { sectionCaesuras } from './caesura';

const plans = EMOTION_TABLE.map((a) => planFromEmotion({ valence: a.valence, arousal: a.arousal, label: a.emotion }, 120));

describe('voice leading', () => {
  it('detects parallel fifths and octaves, but not contrary or static ones', () => {
    expect(parallelViolations([48, 55, 64, 72], [50, 57, 65, 74])).toEqual(expect.arrayContaining([[0, 1]]));
    expect(parallelViolations([48, 60, 64, 67], [50, 62, 65, 69])).toEqual(expect.arrayContaining([[0, 1]]));
    expect(parallelViolations([48, 55, 64, 72], [48, 55, 65, 72])).toEqual([]);
  });

  it('flags a leading tone that does not rise to the tonic', () => {
    // G7-ish V (G B D G) → C major: B must go to C.
    expect(unresolvedLeadingTone([43, 59, 62, 67], [48, 60, 64, 67], 11, [0, 4, 7])).toBe(false);
    expect(unresolvedLeadingTone([43, 59, 62, 67], [48, 55, 64, 67], 11, [0, 4, 7])).toBe(true);
  });

  it('flags a chordal seventh that leaps or rises instead of falling by step', () => {
    // G7 (G B D F) → C: F must fall to E (or hold).
    expect(unresolvedSeventh([43, 59, 62, 65], [48, 60, 64, 64], 5)).toBe(false);
    expect(unresolvedSeventh([43, 59, 62, 65], [48, 60, 64, 67], 5)).toBe(true);
  });

  it('writes dominant sevenths at some authentic cadences, each seventh once and falling by step', () => {
    const plan = plans.find((p) => p.emotion === 'happy')!;
    let sevenths = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const chords = buildProgression(plan, createRng(seed));
      voiceProgression(chords, plan);
      chords.forEach((c, i) => {
        if (c.numeral !== 'V7') return;
        sevenths++;
        expect(c.voicing.filter((p) => mod12(p) === c.pitchClasses[3])).toHaveLength(1);
        const next = chords[i + 1].voicing;
        const v = c.voicing.findIndex((p) => mod12(p) === c.pitchClasses[3]);
        expect([1, 2]).toContain(c.voicing[v] - next[v]);
      });
    }
    expect(sevenths).toBeGreaterThan(0);
  });

  it('never doubles the leading tone in dominant chords', () => {
    for (const v of candidateVoicings([7, 11, 2], 0, 11)) expect(v.filter((p) => mod12(p) === 11).length).toBeLessThanOrEqual(1);
  });

  it.each(plans.map((p) => [p.emotion, p] as const))('voices %s progressions without parallels and with resolved leading tones', (_name, plan) => {
    for (let seed = 1; seed <= 12; seed++) {
      const chords = buildProgression(plan, createRng(seed));
      voiceProgression(chords, plan);
      for (let i = 0; i < chords.length; i++) {
        const v = chords[i].voicing;
        expect(v).toHaveLength(4);
        expect([...v].sort((a, b) => a - b)).toEqual(v);
        // Every voice is a chord tone; root and third are always present (the fifth may be omitted).
        for (const p of v) expect(chords[i].pitchClasses).toContain(mod12(p));
        expect(v.map(mod12)).toEqual(expect.arrayContaining(chords[i].pitchClasses.slice(0, 2)));
        if (i === 0) continue;
        expect(parallelViolations(chords[i - 1].voicing, v)).toEqual([]);
        expect(unresolvedLeadingTone(chords[i - 1].voicing, v, leadingToneOf(chords[i - 1], plan.harmonicVocabulary), chords[i].pitchClasses)).toBe(false);
        expect(unresolvedSeventh(chords[i - 1].voicing, v, chords[i - 1].pitchClasses[3])).toBe(false);
      }
    }
  });
});

describe('harmony', () => {
  it('ends every phrase on a cadence and the piece on the tonic after an authentic approach', () => {
    const plan = plans.find((p) => p.emotion === 'happy')!;
    const chords = buildProgression(plan, createRng(3));
    const cadences = chords.filter((c) => c.cadence);
    expect(cadences.length).toBeGreaterThan(4);
    for (const c of cadences) expect(c.cadence === 'authentic' ? ['I', 'i'] : ['V', 'v']).toContain(c.numeral);
    const last = chords[chords.length - 1];
    expect(last.numeral).toBe('I');
    const approach = [...chords].reverse().find((c) => c.numeral !== 'I')!;
    expect(approach.numeral).toMatch(/^V7?$/);
  });

  it('modulates the B section when the plan asks for it', () => {
    const plan = plans.find((p) => p.emotion === 'happy')!;
    const chords = buildProgression(plan, createRng(3));
    expect(chords.some((c) => c.section === 'B' && c.tonic !== plan.tonic)).toBe(true);
    expect(chords.filter((c) => c.section === 'A').every((c) => c.tonic === plan.tonic)).toBe(true);
  });
});

describe('melody', () => {
  it.each(plans.map((p) => [p.emotion, p] as const))('keeps %s melodies in the scale, on chord tones at strong beats, in a singable range', (_name, plan) => {
    const beatsPerBar = plan.meter[0] * (4 / plan.meter[1]);
    for (let seed = 1; seed <= 8; seed++) {
      const piece = compose(plan, seed);
      const pitches = piece.melody.map((n) => n.pitch);
      expect(Math.max(...pitches) - Math.min(...pitches)).toBeLessThanOrEqual(19);
      for (const note of piece.melody) {
        const chord = chordAt(piece.chords, note.startBeat);
        if (!note.chromatic) expect(localScale(chord)).toContain(mod12(note.pitch));
        const inBar = note.startBeat % beatsPerBar;
        expect(note.strong).toBe(isStrongBeat(inBar, beatsPerBar));
        if (note.strong) expect(chord.pitchClasses).toContain(mod12(note.pitch));
      }
    }
  });

  it.each(plans.map((p) => [p.emotion, p] as const))('keeps %s melody and bass free of parallel fifths/octaves between strong beats', (_name, plan) => {
    const pauses = sectionCaesuras(plan);
    for (let seed = 1; seed <= 8; seed++) {
      const piece = compose(plan, seed);
      const strong = piece.melody.filter((n) => n.strong);
      for (let i = 1; i < strong.length; i++) {
        // A general pause between the two beats interrupts the voices: nothing moves "in parallel" across silence.
        if (pauses.some((c) => c.startBeat >= strong[i - 1].startBeat && c.endBeat <= strong[i].startBeat)) continue;
        const a = [chordAt(piece.chords, strong[i - 1].startBeat).voicing[0], strong[i - 1].pitch];
        const b = [chordAt(piece.chords, strong[i].startBeat).voicing[0], strong[i].pitch];
        expect({ beat: strong[i].startBeat, parallel: parallelPerfect(a, b, 0, 1) }).toEqual({ beat: strong[i].startBeat, parallel: false });
      }
    }
  });

  it("restates the A theme in A'", () => {
    const plan = plans.find((p) => p.emotion === 'happy')!;
    const piece = compose(plan, 11);
    const beatsPerBar = plan.meter[0];
    let bar = 0;
    const starts: Record<string, number> = {};
    for (const s of plan.sections) {
      starts[s.name] = bar * beatsPerBar;
      bar += s.bars;
    }
    const firstBars = (start: number) =>
      piece.melody.filter((n) => n.startBeat >= start && n.startBeat < start + 2 * beatsPerBar).map((n) => [n.startBeat - start, n.pitch]);
    expect(firstBars(starts["A'"])).toEqual(firstBars(starts.A));
  });
});
