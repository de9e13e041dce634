import { parseMidi, tickToSeconds, toMidi } from '../../../music/engine';
import { ARC_SHAPES } from '../types';
import { arcTemplate, classifyArc } from './arc';
import { MAX_STORY_CHARS, splitScenes } from './scenes';
import { MusicalStoryTeller } from './storyteller';

const HAPPY = 'She laughed with joy, the sun was warm and her friends celebrated her wonderful success.';
const SAD = 'He cried alone in the cold rain, grieving for the friend he had lost forever.';

describe('splitScenes', () => {
  it('cuts a story into its paragraphs with their offsets', () => {
    const story = `${HAPPY}\n\n${SAD}\n\n${HAPPY}`;
    const scenes = splitScenes(story);
    expect(scenes.map((s) => s.text)).toEqual([HAPPY, SAD, HAPPY]);
    for (const s of scenes) expect(story.slice(s.start, s.end)).toBe(s.text);
  });

  it('cuts one long block at sentence ends, also in Chinese', () => {
    const block = '今天阳光明媚，我们一起去公园玩，大家都很开心。'.repeat(30);
    const scenes = splitScenes(block);
    expect(scenes.length).toBeGreaterThan(3);
    for (const s of scenes) expect(s.text.endsWith('。')).toBe(true);
  });

  it('keeps short one-line paragraphs as scenes of their own', () => {
    expect(splitScenes('A happy day in the sun.\n\nThen a sad night of tears.\n\nFinally joy again with friends.')).toHaveLength(3);
    expect(splitScenes('Hi.\n\nThen a sad night of tears.').map((s) => s.text)).toEqual(['Hi.\n\nThen a sad night of tears.']);
  });

  it('rejects empty and over-long stories', () => {
    expect(() => splitScenes('  ')).toThrow(RangeError);
    expect(() => splitScenes('a'.repeat(MAX_STORY_CHARS + 1))).toThrow(/longer than/);
    // Counted as the request's validation counts (an emoji is one character): what passed it is not refused here.
    expect(splitScenes(`${'😀'.repeat(MAX_STORY_CHARS / 2)}\n\n${'喜'.repeat(MAX_STORY_CHARS / 2 - 2)}`).length).toBeGreaterThan(0);
  });
});

describe('classifyArc', () => {
  it('recognises each of the six shapes from its own template', () => {
    for (const shape of ARC_SHAPES) {
      const values = Array.from({ length: 12 }, (_, i) => 0.5 * arcTemplate(shape, (i + 0.5) / 12));
      expect(classifyArc(values, new Array<number>(12).fill(1)).shape).toBe(shape);
    }
  });
});

describe('MusicalStoryTeller', () => {
  const teller = new MusicalStoryTeller();
  const story = [HAPPY, HAPPY, SAD, SAD, SAD, HAPPY, HAPPY].join('\n\n');
  const stages: string[] = [];
  const result = teller.tell(story, { durationSec: 90, seed: 7, onStage: (stage) => stages.push(stage) });

  it('reports its stages', () => {
    expect(stages).toEqual(['reading', 'composing']);
  });

  it('reads the arc of a story that falls and rises again as a man in a hole', () => {
    expect(result.scenes).toHaveLength(7);
    expect(result.arc.shape).toBe('man-in-a-hole');
    expect(result.scenes[0].valence).toBeGreaterThan(result.scenes[3].valence);
  });

  it('plans sections that follow the arc: minor and slower-or-darker in the sad middle, major at both ends', () => {
    const first = result.sections[0];
    const middle = result.sections.find((s) => s.scenes.includes(3))!;
    const last = result.sections[result.sections.length - 1];
    expect(first.mode).toMatch(/major|lydian|mixolydian/);
    expect(last.mode).toMatch(/major|lydian|mixolydian/);
    expect(middle.mode).toMatch(/minor|dorian|phrygian/i);
    expect(middle.valence).toBeLessThan(0);
    const change = result.sections.find((s) => s.transition?.modulation);
    expect(change?.transition?.modulation?.from).not.toEqual(change?.transition?.modulation?.to);
  });

  it('maps every scene to contiguous seconds of one continuous piece', () => {
    expect(result.timeline.map((t) => t.scene)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(result.timeline[0].startSec).toBe(0);
    for (let i = 1; i < result.timeline.length; i++) expect(result.timeline[i].startSec).toBeCloseTo(result.timeline[i - 1].endSec, 2);
    expect(result.timeline[result.timeline.length - 1].endSec).toBeCloseTo(result.durationSec, 1);
    expect(result.durationSec).toBeGreaterThan(70);
    expect(result.durationSec).toBeLessThan(110);
    // No gap: some note sounds in every two-second window of the piece.
    for (let t = 0; t < result.durationSec - 2; t += 2) {
      expect(result.composition.notes.some((n) => n.startSec < t + 2 && n.startSec + n.durationSec > t)).toBe(true);
    }
  });

  it('renders to one MIDI file whose notes span the whole piece, and is deterministic for a seed', () => {
    const midi = toMidi(result.composition);
    const parsed = parseMidi(midi);
    const notes = parsed.tracks.flatMap((t) => t.notes);
    expect(notes.length).toBe(result.composition.notes.length);
    expect(Math.max(...notes.map((n) => tickToSeconds(parsed, n.startTick)))).toBeGreaterThan(result.durationSec - 10);
    expect(toMidi(teller.tell(story, { durationSec: 90, seed: 7 }).composition)).toEqual(midi);
  });

  it("writes each section's tempo, meter and key into the MIDI file, so its bar lines follow the music", () => {
    const parsed = parseMidi(toMidi(result.composition));
    const heard = parsed.tracks.flatMap((t) => t.notes.map((n) => tickToSeconds(parsed, n.startTick))).sort((a, b) => a - b);
    const played = result.composition.notes.map((n) => n.startSec).sort((a, b) => a - b);
    expect(heard).toHaveLength(played.length);
    expect(Math.max(...heard.map((sec, i) => Math.abs(sec - played[i])))).toBeLessThan(0.003);
    expect(new Set(result.sections.map((s) => s.tempo)).size).toBeGreaterThan(1);
    for (const section of result.sections) {
      const tick = parsed.tempos.find((t) => Math.abs(tickToSeconds(parsed, t.tick) - section.startSec) < 0.002)?.tick;
      expect(tick).toBeDefined();
      expect(parsed.tempos.find((t) => t.tick === tick)?.usPerQuarter).toBe(Math.round(60_000_000 / section.tempo));
      // The section starts on a bar line of the meter in force before it.
      const meter = parsed.timeSignatures.filter((m) => m.tick < tick! || m.tick === 0).pop()!;
      expect((tick! - meter.tick) % ((meter.numerator * parsed.ppq * 4) / meter.denominator)).toBe(0);
    }
    expect(parsed.keySignatures.length).toBe(1 + result.sections.filter((s) => s.transition?.modulation).length);
    expect(parsed.tracks[0].name).toBe(`xiaoyu-ai story: man-in-a-hole, ${result.sections.length} sections`);
  });

  it('tells a Chinese story too and checks its options', () => {
    const zh = teller.tell(
      ['今天阳光明媚，我们非常开心，一起唱歌跳舞。', '突然下起暴雨，小狗走丢了，我们很伤心，哭了很久。', '终于找到了小狗，大家又高兴地笑了。'].join('\n'),
    );
    expect(zh.language).toBe('zh');
    expect(zh.scenes.length).toBeGreaterThanOrEqual(1);
    expect(() => teller.tell(story, { durationSec: 5 })).toThrow(/durationSec/);
    expect(() => teller.tell(story, { seed: -1 })).toThrow(/seed/);
  });
});
