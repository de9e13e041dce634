import type { AppConfig } from '../core/config/app-config';
import { toMidi } from '../music/engine';
import { fuseAnalyses, loadMultimodalEngines, type MultimodalEngines as LoadedEngines, type StoryMusic, type TextAnalysis } from './engine';
import type { MultimodalEngineLoaders, StoryTeller, ToldStory } from './multimodal-engines';

/**
 * Where the service's recognisers come from: the engine's loaders, with the operator's parameter files from AppConfig
 * (the shipped parameters when unset). Text, voice, fusion and the storyteller are built together, once; the face
 * recogniser (TensorFlow.js) is imported and loaded on its own.
 */
export function multimodalEngineLoaders(config: AppConfig): MultimodalEngineLoaders {
  let engines: Promise<LoadedEngines> | undefined;
  const loaded = (): Promise<LoadedEngines> => {
    engines ??= Promise.resolve().then(() =>
      loadMultimodalEngines({
        textEnglish: config.MULTIMODAL_TEXT_EN_MODEL_PATH,
        textChinese: config.MULTIMODAL_TEXT_ZH_MODEL_PATH,
        voice: config.MULTIMODAL_VOICE_MODEL_PATH,
        fusion: config.MULTIMODAL_FUSION_MODEL_PATH,
      }),
    );
    // A failed load (a bad parameter file) is tried again by the next request, once the operator has fixed it.
    engines.catch(() => (engines = undefined));
    return engines;
  };
  return {
    // TensorFlow.js and the face networks are imported with the first use, not with the application.
    face: async () => (await import('./engine/face')).VisualEmotionRecognizer.load({ calibrationPath: config.MULTIMODAL_FACE_CALIBRATION_PATH }),
    voice: async () => (await loaded()).voice,
    // The detailed reading (with its label distribution) feeds the fusion; the API keeps the contract's fields.
    text: async () => {
      const { text } = await loaded();
      return { analyze: (input: string): TextAnalysis => text.analyzeDetailed(input) };
    },
    fusion: async () => {
      const { fusion } = await loaded();
      return (parts) => fuseAnalyses(parts, fusion);
    },
    storyteller: async () => {
      const { storyteller } = await loaded();
      const tell: StoryTeller = (story, { seed, durationSec, onStage }) => {
        onStage('scenes');
        // Scenes and arc first: a story the text engine cannot read fails there, and the stages mean what they say.
        storyteller.analyse(story);
        onStage('arc');
        onStage('composing');
        return toldStoryOf(storyteller.tell(story, { seed, ...(durationSec !== undefined ? { durationSec } : {}) }));
      };
      return tell;
    },
  };
}

/** The storyteller's music as the service stores it: the timeline with each section's key, tempo and instruments. */
function toldStoryOf(music: StoryMusic): ToldStory {
  const sectionOfScene = new Map(music.scenes.map((scene) => [scene.index, music.sections[scene.section]]));
  return {
    language: music.language,
    scenes: music.scenes.map(({ start, end, emotion, valence, arousal }) => ({ start, end, emotion, valence, arousal })),
    arc: { shape: music.arc.shape, fit: music.arc.fit, valence: music.arc.valence, arousal: music.arc.arousal },
    midi: toMidi(music.composition),
    timeline: music.timeline.map((entry) => {
      const section = sectionOfScene.get(entry.scene);
      return {
        ...entry,
        key: section ? `${section.key} ${section.mode}` : '',
        tempo: section?.tempo ?? music.composition.tempo,
        ...(section ? { instruments: section.instruments.map((i) => i.name) } : {}),
      };
    }),
    explanation: music.composition.plan.explanation,
  };
}
