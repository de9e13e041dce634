import type { AppConfig } from '../core/config/app-config';
import { toMidi } from '../music/engine';
import { fuseAnalyses, loadMultimodalEngines, type MultimodalEngines as LoadedEngines, type StoryMusic, type TextAnalysis } from './engine';
import type { MultimodalEngineLoaders, StoryTeller, ToldStory } from './multimodal-engines';

/**
 * Where the service's recognisers come from: the engine's loaders, configured from AppConfig (each parameter path
 * optional: the shipped parameters otherwise). Text, voice, fusion and the storyteller share one load; a bad
 * parameter file fails that load with a message naming the file (503 and /api/health), never a made-up result, and
 * the next request tries again. The face recogniser (TensorFlow.js) is imported and loaded on its own, on first use.
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
    engines.catch(() => (engines = undefined));
    return engines;
  };
  return {
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
      const tell: StoryTeller = (story, { seed, durationSec, onStage }) =>
        toldStoryOf(
          storyteller.tell(story, {
            seed,
            ...(durationSec !== undefined ? { durationSec } : {}),
            // The engine reads scenes and the arc in one pass, then composes.
            onStage: (stage) => {
              if (stage === 'reading') onStage('scenes');
              else {
                onStage('arc');
                onStage('composing');
              }
            },
          }),
        );
      return tell;
    },
  };
}

/** The storyteller's music as the service stores it: the timeline with each section's key, tempo and instruments. */
function toldStoryOf(music: StoryMusic): ToldStory {
  const sectionOf = (scene: number) => music.sections[music.scenes[scene].section];
  return {
    language: music.language,
    scenes: music.scenes.map(({ start, end, emotion, valence, arousal }) => ({ start, end, emotion, valence, arousal })),
    arc: { shape: music.arc.shape, fit: music.arc.fit, valence: music.arc.valence, arousal: music.arc.arousal },
    midi: toMidi(music.composition),
    timeline: music.timeline.map(({ scene, startSec, endSec }) => {
      const section = sectionOf(scene);
      return {
        scene,
        startSec,
        endSec,
        key: `${section.key} ${section.mode === 'harmonicMinor' ? 'minor' : section.mode}`,
        tempo: section.tempo,
        instruments: section.instruments.map((i) => i.name),
      };
    }),
    explanation: music.composition.plan.explanation,
  };
}
