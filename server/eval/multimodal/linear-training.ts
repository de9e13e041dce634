/**
 * Training of the linear models the multimodal engine ships: full-batch Adam on sparse, L2-normalised binary
 * features (text) or dense standardised features (voice), with an L2 penalty. Squared loss for regression
 * (valence/arousal), softmax cross-entropy for classification. Used by the training scripts and by the evaluation
 * (leave-one-speaker-out), never at run time.
 */

/** One example: the column indices of its non-zero features and their values. */
export interface SparseRow {
  indices: Int32Array;
  values: Float32Array;
}

export interface Vocabulary {
  names: string[];
  index: Map<string, number>;
}

/** Features seen in at least `minCount` training documents, in order of first appearance. */
export function buildVocabulary(documents: readonly string[][], minCount: number): Vocabulary {
  const counts = new Map<string, number>();
  for (const doc of documents) for (const f of new Set(doc)) counts.set(f, (counts.get(f) ?? 0) + 1);
  const names = [...counts].filter(([, c]) => c >= minCount).map(([f]) => f);
  return { names, index: new Map(names.map((f, i) => [f, i])) };
}

/**
 * Binary presence scaled by 1/√(distinct features of the text, known or not) plus named real-valued features, the
 * way the engine's scoreLinear scores a text (so dropping a near-zero weight changes no other feature's value).
 */
export function sparseRow(features: readonly string[], vocabulary: Vocabulary, real: Readonly<Record<string, number>> = {}): SparseRow {
  const distinct = new Set(features);
  const share = distinct.size ? 1 / Math.sqrt(distinct.size) : 0;
  const entries = new Map<number, number>();
  for (const f of distinct) {
    const i = vocabulary.index.get(f);
    if (i !== undefined) entries.set(i, share);
  }
  for (const [name, value] of Object.entries(real)) {
    const i = vocabulary.index.get(name);
    if (i !== undefined) entries.set(i, value);
  }
  const indices = [...entries.keys()].sort((a, b) => a - b);
  return { indices: Int32Array.from(indices), values: Float32Array.from(indices, (i) => entries.get(i)!) };
}

/** Adds named columns (real-valued features) to a vocabulary. */
export function withColumns(vocabulary: Vocabulary, names: readonly string[]): Vocabulary {
  const all = [...vocabulary.names, ...names.filter((n) => !vocabulary.index.has(n))];
  return { names: all, index: new Map(all.map((f, i) => [f, i])) };
}

/** Weights as the engine's JSON stores them: feature → one weight per output, near-zero rows dropped, rounded. */
export function exportWeights(model: LinearModel, vocabulary: Vocabulary, minMagnitude: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (let i = 0; i < vocabulary.names.length; i++) {
    const w = Array.from(model.weights.subarray(i * model.outputs, (i + 1) * model.outputs));
    if (w.some((x) => Math.abs(x) >= minMagnitude)) out[vocabulary.names[i]] = w.map((x) => Math.round(x * 1e4) / 1e4);
  }
  return out;
}

export interface LinearModel {
  /** features × outputs, row-major. */
  weights: Float64Array;
  bias: Float64Array;
  features: number;
  outputs: number;
}

export interface TrainOptions {
  loss: 'squared' | 'softmax';
  /** L2 penalty per example (the gradient adds l2 · w). */
  l2: number;
  epochs: number;
  learningRate: number;
  /** Per-example weights (e.g. to balance classes); default 1. */
  sampleWeights?: readonly number[];
}

/** targets: one vector of `outputs` numbers per row (regression values, or a one-hot / soft label distribution). */
export function trainLinear(rows: readonly SparseRow[], targets: readonly (readonly number[])[], features: number, options: TrainOptions): LinearModel {
  const outputs = targets[0].length;
  const n = rows.length;
  const w = new Float64Array(features * outputs);
  const b = new Float64Array(outputs);
  if (options.loss === 'squared') for (let k = 0; k < outputs; k++) b[k] = targets.reduce((s, t) => s + t[k], 0) / n;
  const mw = new Float64Array(w.length);
  const vw = new Float64Array(w.length);
  const mb = new Float64Array(outputs);
  const vb = new Float64Array(outputs);
  const gw = new Float64Array(w.length);
  const gb = new Float64Array(outputs);
  const out = new Float64Array(outputs);
  const sw = options.sampleWeights ?? new Array<number>(n).fill(1);
  const totalWeight = sw.reduce((s, x) => s + x, 0);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    gw.fill(0);
    gb.fill(0);
    for (let r = 0; r < n; r++) {
      const { indices, values } = rows[r];
      for (let k = 0; k < outputs; k++) out[k] = b[k];
      for (let j = 0; j < indices.length; j++) {
        const base = indices[j] * outputs;
        for (let k = 0; k < outputs; k++) out[k] += w[base + k] * values[j];
      }
      if (options.loss === 'softmax') softmaxInPlace(out);
      const scale = sw[r] / totalWeight;
      for (let k = 0; k < outputs; k++) out[k] = (out[k] - targets[r][k]) * scale;
      for (let k = 0; k < outputs; k++) gb[k] += out[k];
      for (let j = 0; j < indices.length; j++) {
        const base = indices[j] * outputs;
        for (let k = 0; k < outputs; k++) gw[base + k] += out[k] * values[j];
      }
    }
    const c1 = 1 - beta1 ** epoch;
    const c2 = 1 - beta2 ** epoch;
    for (let i = 0; i < w.length; i++) {
      const g = gw[i] + options.l2 * w[i];
      mw[i] = beta1 * mw[i] + (1 - beta1) * g;
      vw[i] = beta2 * vw[i] + (1 - beta2) * g * g;
      w[i] -= (options.learningRate * (mw[i] / c1)) / (Math.sqrt(vw[i] / c2) + eps);
    }
    for (let k = 0; k < outputs; k++) {
      mb[k] = beta1 * mb[k] + (1 - beta1) * gb[k];
      vb[k] = beta2 * vb[k] + (1 - beta2) * gb[k] * gb[k];
      b[k] -= (options.learningRate * (mb[k] / c1)) / (Math.sqrt(vb[k] / c2) + eps);
    }
  }
  return { weights: w, bias: b, features, outputs };
}

export function predictLinear(model: LinearModel, row: SparseRow, loss: 'squared' | 'softmax'): number[] {
  const out = Array.from(model.bias);
  for (let j = 0; j < row.indices.length; j++) {
    const base = row.indices[j] * model.outputs;
    for (let k = 0; k < model.outputs; k++) out[k] += model.weights[base + k] * row.values[j];
  }
  if (loss === 'softmax') softmaxInPlace(out);
  return out;
}

export function softmaxInPlace(x: { length: number; [i: number]: number }): void {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) max = Math.max(max, x[i]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    x[i] = Math.exp(x[i] - max);
    sum += x[i];
  }
  for (let i = 0; i < x.length; i++) x[i] /= sum;
}

/** Dense rows (already standardised) as sparse rows, so one trainer serves both. */
export function denseRow(values: ArrayLike<number>): SparseRow {
  return { indices: Int32Array.from({ length: values.length }, (_, i) => i), values: Float32Array.from(values) };
}

/**
 * Softmax regression on dense rows fitted to its optimum by L-BFGS (memory 10, backtracking line search): weighted
 * mean cross-entropy + l2/2 · |W|² (the bias is not penalised), the objective trainLinear approaches with Adam, in
 * far fewer passes (the voice model's augmented training set is seven times the clips).
 */
export function trainSoftmaxLbfgs(
  rows: readonly Float64Array[],
  labels: readonly number[],
  classes: number,
  l2: number,
  sampleWeights: readonly number[],
  iterations = 150,
): LinearModel {
  const n = rows.length;
  const d = rows[0].length;
  const total = sampleWeights.reduce((s, x) => s + x, 0);
  const out = new Float64Array(classes);
  const objective = (w: Float64Array, g: Float64Array): number => {
    g.fill(0);
    let f = 0;
    const biasAt = d * classes;
    for (let i = 0; i < n; i++) {
      const x = rows[i];
      for (let k = 0; k < classes; k++) out[k] = w[biasAt + k];
      for (let j = 0; j < d; j++) for (let k = 0; k < classes; k++) out[k] += w[j * classes + k] * x[j];
      const max = Math.max(...out);
      let sum = 0;
      for (let k = 0; k < classes; k++) sum += out[k] = Math.exp(out[k] - max);
      const scale = sampleWeights[i] / total;
      f -= scale * Math.log(out[labels[i]] / sum);
      for (let k = 0; k < classes; k++) {
        const e = (out[k] / sum - (k === labels[i] ? 1 : 0)) * scale;
        g[biasAt + k] += e;
        for (let j = 0; j < d; j++) g[j * classes + k] += e * x[j];
      }
    }
    for (let i = 0; i < d * classes; i++) {
      f += 0.5 * l2 * w[i] ** 2;
      g[i] += l2 * w[i];
    }
    return f;
  };
  const w = minimiseLbfgs(objective, new Float64Array(d * classes + classes), iterations);
  return { weights: w.slice(0, d * classes), bias: w.slice(d * classes), features: d, outputs: classes };
}

/** L-BFGS (two-loop recursion) on a smooth objective that writes its gradient into `g` and returns its value. */
function minimiseLbfgs(fg: (w: Float64Array, g: Float64Array) => number, w: Float64Array, iterations: number, memory = 10): Float64Array {
  const n = w.length;
  const g = new Float64Array(n);
  let f = fg(w, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const dot = (a: Float64Array, b: Float64Array) => a.reduce((acc, v, j) => acc + v * b[j], 0);
  const direction = new Float64Array(n);
  const next = new Float64Array(n);
  const nextG = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    direction.set(g);
    const alpha: number[] = [];
    for (let i = s.length - 1; i >= 0; i--) {
      alpha[i] = rho[i] * dot(s[i], direction);
      for (let j = 0; j < n; j++) direction[j] -= alpha[i] * y[i][j];
    }
    const gamma = s.length ? dot(s[s.length - 1], y[y.length - 1]) / dot(y[y.length - 1], y[y.length - 1]) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let j = 0; j < n; j++) direction[j] *= gamma;
    for (let i = 0; i < s.length; i++) {
      const beta = rho[i] * dot(y[i], direction);
      for (let j = 0; j < n; j++) direction[j] += s[i][j] * (alpha[i] - beta);
    }
    const descent = dot(g, direction);
    if (!(descent > 0)) break;
    let step = 1;
    let fNext = f;
    for (let tries = 0; tries < 30; tries++) {
      for (let j = 0; j < n; j++) next[j] = w[j] - step * direction[j];
      fNext = fg(next, nextG);
      if (fNext <= f - 1e-4 * step * descent) break;
      step /= 2;
    }
    const sNew = next.map((v, j) => v - w[j]);
    const yNew = nextG.map((v, j) => v - g[j]);
    const sy = dot(sNew, yNew);
    const improvement = f - fNext;
    w.set(next);
    g.set(nextG);
    f = fNext;
    if (sy > 1e-12) {
      s.push(sNew);
      y.push(yNew);
      rho.push(1 / sy);
      if (s.length > memory) {
        s.shift();
        y.shift();
        rho.shift();
      }
    }
    if (Math.abs(improvement) < 1e-9 * Math.max(1, Math.abs(f))) break;
  }
  return w;
}
