import { FACE_EMOTIONS } from '../types';
import { calibratedProbabilities, fitCalibration, LabelledLogProbabilities, parseFaceCalibration, softmax } from './calibration';
import { ModelLogProbabilities } from './expression-classifiers';

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const logSoftmax = (z: number[]) => softmax(z).map(Math.log);

/** Samples where faceApi is over-confident (logits × 6) and miniXception is informative but never says `disgusted`. */
function syntheticSamples(n: number, seed: number): LabelledLogProbabilities[] {
  const random = lcg(seed);
  const samples: LabelledLogProbabilities[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % FACE_EMOTIONS.length;
    const evidence = FACE_EMOTIONS.map((_, k) => (k === label ? 1.2 : 0) + 3 * (random() - 0.5));
    const logps: ModelLogProbabilities = {
      faceApi: logSoftmax(evidence.map((e) => 6 * e)),
      miniXception: logSoftmax(evidence.map((e, k) => e + (k === 5 ? -3 : 0) + (random() - 0.5))),
    };
    samples.push({ logps, label });
  }
  return samples;
}

const nll = (samples: LabelledLogProbabilities[], calibration: Parameters<typeof calibratedProbabilities>[1]) =>
  samples.reduce((s, x) => s - Math.log(calibratedProbabilities(x.logps, calibration)[x.label]), 0) / samples.length;

describe('face calibration', () => {
  it('gives probabilities that sum to 1', () => {
    const [sample] = syntheticSamples(1, 1);
    const p = calibratedProbabilities(sample.logps, { scale: { faceApi: 0.4, miniXception: 0.7 }, bias: [0.1, 0, -0.2, 0, 0.3, 1, 0] });
    expect(p).toHaveLength(7);
    expect(p.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
  });

  it('cools an over-confident model: the fitted scale is well below 1 and the held-out likelihood improves', () => {
    const train = syntheticSamples(350, 2);
    const test = syntheticSamples(350, 3);
    const fitted = fitCalibration(train, { models: ['faceApi'], fitBias: false });
    expect(fitted.scale.faceApi).toBeLessThan(0.5);
    expect(fitted.scale.miniXception).toBe(0);
    expect(nll(test, fitted)).toBeLessThan(nll(test, { scale: { faceApi: 1, miniXception: 0 }, bias: [0, 0, 0, 0, 0, 0, 0] }));
  });

  it('learns a label bias that restores a class a model under-predicts', () => {
    const train = syntheticSamples(350, 4);
    const fitted = fitCalibration(train, { models: ['miniXception'], fitBias: true });
    const disgusted = FACE_EMOTIONS.indexOf('disgusted');
    expect(fitted.bias[disgusted]).toBeGreaterThan(Math.max(...fitted.bias.filter((_, k) => k !== disgusted)));
  });
});

describe('parseFaceCalibration', () => {
  it('reads an operator-written calibration', () => {
    expect(parseFaceCalibration('{"scale":{"faceApi":0.3,"miniXception":0.8},"bias":[0,1,0,0,0,0,0]}')).toEqual({
      scale: { faceApi: 0.3, miniXception: 0.8 },
      bias: [0, 1, 0, 0, 0, 0, 0],
    });
  });

  it.each([
    ['{"scale":{"faceApi":0.3},"bias":[0,0,0,0,0,0,0]}', /scale.miniXception/],
    ['{"scale":{"faceApi":0,"miniXception":0},"bias":[0,0,0,0,0,0,0]}', /at least one scale/],
    ['{"scale":{"faceApi":1,"miniXception":0},"bias":[0,0,0]}', /bias must be 7 numbers/],
    ['not json', /JSON/],
  ])('refuses %s', (json, message) => {
    expect(() => parseFaceCalibration(json)).toThrow(message);
  });
});
