/**
 * Melody-extraction metrics as in mir_eval.melody (Salamon et al. 2014): the estimate is resampled onto the reference
 * frame times, then raw pitch accuracy (RPA), raw chroma accuracy (RCA), voicing recall and false alarm, and overall
 * accuracy. An estimate counts only where it is voiced (a strict reading: unvoiced frames give no pitch).
 */

/** A frame series: times (s) and frequencies (Hz, 0 = unvoiced). */
export interface F0Series {
  times: Float64Array;
  hz: Float64Array;
}

export interface PitchScores {
  rpa: number;
  rca: number;
  voicingRecall: number;
  voicingFalseAlarm: number;
  overallAccuracy: number;
  /** Reference frames that are voiced. */
  voicedFrames: number;
}

const cents = (hz: number) => 1200 * Math.log2(hz / 10);

/** The estimate at each reference time: log-frequency interpolation between voiced neighbours, else the nearest frame. */
export function resampleTo(estimate: F0Series, times: Float64Array): Float64Array {
  const out = new Float64Array(times.length);
  let j = 0;
  const { times: et, hz } = estimate;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    while (j + 1 < et.length && et[j + 1] <= t) j++;
    if (j + 1 >= et.length || t <= et[0]) {
      out[i] = hz[Math.min(j, et.length - 1)];
      continue;
    }
    const a = hz[j];
    const b = hz[j + 1];
    const w = (t - et[j]) / (et[j + 1] - et[j]);
    if (a > 0 && b > 0) out[i] = 2 ** (Math.log2(a) * (1 - w) + Math.log2(b) * w);
    else out[i] = w < 0.5 ? a : b;
  }
  return out;
}

/** Scores an estimate against a reference series (both F0Series). */
export function scorePitch(reference: F0Series, estimate: F0Series): PitchScores {
  const est = resampleTo(estimate, reference.times);
  let voiced = 0;
  let unvoiced = 0;
  let rawPitch = 0;
  let rawChroma = 0;
  let recall = 0;
  let falseAlarm = 0;
  let correctUnvoiced = 0;
  for (let i = 0; i < reference.hz.length; i++) {
    const r = reference.hz[i];
    const e = est[i];
    if (r > 0) {
      voiced++;
      if (e > 0) {
        recall++;
        const d = Math.abs(cents(e) - cents(r));
        if (d <= 50) rawPitch++;
        const chroma = d - 1200 * Math.floor(d / 1200 + 0.5);
        if (Math.abs(chroma) <= 50) rawChroma++;
      }
    } else {
      unvoiced++;
      if (e > 0) falseAlarm++;
      else correctUnvoiced++;
    }
  }
  return {
    rpa: rawPitch / voiced,
    rca: rawChroma / voiced,
    voicingRecall: recall / voiced,
    voicingFalseAlarm: unvoiced ? falseAlarm / unvoiced : 0,
    overallAccuracy: (rawPitch + correctUnvoiced) / reference.hz.length,
    voicedFrames: voiced,
  };
}
