import type { FaceCalibration } from './calibration';
import type { AugmentationSettings } from './expression-classifiers';

/**
 * The shipped configuration of the face recogniser, chosen by `npm run eval:multimodal` (face section) on faces-dev:
 * the ensemble of face-api's expression net and the mini-Xception, each face seen at three scales (1, 0.9, 1.1) and
 * mirrored, calibrated. The scales and label biases were fitted by class-balanced log-likelihood on the FER-2013
 * PublicTest half of faces-dev (596 faces; FER+ crowd labels; research and evaluation terms, see docs/multimodal-face.md)
 * and measured on the PrivateTest half, which no parameter saw: 71.7 % accuracy, 71.6 % UAR over seven classes, against
 * 61.4 % / 62.5 % for face-api's expression net alone. The eval refits them and says when this table is stale.
 */
export const FACE_MODEL_CHOICE: { augmentation: AugmentationSettings; calibration: FaceCalibration } = {
  augmentation: { scales: [1, 0.9, 1.1], flip: true, margin: 0 },
  calibration: {
    scale: { faceApi: 0.233, miniXception: 0.3349 },
    // neutral, happy, sad, angry, fearful, disgusted, surprised
    bias: [0.1139, -0.1801, -0.4283, -0.2528, -0.1519, 1.0854, -0.1863],
  },
};
