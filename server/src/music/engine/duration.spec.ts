import { compose } from './compose';
import { EMOTION_TABLE } from './emotion-table';
import { barsForDuration, DURATION_TOLERANCE, fitDuration, MIN_DURATION_SEC, planForm } from './form';
import { parseMidi, tickToSeconds } from './midi-read';
import { toMidi } from './midi-write';
import { MAX_TEMPO, MIN_TEMPO, planFromEmotion } from './plan';
import { analyseTopic, planFromTopic } from './topic';
import { MusicPlan } from './types';

/** Every short request from the DTO's minimum to 30 s, in half seconds (the DTO accepts fractions). */
const SHORT = Array.from({ length: (30 - MIN_DURATION_SEC) * 2 + 1 }, (_, i) => MIN_DURATION_SEC + i / 2);
const LONG = [30, 33, 45, 60, 90, 120, 180, 240, 300];

const beatsPerBar = (plan: MusicPlan) => plan.meter[0] * (4 / plan.meter[1]);
/** Written length of a plan: whole bars up to the final barline. */
const writtenSec = (plan: MusicPlan) => (plan.bars * beatsPerBar(plan) * 60) / plan.tempo;
const anchorPlan = (a: (typeof EMOTION_TABLE)[number], sec: number, tempo?: number) =>
  planFromEmotion({ valence: a.valence, arousal: a.arousal, label: a.emotion }, sec, tempo === undefined ? undefined : { tempo });

/** The end of the last note in the MIDI bytes, in seconds (what a synthesizer plays before its ring-out tail). */
function midiEndSec(bytes: Uint8Array): number {
  const midi = parseMidi(bytes);
  let end = 0;
  for (const track of midi.tracks) for (const n of track.notes) end = Math.max(end, tickToSeconds(midi, n.endTick));
  return end;
}

function expectWithin(actual: number, requested: number, tolerance: number, what: string): void {
  const off = actual / requested - 1;
  if (Math.abs(off) > tolerance + 1e-9) {
    throw new Error(`${what}: ${actual.toFixed(2)} s for ${requested} s requested (${(100 * off).toFixed(1)} %, allowed ±${100 * tolerance} %)`);
  }
}

describe('piece length vs durationSec', () => {
  it.each(EMOTION_TABLE.map((a) => a.emotion))('keeps every short %s piece (10–30 s) within 10 % of the request, in the MIDI too', (emotion) => {
    const a = EMOTION_TABLE.find((x) => x.emotion === emotion)!;
    for (const sec of SHORT) {
      const plan = anchorPlan(a, sec);
      const piece = compose(plan, 1);
      const what = `${emotion} ${plan.tempo} BPM ${plan.meter.join('/')} ${plan.bars} bars`;
      expectWithin(piece.durationSec, sec, DURATION_TOLERANCE, what);
      const end = midiEndSec(toMidi(piece));
      // The MIDI sounds up to the final barline (the held final chord), never past it.
      expect(end).toBeLessThanOrEqual(piece.durationSec + 0.002);
      expect(end).toBeGreaterThan(piece.durationSec - 60 / plan.tempo);
    }
  });

  it('keeps short pieces within 10 % across the valence/arousal plane (56–160 BPM) and for topics', () => {
    for (let v = -1; v <= 1; v += 0.25) {
      for (let ar = -1; ar <= 1; ar += 0.25) {
        for (const sec of SHORT) expectWithin(writtenSec(planFromEmotion({ valence: v, arousal: ar }, sec)), sec, DURATION_TOLERANCE, `(${v}, ${ar})`);
      }
    }
    for (const topic of ['a lonely rainy evening', '清晨的湖边，宁静的阳光', 'meditation in a quiet temple', '古筝 江南水乡 春雨']) {
      for (const sec of SHORT) expectWithin(writtenSec(planFromTopic(analyseTopic(topic), sec)), sec, DURATION_TOLERANCE, topic);
    }
  });

  it('keeps a requested tempo exactly, with the nearest whole bars (within half a bar of the request)', () => {
    for (const a of EMOTION_TABLE.filter((x) => x.emotion === 'sad' || x.emotion === 'tender')) {
      for (const tempo of [MIN_TEMPO, 44, 59, 62, 90, 140, MAX_TEMPO]) {
        for (const sec of SHORT) {
          const plan = anchorPlan(a, sec, tempo);
          expect(plan.tempo).toBe(tempo);
          const barSec = (beatsPerBar(plan) * 60) / tempo;
          expect(Math.abs(writtenSec(plan) - sec)).toBeLessThanOrEqual(barSec / 2 + 1e-9);
          expect(plan.bars).toBe(barsForDuration(sec, tempo, beatsPerBar(plan)));
          expect(plan.explanation.join(' ')).not.toContain('played at');
        }
      }
    }
  });

  it("moves an emotion's own tempo by at most 7 %, and says so", () => {
    for (const a of EMOTION_TABLE) {
      for (const sec of SHORT) {
        const plan = anchorPlan(a, sec);
        expect(Math.abs(plan.tempo / a.tempo - 1)).toBeLessThanOrEqual(0.07);
        if (plan.tempo !== a.tempo) expect(plan.explanation.join(' ')).toContain(`played at ${plan.tempo} instead of ${a.tempo} BPM`);
      }
    }
    const calm = anchorPlan(
      EMOTION_TABLE.find((x) => x.emotion === 'calm')!,
      10,
    );
    expect([calm.tempo, calm.bars]).toEqual([66, 3]);
  });

  it('plans pieces of 30 s and more exactly as before: same tempo, nearest whole bars, same form', () => {
    for (const a of EMOTION_TABLE) {
      for (const tempo of [undefined, 40, 52, 60, 72, 100, 160, 220]) {
        for (const sec of LONG) {
          const plan = anchorPlan(a, sec, tempo);
          const asked = tempo ?? a.tempo;
          expect(plan.tempo).toBe(asked);
          expect(plan.bars).toBe(barsForDuration(sec, asked, beatsPerBar(plan)));
          expect(plan.sections).toEqual(planForm(plan.bars));
          expect(plan.explanation.join(' ')).not.toContain('played at');
        }
      }
    }
  });

  it('fitDuration keeps a fitting tempo and otherwise takes the smallest tempo change', () => {
    expect(fitDuration(60, 62, 4, MIN_TEMPO, MAX_TEMPO)).toEqual({ bars: 16, tempo: 62 });
    expect(fitDuration(10, 122, 4, MIN_TEMPO, MAX_TEMPO)).toEqual({ bars: 5, tempo: 122 });
    // 3 bars at 62 BPM = 11.6 s: 66 BPM (10.9 s) is the nearest tempo that fits; 2 bars would need ≤ 53 BPM.
    expect(fitDuration(10, 62, 4, MIN_TEMPO, MAX_TEMPO)).toEqual({ bars: 3, tempo: 66 });
    // 2 bars at 40 BPM = 12 s: 44 BPM (10.9 s).
    expect(fitDuration(10, 40, 4, MIN_TEMPO, MAX_TEMPO)).toEqual({ bars: 2, tempo: 44 });
    // 59 BPM sits between the 2-bar (44–53) and 3-bar (66–80) bands of a 10 s piece: 53 BPM (2 bars = 9.1 s, −10 %)
    // moves it less than 66 BPM (+12 %).
    expect(fitDuration(10, 59, 4, MIN_TEMPO, MAX_TEMPO)).toEqual({ bars: 2, tempo: 53 });
    // At the floor nothing fits within the limits: the closest length wins (2 bars at 40 BPM = 12 s for 14 s).
    expect(fitDuration(14, 40, 4, MIN_TEMPO, MAX_TEMPO)).toEqual({ bars: 2, tempo: 40 });
  });
});
