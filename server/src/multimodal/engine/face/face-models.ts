import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
// face-api's Node build for the WebAssembly backend requires these same two packages, so it shares this TensorFlow.js
// instance (one backend, one memory pool) with the mini-Xception graph model.
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';

/** Where the weights live; each defaults to the npm package that ships them (nothing is downloaded). */
export interface FaceModelPaths {
  /** Folder with face-api's `tiny_face_detector_model*` and `face_expression_model*` files. */
  faceApiModelDir?: string;
  /** Folder with `@vladmandic/human`'s `emotion.json` + `emotion.bin` (oarriaga's mini-Xception trained on FER-2013). */
  humanModelDir?: string;
}

export interface FaceModels {
  detector: faceapi.TinyFaceDetector;
  expressionNet: faceapi.FaceExpressionNet;
  /** Input [n, 64, 64, 1] in [-1, 1]; output [n, 7] softmax over angry, disgust, fear, happy, sad, surprise, neutral. */
  miniXception: tf.GraphModel;
}

export const DEFAULT_FACE_API_MODEL_DIR = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
// The package's exports hide package.json; its Node entry sits in dist/, beside the models/ folder.
export const DEFAULT_HUMAN_MODEL_DIR = join(dirname(require.resolve('@vladmandic/human')), '..', 'models');

let backendReady: Promise<void> | undefined;

/** Selects the WebAssembly backend once per process (SIMD where the CPU has it; the .wasm files come from node_modules). */
export function ensureWasmBackend(): Promise<void> {
  backendReady ??= (async () => {
    if (tf.getBackend() !== 'wasm' && !(await tf.setBackend('wasm'))) throw new Error('the TensorFlow.js WebAssembly backend did not start');
    await tf.ready();
    tf.enableProdMode();
  })();
  return backendReady;
}

async function loadGraphModelFromDisk(jsonPath: string) {
  const artifacts = JSON.parse(await readFile(jsonPath, 'utf8')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const buffers: Buffer[] = [];
  for (const group of artifacts.weightsManifest) for (const file of group.paths) buffers.push(await readFile(join(dirname(jsonPath), file)));
  const weightData = Buffer.concat(buffers);
  return tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: artifacts.modelTopology,
      weightSpecs: artifacts.weightsManifest.flatMap((group) => group.weights),
      weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.length),
    }),
  );
}

/** Loads the detector and both expression networks from disk (about 2 MB of weights; 0.5–1 s on a 2-core machine). */
export async function loadFaceModels(paths: FaceModelPaths = {}): Promise<FaceModels> {
  await ensureWasmBackend();
  const faceApiDir = paths.faceApiModelDir ?? DEFAULT_FACE_API_MODEL_DIR;
  const detector = new faceapi.TinyFaceDetector();
  const expressionNet = new faceapi.FaceExpressionNet();
  await detector.loadFromDisk(faceApiDir);
  await expressionNet.loadFromDisk(faceApiDir);
  const miniXception = await loadGraphModelFromDisk(join(paths.humanModelDir ?? DEFAULT_HUMAN_MODEL_DIR, 'emotion.json'));
  return { detector, expressionNet, miniXception };
}

export { faceapi, tf };
