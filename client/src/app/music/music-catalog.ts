/** What the Music page offers: the composer's emotions and a few General MIDI instruments. */

export interface EmotionChoice {
  name: string;
  label: string;
  /** The Chinese name (the API accepts it too). */
  chinese: string;
  /** Position on the valence/arousal pad (both -1..1), for showing the chip's point. */
  valence: number;
  arousal: number;
}

/** The composer's eight emotions (server: EMOTION_NAMES) with their place on the circumplex. */
export const EMOTIONS: readonly EmotionChoice[] = [
  { name: 'happy', label: 'Happy', chinese: '开心', valence: 0.8, arousal: 0.5 },
  { name: 'excited', label: 'Excited', chinese: '兴奋', valence: 0.6, arousal: 0.9 },
  { name: 'tender', label: 'Tender', chinese: '温柔', valence: 0.6, arousal: -0.4 },
  { name: 'calm', label: 'Calm', chinese: '平静', valence: 0.4, arousal: -0.8 },
  { name: 'sad', label: 'Sad', chinese: '悲伤', valence: -0.7, arousal: -0.5 },
  { name: 'mysterious', label: 'Mysterious', chinese: '神秘', valence: -0.2, arousal: -0.1 },
  { name: 'tense', label: 'Tense', chinese: '紧张', valence: -0.6, arousal: 0.6 },
  { name: 'angry', label: 'Angry', chinese: '愤怒', valence: -0.8, arousal: 0.85 },
];

export interface InstrumentChoice {
  program: number;
  name: string;
}

/** A short list of General MIDI programs that suit melody, harmony or bass. */
export const INSTRUMENTS: readonly InstrumentChoice[] = [
  { program: 0, name: 'Acoustic grand piano' },
  { program: 4, name: 'Electric piano' },
  { program: 11, name: 'Vibraphone' },
  { program: 19, name: 'Church organ' },
  { program: 24, name: 'Nylon guitar' },
  { program: 25, name: 'Steel guitar' },
  { program: 32, name: 'Acoustic bass' },
  { program: 33, name: 'Electric bass' },
  { program: 40, name: 'Violin' },
  { program: 42, name: 'Cello' },
  { program: 46, name: 'Harp' },
  { program: 48, name: 'String ensemble' },
  { program: 52, name: 'Choir aahs' },
  { program: 56, name: 'Trumpet' },
  { program: 61, name: 'Brass section' },
  { program: 68, name: 'Oboe' },
  { program: 71, name: 'Clarinet' },
  { program: 73, name: 'Flute' },
  { program: 80, name: 'Square lead' },
  { program: 89, name: 'Warm pad' },
  { program: 104, name: 'Sitar' },
  { program: 107, name: 'Koto' },
];

export const MIN_DURATION_SEC = 10;
export const MAX_DURATION_SEC = 300;
export const MAX_TOPIC_LENGTH = 500;
export const MAX_SEED = 2 ** 31 - 1;
