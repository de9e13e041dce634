import type { FaceCalibration } from './calibration';
import type { AugmentationSettings } from './expression-classifiers';

/** The shipped configuration of the face recogniser (provisional until the evaluation picks one). */
export const FACE_MODEL_CHOICE: { augmentation: AugmentationSettings; calibration: FaceCalibration } = {
  augmentation: { scales: [1], flip: false, margin: 0 },
  calibration: { scale: { faceApi: 1, miniXception: 0 }, bias: [0, 0, 0, 0, 0, 0, 0] },
};
