import type { AppConfig } from '../core/config/app-config';
import type { MultimodalEngineLoaders } from './multimodal-engines';

/**
 * Where the service's recognisers come from: the engine's loaders, configured from AppConfig. A recogniser whose
 * engine is not part of this build answers 503 (and shows in /api/health), never a made-up result.
 */
export function multimodalEngineLoaders(config: AppConfig): MultimodalEngineLoaders {
  const missing = (what: string) => () => Promise.reject(new Error(`the ${what} is not part of this build`));
  return {
    // TensorFlow.js and the face networks are imported with the first use, not with the application.
    face: async () => (await import('./engine/face')).VisualEmotionRecognizer.load({ calibrationPath: config.MULTIMODAL_FACE_CALIBRATION_PATH }),
    voice: missing('voice recogniser'),
    text: missing('text-affect model'),
    fusion: missing('fusion'),
    storyteller: missing('storyteller'),
  };
}
