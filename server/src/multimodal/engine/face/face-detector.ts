import type { Box } from '../types';
import { faceapi, FaceModels, tf } from './face-models';

export interface DetectorSettings {
  /** Side of the square the tiny detector sees (a multiple of 32); larger finds smaller faces but costs time. */
  inputSize: number;
  /** Minimum detector score for a face. */
  minScore: number;
  /** Grey border added on every side, as a share of the longer side: tight crops become findable faces. */
  padding: number;
  /** At most this many faces (the largest) are classified. */
  maxFaces: number;
}

export const DEFAULT_DETECTOR_SETTINGS: DetectorSettings = { inputSize: 416, minScore: 0.45, padding: 0.3, maxFaces: 8 };

export interface FoundFace {
  /** In the decoded image's pixels. */
  box: Box;
  score: number;
}

/**
 * Finds faces in an RGB image tensor ([height, width, 3]): the image is padded with grey first, because face-api's
 * tiny detector misses faces that fill the whole frame (a selfie crop, a passport photo). Boxes are clipped to the image.
 */
export async function detectFaces(models: FaceModels, image: tf.Tensor3D, settings: DetectorSettings = DEFAULT_DETECTOR_SETTINGS): Promise<FoundFace[]> {
  const [height, width] = image.shape;
  const pad = Math.round(settings.padding * Math.max(width, height));
  const padded = tf.tidy(() =>
    tf.pad(
      image,
      [
        [pad, pad],
        [pad, pad],
        [0, 0],
      ],
      128,
    ),
  );
  try {
    const detections = await models.detector.locateFaces(
      padded,
      new faceapi.TinyFaceDetectorOptions({ inputSize: settings.inputSize, scoreThreshold: settings.minScore }),
    );
    const faces: FoundFace[] = [];
    for (const detection of detections) {
      const b = detection.box;
      const x = Math.max(0, b.x - pad);
      const y = Math.max(0, b.y - pad);
      const right = Math.min(width, b.x + b.width - pad);
      const bottom = Math.min(height, b.y + b.height - pad);
      // A box mostly in the grey border is the detector seeing a face in the padding, not in the picture.
      if (right - x < 0.5 * b.width || bottom - y < 0.5 * b.height) continue;
      faces.push({ box: { x, y, width: right - x, height: bottom - y }, score: detection.score });
    }
    return faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height).slice(0, settings.maxFaces);
  } finally {
    padded.dispose();
  }
}
