import { MAX_SEED } from './dto/generate-emotion.dto';
import { MAX_TOPIC_LENGTH } from './dto/generate-topic.dto';
import type { MusicCatalogDto } from './dto/music-catalog.dto';
import { EMOTION_DISPLAY_NAMES, EMOTION_TABLE, gmProgramName, INSTRUMENT_CHOICES, MAX_DURATION_SEC, MAX_TEMPO, MIN_DURATION_SEC, MIN_TEMPO } from './engine';

/**
 * What a music request can ask for, read from the engine's tables and the validators' own constants, so a
 * client that draws its form from this cannot drift from what the server plans and accepts.
 */
export const MUSIC_CATALOG: MusicCatalogDto = {
  emotions: EMOTION_TABLE.map(({ emotion, valence, arousal }) => ({
    name: emotion,
    label: EMOTION_DISPLAY_NAMES[emotion].english,
    chinese: EMOTION_DISPLAY_NAMES[emotion].chinese,
    valence,
    arousal,
  })),
  instruments: INSTRUMENT_CHOICES.map((program) => ({ program, name: gmProgramName(program) })),
  limits: {
    minDurationSec: MIN_DURATION_SEC,
    maxDurationSec: MAX_DURATION_SEC,
    minTempo: MIN_TEMPO,
    maxTempo: MAX_TEMPO,
    maxTopicLength: MAX_TOPIC_LENGTH,
    maxSeed: MAX_SEED,
  },
};
