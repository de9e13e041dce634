import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { GenerateFromEmotionDto } from './dto/generate-emotion.dto';
import { GenerateFromTopicDto } from './dto/generate-topic.dto';
import { GM_PROGRAM_NAMES } from './engine';
import { EMOTION_TABLE } from './engine/emotion-table';
import { MUSIC_CATALOG } from './music-catalog';

const { limits } = MUSIC_CATALOG;

/** The fields class-validator rejects in `body`. */
function rejected<T extends object>(dto: new () => T, body: Record<string, unknown>): string[] {
  return validateSync(plainToInstance(dto, body)).map((error) => error.property);
}

describe('the music catalogue', () => {
  it("offers the engine's emotions at the engine's valence/arousal anchors", () => {
    expect(MUSIC_CATALOG.emotions.map(({ name, valence, arousal }) => ({ emotion: name, valence, arousal }))).toEqual(
      EMOTION_TABLE.map(({ emotion, valence, arousal }) => ({ emotion, valence, arousal })),
    );
    expect(MUSIC_CATALOG.emotions.find((e) => e.name === 'excited')).toEqual({
      name: 'excited',
      label: 'Excited',
      chinese: '兴奋',
      valence: 0.7,
      arousal: 0.9,
    });
  });

  it('names each instrument by its General MIDI program', () => {
    expect(MUSIC_CATALOG.instruments.length).toBeGreaterThan(10);
    for (const { program, name } of MUSIC_CATALOG.instruments) expect(name).toBe(GM_PROGRAM_NAMES[program]);
  });

  it('states the limits the request validators enforce', () => {
    const emotion = { emotion: 'happy', durationSec: 30 };
    expect(rejected(GenerateFromEmotionDto, { ...emotion, durationSec: limits.minDurationSec })).toEqual([]);
    expect(rejected(GenerateFromEmotionDto, { ...emotion, durationSec: limits.minDurationSec - 0.1 })).toEqual(['durationSec']);
    expect(rejected(GenerateFromEmotionDto, { ...emotion, durationSec: limits.maxDurationSec })).toEqual([]);
    expect(rejected(GenerateFromEmotionDto, { ...emotion, durationSec: limits.maxDurationSec + 0.1 })).toEqual(['durationSec']);
    expect(rejected(GenerateFromEmotionDto, { ...emotion, tempo: limits.minTempo, seed: limits.maxSeed })).toEqual([]);
    expect(rejected(GenerateFromEmotionDto, { ...emotion, tempo: limits.minTempo - 1 })).toEqual(['tempo']);
    expect(rejected(GenerateFromEmotionDto, { ...emotion, tempo: limits.maxTempo })).toEqual([]);
    expect(rejected(GenerateFromEmotionDto, { ...emotion, tempo: limits.maxTempo + 1 })).toEqual(['tempo']);
    expect(rejected(GenerateFromEmotionDto, { ...emotion, seed: limits.maxSeed + 1 })).toEqual(['seed']);
    expect(rejected(GenerateFromTopicDto, { topic: 'x'.repeat(limits.maxTopicLength), durationSec: 30 })).toEqual([]);
    expect(rejected(GenerateFromTopicDto, { topic: 'x'.repeat(limits.maxTopicLength + 1), durationSec: 30 })).toEqual(['topic']);
  });
});
