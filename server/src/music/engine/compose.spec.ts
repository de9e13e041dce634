import { compose } from './compose';
import { EMOTION_TABLE } from './emotion-table';
import { analyseTopic, planFromEmotion, planFromTopic, toMidi } from './index';
import { parseMidi } from './midi-read';

const happy = planFromEmotion({ valence: 0.8, arousal: 0.5 }, 30);

describe('compose', () => {
  it('gives identical MIDI bytes for the same seed and different bytes for another seed', () => {
    const a = toMidi(compose(happy, 42));
    const b = toMidi(compose(happy, 42));
    const c = toMidi(compose(happy, 43));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it.each([10, 60, 300])('lasts the planned length for %i s and keeps notes inside it', (sec) => {
    for (const anchor of EMOTION_TABLE) {
      const plan = planFromEmotion({ valence: anchor.valence, arousal: anchor.arousal, label: anchor.emotion }, sec);
      const piece = compose(plan, 1);
      const barSec = (60 / plan.tempo) * plan.meter[0] * (4 / plan.meter[1]);
      expect(Math.abs(piece.durationSec - sec)).toBeLessThanOrEqual(barSec);
      for (const n of piece.notes) {
        expect(n.startSec).toBeGreaterThanOrEqual(0);
        expect(n.startSec + n.durationSec).toBeLessThanOrEqual(piece.durationSec + 1e-6);
        expect(n.velocity).toBeGreaterThanOrEqual(1);
        expect(n.velocity).toBeLessThanOrEqual(127);
      }
    }
  });

  it('puts drums on General MIDI channel 10 only when the style has them', () => {
    const rock = compose(planFromEmotion({ valence: -0.8, arousal: 0.85, label: 'angry' }, 20), 1);
    const drums = rock.tracks.find((t) => t.role === 'drums')!;
    expect(drums.channel).toBe(9);
    expect(rock.notes.filter((n) => n.channel === 9).length).toBeGreaterThan(0);
    const calm = compose(planFromEmotion({ valence: 0.4, arousal: -0.7, label: 'calm' }, 20), 1);
    expect(calm.tracks.some((t) => t.role === 'drums')).toBe(false);
  });

  it('rejects a seed that is not a 32-bit unsigned integer', () => {
    expect(() => compose(happy, -1)).toThrow(RangeError);
    expect(() => compose(happy, 1.5)).toThrow(/seed must be an integer/);
  });
});

describe('MIDI file', () => {
  const piece = compose(planFromEmotion({ valence: -0.8, arousal: 0.85, label: 'angry' }, 30), 5);
  const bytes = toMidi(piece);
  const midi = parseMidi(bytes);

  it('has a format-1 header and one track per part plus the conductor track', () => {
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('MThd');
    expect(midi.format).toBe(1);
    expect(midi.ppq).toBe(480);
    expect(midi.tracks).toHaveLength(piece.tracks.length + 1);
    expect(midi.tracks.every((t) => t.endOfTrack)).toBe(true);
  });

  it('carries tempo, time-signature and key-signature meta events', () => {
    expect(midi.tempos[0].usPerQuarter).toBe(Math.round(60_000_000 / piece.tempo));
    expect(midi.timeSignatures[0]).toEqual({ tick: 0, numerator: piece.meter[0], denominator: piece.meter[1] });
    expect(midi.keySignatures[0].minor).toBe(true);
  });

  it('round-trips every note with its channel, pitch and program', () => {
    const parsed = midi.tracks.flatMap((t) => t.notes);
    expect(parsed).toHaveLength(piece.notes.length);
    const key = (ch: number, p: number) => `${ch}:${p}`;
    const count = (list: { channel: number; pitch: number }[]) =>
      list.reduce((m, n) => m.set(key(n.channel, n.pitch), (m.get(key(n.channel, n.pitch)) ?? 0) + 1), new Map<string, number>());
    expect(count(parsed)).toEqual(count(piece.notes));
    const melodyTrack = midi.tracks[1];
    expect(melodyTrack.notes[0].program).toBe(piece.tracks[0].program);
  });

  it('refuses bytes that are not a MIDI file', () => {
    expect(() => parseMidi(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/MThd/);
  });
});

describe('topics', () => {
  it('reads a happy Chinese topic as positive and energetic', () => {
    const a = analyseTopic('生日派对，和朋友们一起跳舞，非常开心');
    expect(a.valence).toBeGreaterThan(0.4);
    expect(a.arousal).toBeGreaterThan(0.3);
    expect(a.emotion).toBe('happy');
    expect(a.keywords).toEqual(expect.arrayContaining(['派对', '跳舞']));
  });

  it('reads a sad English topic as negative and low in arousal', () => {
    const a = analyseTopic('a lonely rainy evening, tears and goodbye');
    expect(a.valence).toBeLessThan(-0.3);
    expect(a.arousal).toBeLessThan(0);
    expect(a.emotion).toBe('sad');
  });

  it('flips negated feelings in both languages', () => {
    expect(analyseTopic('I am not happy').valence).toBeLessThan(0);
    expect(analyseTopic('我不开心').valence).toBeLessThan(0);
    expect(analyseTopic('一点也不紧张，很放松').valence).toBeGreaterThan(0);
    expect(analyseTopic('非常开心').valence).toBeGreaterThan(analyseTopic('有点开心').valence);
  });

  it('reads intensity words in keywords, past a word that is no modifier', () => {
    expect(analyseTopic('a very sunny day').keywords).toContain('very sunny');
    expect(analyseTopic('very constructor sunny day').keywords).toContain('very sunny');
  });

  it('picks up style, instrument and tempo hints', () => {
    const a = analyseTopic('古筝 江南水乡 春雨 80 bpm');
    expect(a.style).toBe('chinese');
    expect(a.instruments).toEqual([107]);
    expect(a.tempoHint).toBe(80);
    const plan = planFromTopic(a, 60);
    expect(plan.tempo).toBe(80);
    expect(plan.instruments[0].program).toBe(107);
    expect(plan.explanation[0]).toMatch(/The topic reads as .* from "古筝"/);
  });

  it('says no single word decided a reading when no word is known', () => {
    const a = analyseTopic('qwerty zxcv');
    expect(a.keywords).toEqual([]);
    expect(planFromTopic(a, 30).explanation[0]).toMatch(/no single word decided it/);
  });

  it('plans scary topics in minor and fast, peaceful ones in major and slow', () => {
    const scary = planFromTopic(analyseTopic('a scary chase through a dark forest'), 60);
    const calm = planFromTopic(analyseTopic('peaceful morning by the lake'), 60);
    expect(['minor', 'harmonicMinor', 'phrygian', 'dorian']).toContain(scary.mode);
    expect(['major', 'lydian', 'mixolydian']).toContain(calm.mode);
    expect(scary.tempo).toBeGreaterThan(calm.tempo);
  });
});

describe('the whole valence/arousal plane', () => {
  it('composes rule-abiding pieces everywhere on a coarse grid of targets and lengths', () => {
    const { parallelViolations } = jest.requireActual<typeof import('./voicing')>('./voicing');
    for (const valence of [-1, -0.45, 0.05, 0.6, 1]) {
      for (const arousal of [-1, -0.3, 0.2, 1]) {
        for (const sec of [10, 45, 200]) {
          const piece = compose(planFromEmotion({ valence, arousal }, sec), Math.round((valence + 2) * 1000 + arousal * 100 + sec));
          expect(piece.notes.length).toBeGreaterThan(0);
          for (let i = 1; i < piece.chords.length; i++) expect(parallelViolations(piece.chords[i - 1].voicing, piece.chords[i].voicing)).toEqual([]);
          expect(parseMidi(toMidi(piece)).tracks.every((t) => t.endOfTrack)).toBe(true);
        }
      }
    }
  });
});
