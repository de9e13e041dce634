/**
 * MusicalStoryTeller: a story (Chinese or English, up to 20,000 characters) → scenes → a valence/arousal reading
 * per scene from the text engine, smoothed along the story → the arc's shape (arc.ts) → sections of music that follow
 * the arc → one continuous composition (story-score.ts) and a timeline placing every scene in the audio.
 *
 * Sections: consecutive scenes are grouped into at most MAX_SECTIONS groups of similar length (a section needs time
 * to say anything); each group's emotion is the length-weighted mean of its scenes' smoothed readings. The text model
 * reads most sentences as mild, so the arc is stretched before it becomes music: valence and arousal are scaled
 * (by at most 3×) until the story's most extreme scene reaches ±0.8, keeping the arc's shape and the sign of every
 * scene. Scenes within a section share its time in proportion to their length.
 */
import type { Composition, EmotionName } from '../../../music/engine';
import { clamp1, round3 } from '../affect-labels';
import { defaultTextAffect, type TextAffectDetail, type TextAffectRecognizer } from '../text/text-affect';
import { detectLanguage } from '../text/language';
import type { ArcShape, Emotion, TextLanguage } from '../types';
import { type ArcShapeFit, classifyArc, smoothArc } from './arc';
import { type SceneSpan, splitScenes } from './scenes';
import { type ScoredSection, scoreSections, type SectionTransition } from './story-score';

export const MAX_SECTIONS = 8;
/** Shortest section (seconds): enough for a phrase at a slow tempo. */
const MIN_SECTION_SEC = 12;
export const MIN_STORY_SEC = 30;
export const MAX_STORY_SEC = 300;

export interface StoryScene {
  index: number;
  text: string;
  /** Character offsets in the story (end exclusive). */
  start: number;
  end: number;
  /** The text engine's reading of the scene alone. */
  emotion: Emotion;
  valence: number;
  arousal: number;
  confidence: number;
  /** After smoothing along the story. */
  smoothedValence: number;
  smoothedArousal: number;
  section: number;
}

export interface StorySection {
  index: number;
  scenes: number[];
  startSec: number;
  endSec: number;
  /** The (stretched) emotion the music was planned for. */
  valence: number;
  arousal: number;
  musicEmotion: EmotionName;
  key: string;
  mode: string;
  tempo: number;
  loudness: number;
  instruments: { role: string; name: string }[];
  transition?: SectionTransition;
}

export interface TimelineEntry {
  scene: number;
  startSec: number;
  endSec: number;
}

export interface StoryArc {
  shape: ArcShape;
  /** Correlation with the winning shape's template (−1 … 1): low means the story fits no shape well. */
  fit: number;
  scores: Record<ArcShape, number>;
  /** Smoothed valence per scene (the arc as drawn). */
  valence: number[];
  arousal: number[];
}

export interface StoryMusic {
  language: TextLanguage;
  scenes: StoryScene[];
  arc: StoryArc;
  sections: StorySection[];
  timeline: TimelineEntry[];
  durationSec: number;
  /** The whole piece: toMidi(composition) gives the MIDI file the music pipeline renders. */
  composition: Composition;
}

export interface StoryOptions {
  /** Length of the piece (30–300 s); default 20 s per scene within 45–240 s. */
  durationSec?: number;
  /** Integer 0–2^32−1; default derived from the story, so the same story gives the same piece. */
  seed?: number;
  /** Told when each stage starts (for a job's progress). */
  onStage?: (stage: StoryStage, percent: number) => void;
}

export type StoryStage = 'reading' | 'composing';

/** What `analyse` finds before any music is made. */
export interface StoryReading {
  language: TextLanguage;
  spans: SceneSpan[];
  readings: TextAffectDetail[];
  /** Scene lengths in English-character equivalents (a Han character counts four). */
  lengths: number[];
  smoothedValence: number[];
  smoothedArousal: number[];
  fit: ArcShapeFit;
}

function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

/** Splits scenes into at most `count` contiguous groups of similar total length. */
function groupScenes(lengths: readonly number[], count: number): number[][] {
  const total = lengths.reduce((s, l) => s + l, 0);
  const groups: number[][] = [[]];
  let acc = 0;
  lengths.forEach((l, i) => {
    const current = groups[groups.length - 1];
    const boundary = (total * groups.length) / count;
    if (current.length && acc + l / 2 > boundary && groups.length < count) groups.push([i]);
    else current.push(i);
    acc += l;
  });
  return groups;
}

function stretch(values: readonly number[], reach: number): number[] {
  const peak = Math.max(...values.map(Math.abs));
  const gain = peak > 0 ? Math.min(3, Math.max(1, reach / peak)) : 1;
  return values.map((v) => clamp1(v * gain));
}

export class MusicalStoryTeller {
  constructor(private readonly text: TextAffectRecognizer = defaultTextAffect()) {}

  /** Scenes and the arc only (no music): fast, for previews and the evaluation. */
  analyse(story: string): StoryReading {
    const spans = splitScenes(story);
    const readings = spans.map((s) => this.text.analyzeDetailed(s.text));
    const lengths = spans.map((s) => Math.max(1, s.text.length * (detectLanguage(s.text) === 'zh' ? 4 : 1)));
    const smoothedValence = smoothArc(
      readings.map((r) => r.valence),
      lengths,
    );
    const smoothedArousal = smoothArc(
      readings.map((r) => r.arousal),
      lengths,
    );
    return { language: detectLanguage(story), spans, readings, lengths, smoothedValence, smoothedArousal, fit: classifyArc(smoothedValence, lengths) };
  }

  tell(story: string, options: StoryOptions = {}): StoryMusic {
    options.onStage?.('reading', 0);
    const { spans, readings, lengths, smoothedValence, smoothedArousal, fit, language } = this.analyse(story);
    const durationSec = options.durationSec ?? Math.min(240, Math.max(45, 20 * spans.length));
    if (!Number.isFinite(durationSec) || durationSec < MIN_STORY_SEC || durationSec > MAX_STORY_SEC) {
      throw new RangeError(`durationSec must be between ${MIN_STORY_SEC} and ${MAX_STORY_SEC} seconds`);
    }
    const seed = options.seed ?? hashSeed(story);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError('seed must be an integer in [0, 4294967295]');

    const groups = groupScenes(lengths, Math.max(1, Math.min(MAX_SECTIONS, Math.floor(durationSec / MIN_SECTION_SEC), spans.length)));
    const totalLength = lengths.reduce((s, l) => s + l, 0);
    const groupLength = groups.map((g) => g.reduce((s, i) => s + lengths[i], 0));
    const mean = (g: number[], values: number[]) => g.reduce((s, i) => s + lengths[i] * values[i], 0) / g.reduce((s, i) => s + lengths[i], 0);
    const valence = stretch(
      groups.map((g) => mean(g, smoothedValence)),
      0.8,
    );
    const arousal = stretch(
      groups.map((g) => mean(g, smoothedArousal)),
      0.8,
    );
    // Section lengths follow the text, each at least MIN_SECTION_SEC.
    const raw = groupLength.map((l) => Math.max(MIN_SECTION_SEC, (durationSec * l) / totalLength));
    const scale = durationSec / raw.reduce((s, d) => s + d, 0);
    options.onStage?.('composing', 40);
    const score = scoreSections(
      groups.map((_, i) => ({ valence: round3(valence[i]), arousal: round3(arousal[i]), durationSec: Math.min(300, Math.max(10, raw[i] * scale)) })),
      seed,
    );

    const sectionOf = new Map<number, number>();
    groups.forEach((g, s) => g.forEach((i) => sectionOf.set(i, s)));
    const timeline: TimelineEntry[] = [];
    groups.forEach((g, s) => {
      const { startSec, endSec } = score.sections[s];
      let at = startSec;
      for (const i of g) {
        const share = ((endSec - startSec) * lengths[i]) / groupLength[s];
        timeline.push({ scene: i, startSec: round3(at), endSec: round3(at + share) });
        at += share;
      }
    });

    const scenes: StoryScene[] = spans.map((span, i) => ({
      index: i,
      text: span.text,
      start: span.start,
      end: span.end,
      emotion: readings[i].emotion,
      valence: readings[i].valence,
      arousal: readings[i].arousal,
      confidence: readings[i].confidence,
      smoothedValence: round3(smoothedValence[i]),
      smoothedArousal: round3(smoothedArousal[i]),
      section: sectionOf.get(i)!,
    }));
    const sections = score.sections.map((section: ScoredSection, s): StorySection => ({
      index: s,
      scenes: groups[s],
      startSec: round3(section.startSec),
      endSec: round3(section.endSec),
      valence: round3(valence[s]),
      arousal: round3(arousal[s]),
      musicEmotion: section.plan.emotion,
      key: section.plan.key,
      mode: section.plan.mode,
      tempo: section.plan.tempo,
      loudness: section.plan.loudness,
      instruments: section.plan.instruments.map((x) => ({ role: x.role, name: x.name })),
      ...(section.transition ? { transition: section.transition } : {}),
    }));
    const composition = { ...score.composition, title: `xiaoyu-ai story: ${fit.shape}, ${sections.length} section${sections.length === 1 ? '' : 's'}` };
    composition.plan.explanation.unshift(
      `A story in ${spans.length} scene${spans.length === 1 ? '' : 's'} whose arc reads as "${fit.shape}" (fit ${fit.fit.toFixed(2)}), set as ${sections.length} section${sections.length === 1 ? '' : 's'}: ${sections.map((s) => `${s.musicEmotion} in ${s.key} ${s.mode} at ${s.tempo} BPM`).join(' → ')}.`,
    );
    return {
      language,
      scenes,
      arc: { shape: fit.shape, fit: fit.fit, scores: fit.scores, valence: smoothedValence.map(round3), arousal: smoothedArousal.map(round3) },
      sections,
      timeline,
      durationSec: round3(composition.durationSec),
      composition,
    };
  }
}
