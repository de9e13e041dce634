import { EMOTION_TABLE } from './emotion-table';
import { FACE_EMOTIONS } from '../../multimodal/engine/types';
import { EMOTION_DISPLAY_NAMES, EMOTION_NAMES, resolveEmotionLabel } from './emotion-labels';
import { GM_PROGRAM_NAMES, INSTRUMENT_CHOICES, resolveInstrument } from './gm-programs';
import { planFromEmotion } from './plan';
import { isMinorFamily } from './theory';

const anchor = (name: string) => EMOTION_TABLE.find((a) => a.emotion === name)!;

describe('emotion labels', () => {
  it("takes every label of the platform's own recognisers (a fused emotion sent on as it is) and common noun forms", () => {
    for (const label of FACE_EMOTIONS) expect([label, resolveEmotionLabel(label)]).toEqual([label, expect.any(String)]);
    expect(resolveEmotionLabel('Neutral')).toBe('calm');
    expect(resolveEmotionLabel('surprised')).toBe('excited');
    expect(resolveEmotionLabel('disgusted')).toBe('angry');
    expect(resolveEmotionLabel('happiness')).toBe('happy');
    expect(resolveEmotionLabel('轻松')).toBe('calm');
  });

  it('resolves English and Chinese labels and synonyms, case-insensitively', () => {
    expect(resolveEmotionLabel('Happy')).toBe('happy');
    expect(resolveEmotionLabel(' FEARFUL ')).toBe('tense');
    expect(resolveEmotionLabel('快乐')).toBe('happy');
    expect(resolveEmotionLabel('开心')).toBe('happy');
    expect(resolveEmotionLabel('伤心')).toBe('sad');
    expect(resolveEmotionLabel('悲伤')).toBe('sad');
    expect(resolveEmotionLabel('平静')).toBe('calm');
    expect(resolveEmotionLabel('恐惧')).toBe('tense');
    expect(resolveEmotionLabel('紧张')).toBe('tense');
    expect(resolveEmotionLabel('愤怒')).toBe('angry');
    expect(resolveEmotionLabel('温柔')).toBe('tender');
    expect(resolveEmotionLabel('激动')).toBe('excited');
    expect(resolveEmotionLabel('兴奋')).toBe('excited');
    expect(resolveEmotionLabel('神秘')).toBe('mysterious');
    expect(resolveEmotionLabel('bananas')).toBeUndefined();
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])("does not take the object prototype's %s for a label", (name) => {
    expect(resolveEmotionLabel(name)).toBeUndefined();
  });

  it('has a table anchor for every emotion name', () => {
    for (const name of EMOTION_NAMES) expect(anchor(name)).toBeDefined();
  });

  it('shows each emotion under names the API accepts for it', () => {
    for (const name of EMOTION_NAMES) {
      expect(resolveEmotionLabel(EMOTION_DISPLAY_NAMES[name].english)).toBe(name);
      expect(resolveEmotionLabel(EMOTION_DISPLAY_NAMES[name].chinese)).toBe(name);
    }
  });
});

describe('instrument choices', () => {
  it('reads an instrument by its number, its General MIDI name in any case, or an everyday name', () => {
    expect(['Violin', 'violin', 'Acoustic Grand Piano', 'piano', 'strings', ' French  Horn ', '40', 73].map(resolveInstrument)).toEqual([
      40, 40, 0, 0, 48, 60, 40, 73,
    ]);
    expect(['kazoo', '', '128', 128, -1, 1.5, null].map(resolveInstrument)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('offers distinct General MIDI programs, none of them percussion or sound effects', () => {
    expect(new Set(INSTRUMENT_CHOICES).size).toBe(INSTRUMENT_CHOICES.length);
    for (const program of INSTRUMENT_CHOICES) {
      expect(GM_PROGRAM_NAMES[program]).toBeDefined();
      // 96–103 are sound effects (rain, goblins...), 112–127 percussion and noises.
      expect(program < 96 || (program >= 104 && program < 112)).toBe(true);
    }
  });
});

describe('planFromEmotion', () => {
  it('plays faster as arousal rises, for every valence', () => {
    for (const valence of [-0.9, -0.5, 0, 0.5, 0.9]) {
      let last = 0;
      for (let arousal = -1; arousal <= 1.0001; arousal += 0.1) {
        const { tempo } = planFromEmotion({ valence, arousal: Math.min(1, arousal) }, 60);
        expect(tempo).toBeGreaterThanOrEqual(last);
        last = tempo;
      }
    }
  });

  it('orders the anchors by tempo as they are ordered by arousal', () => {
    const byArousal = [...EMOTION_TABLE].sort((a, b) => a.arousal - b.arousal);
    for (let i = 1; i < byArousal.length; i++) expect(byArousal[i].tempo).toBeGreaterThanOrEqual(byArousal[i - 1].tempo);
  });

  it('chooses a minor-family mode for negative valence and a major-family mode for positive valence', () => {
    for (let v = -1; v <= 1.0001; v += 0.25) {
      for (let a = -1; a <= 1.0001; a += 0.25) {
        const plan = planFromEmotion({ valence: Math.min(1, v), arousal: Math.min(1, a) }, 30);
        expect(isMinorFamily(plan.mode)).toBe(v < 0);
      }
    }
  });

  it('puts sad music low and soft, happy music high and loud', () => {
    const sad = planFromEmotion({ valence: -0.7, arousal: -0.5, label: 'sad' }, 60);
    const happy = planFromEmotion({ valence: 0.8, arousal: 0.5, label: 'happy' }, 60);
    expect(sad.mode).toBe('minor');
    expect(happy.mode).toBe('major');
    expect(sad.melodyRange[0]).toBeLessThan(happy.melodyRange[0]);
    expect(sad.loudness).toBeLessThan(happy.loudness);
    expect(sad.articulation).toBe('legato');
    expect(sad.tempo).toBeLessThan(happy.tempo);
  });

  it.each([10, 60, 300])('fits the form to %i s within one bar', (durationSec) => {
    for (const name of EMOTION_NAMES) {
      const a = anchor(name);
      const plan = planFromEmotion({ valence: a.valence, arousal: a.arousal, label: name }, durationSec);
      const barSec = (60 / plan.tempo) * plan.meter[0] * (4 / plan.meter[1]);
      const total = plan.sections.reduce((s, x) => s + x.bars, 0);
      expect(total).toBe(plan.bars);
      expect(Math.abs(total * barSec - durationSec)).toBeLessThanOrEqual(barSec);
    }
  });

  it("lays out intro, A, B, A' and outro for a one-minute piece", () => {
    const plan = planFromEmotion({ valence: 0.8, arousal: 0.5 }, 60);
    expect(plan.sections.map((s) => s.name)).toEqual(['intro', 'A', 'B', "A'", 'outro']);
  });

  it('explains its choices in plain sentences', () => {
    const plan = planFromEmotion({ valence: -0.7, arousal: -0.5 }, 60);
    expect(plan.explanation.join(' ')).toMatch(/Slow tempo \(\d+ BPM\).*arousal is low/);
    expect(plan.explanation.join(' ')).toMatch(/minor because valence is negative/);
  });

  it('applies tempo and instrument overrides', () => {
    const plan = planFromEmotion({ valence: 0.5, arousal: 0.5 }, 30, { tempo: 100, instruments: [40, 46, 32] });
    expect(plan.tempo).toBe(100);
    expect(plan.instruments.slice(0, 3).map((i) => i.program)).toEqual([40, 46, 32]);
    expect(plan.instruments[0].name).toBe('Violin');
  });

  it('rejects out-of-range inputs with RangeError naming the field', () => {
    expect(() => planFromEmotion({ valence: 1.5, arousal: 0 }, 60)).toThrow(new RangeError('valence must be a finite number in [-1, 1], got 1.5'));
    expect(() => planFromEmotion({ valence: 0, arousal: Number.NaN }, 60)).toThrow(/arousal must be a finite number/);
    expect(() => planFromEmotion({ valence: 0, arousal: 0 }, 5)).toThrow(/durationSec must be between 10 and 300/);
    expect(() => planFromEmotion({ valence: 0, arousal: 0 }, 301)).toThrow(RangeError);
    expect(() => planFromEmotion({ valence: 0, arousal: 0 }, 60, { tempo: 500 })).toThrow(/tempo must be between/);
    expect(() => planFromEmotion({ valence: 0, arousal: 0 }, 60, { instruments: [128] })).toThrow(/General MIDI program/);
    expect(() => planFromEmotion({ valence: 0, arousal: 0, label: 'grumpy' as never }, 60)).toThrow(/label must be one of happy/);
    expect(() => planFromEmotion({ valence: 0, arousal: 0 }, 60, { style: 'polka' })).toThrow(/style must be one of/);
  });
});
