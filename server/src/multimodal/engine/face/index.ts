export { VisualEmotionRecognizer } from './visual-emotion-recognizer';
export type { VisualEmotionRecognizerOptions } from './visual-emotion-recognizer';
export type { FaceCalibration } from './calibration';
export { parseFaceCalibration } from './calibration';
export type { AugmentationSettings } from './expression-classifiers';
export type { DetectorSettings } from './face-detector';
export { decodeImage, sniffImageFormat } from './image-decoder';
