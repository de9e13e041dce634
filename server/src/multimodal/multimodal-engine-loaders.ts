import type { AppConfig } from '../core/config/app-config';
import { toMidi } from '../music/engine';
import { VisualEmotionRecognizer } from './engine/face';
import { fuseAnalyses, loadMultimodalEngines, type MultimodalEngines as LoadedEngines } from './engine';
import type { MultimodalEngineLoaders, StoryTeller } from './multimodal-engines';

/**
 * Where the service's recognisers come from: the engine's loaders, configured from AppConfig (each parameter path
 * optional: the shipped parameters otherwise). Text, voice, fusion and the storyteller share one load; a bad
 * parameter file fails that load with a message naming the file (503 and /api/health), never a made-up result.
 */
export function multimodalEngineLoaders(config: AppConfig): MultimodalEngineLoaders {
  let loaded: LoadedEngines | undefined;
  const engines = async (): Promise<LoadedEngines> => {
    loaded ??= loadMultimodalEngines({
      textEnglish: config.MULTIMODAL_TEXT_EN_MODEL,
      textChinese: config.MULTIMODAL_TEXT_ZH_MODEL,
      voice: config.MULTIMODAL_VOICE_MODEL,
      fusion: config.MULTIMODAL_FUSION_MODEL,
    });
    return Promise.resolve(loaded);
  };
  return {
    face: () => VisualEmotionRecognizer.load(),
    voice: async () => (await engines()).voice,
    text: async () => (await engines()).text,
    fusion: async () => {
      const { fusion } = await engines();
      return (parts) => {
        const { emotion, valence, arousal, confidence, weights, disagreement } = fuseAnalyses(parts, fusion);
        return { emotion, valence, arousal, confidence, weights, disagreement };
      };
    },
    storyteller: async () => {
      const { storyteller } = await engines();
      const tell: StoryTeller = (text, { seed, onStage }) => {
        const told = storyteller.tell(text, {
          seed,
          onStage: (stage) => {
            if (stage === 'reading') onStage('scenes');
            else {
              onStage('arc');
              onStage('composing');
            }
          },
        });
        const sectionOf = (scene: number) => told.sections[told.scenes[scene].section];
        return {
          language: told.language,
          scenes: told.scenes.map(({ start, end, emotion, valence, arousal }) => ({ start, end, emotion, valence, arousal })),
          arc: { shape: told.arc.shape, fit: told.arc.fit, valence: told.arc.valence, arousal: told.arc.arousal },
          midi: toMidi(told.composition),
          timeline: told.timeline.map(({ scene, startSec, endSec }) => {
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
          explanation: told.composition.plan.explanation,
        };
      };
      return tell;
    },
  };
}
