/**
 * A feedback-delay-network reverb (8 lines, Householder mixing, per-line damping) plugged into
 * spessasynth_core in place of its Dattorro reverb: it honours the same per-channel sends (CC91)
 * and GS reverb parameters, at roughly a quarter of the cost, which keeps rendering well above
 * 30× real time on two cores. Chorus and delay are replaced by no-ops (the composer sends none).
 */
import type { ChorusProcessor, ReverbProcessor } from 'spessasynth_core';

/** Delay-line lengths at 44.1 kHz (samples): mutually prime, 23–59 ms, so modes do not pile up. */
const LINE_LENGTHS_44K = [1031, 1327, 1523, 1787, 1951, 2179, 2383, 2593];
const DIFFUSER_LENGTHS_44K = [142, 107, 379, 277];
const DIFFUSION = 0.62;
/** Output gain that puts the default send level (CC91 = 40) about 12 dB under the dry signal. */
const WET_GAIN = 0.9;

export class FdnReverb implements ReverbProcessor {
  level = 64;
  preLowpass = 0;
  character = 4;
  time = 64;
  delayFeedback = 0;
  preDelayTime = 0;

  private readonly lines: Float32Array[];
  private readonly positions: Int32Array;
  private readonly damping = new Float64Array(8);
  private readonly diffusers: Float32Array[];
  private readonly diffuserPositions: Int32Array;
  private readonly preDelay: Float32Array;
  private preDelayPosition = 0;
  private inputLowpass = 0;
  private appliedTime = -1;
  private readonly feedback = new Float64Array(8);
  private readonly mixed = new Float64Array(8);

  constructor(private readonly sampleRate: number) {
    const scale = sampleRate / 44100;
    this.lines = LINE_LENGTHS_44K.map((n) => new Float32Array(Math.round(n * scale)));
    this.positions = new Int32Array(8);
    this.diffusers = DIFFUSER_LENGTHS_44K.map((n) => new Float32Array(Math.round(n * scale)));
    this.diffuserPositions = new Int32Array(this.diffusers.length);
    this.preDelay = new Float32Array(Math.ceil(sampleRate * 0.128) + 1);
  }

  /** Reverb time (RT60, seconds) for the GS "Reverb Time" parameter 0–127. */
  static rt60(time: number): number {
    return 0.4 + (time / 127) * 3.6;
  }

  process(input: Float32Array, outputLeft: Float32Array, outputRight: Float32Array, startIndex: number, sampleCount: number): void {
    if (this.appliedTime !== this.time) this.applyTime();
    const { lines, positions, feedback, mixed, damping, diffusers, diffuserPositions, preDelay } = this;
    const sendGain = (this.level / 127) * WET_GAIN;
    const lowpass = 1 - this.preLowpass / 8; // 0 = open, 7 = dark
    const preDelaySamples = Math.max(1, Math.min(preDelay.length - 1, Math.round(((this.preDelayTime + 8) / 1000) * this.sampleRate)));
    const dampCoef = 0.35;
    for (let s = 0; s < sampleCount; s++) {
      this.inputLowpass += lowpass * (input[s] - this.inputLowpass);
      // Pre-delay.
      preDelay[this.preDelayPosition] = this.inputLowpass * sendGain;
      let readPos = this.preDelayPosition - preDelaySamples;
      if (readPos < 0) readPos += preDelay.length;
      let x = preDelay[readPos];
      this.preDelayPosition = (this.preDelayPosition + 1) % preDelay.length;
      // Series all-pass diffusion to thicken early echoes.
      for (let d = 0; d < diffusers.length; d++) {
        const buf = diffusers[d];
        const p = diffuserPositions[d];
        const delayed = buf[p];
        const v = x + DIFFUSION * delayed;
        buf[p] = v;
        x = delayed - DIFFUSION * v;
        diffuserPositions[d] = p + 1 === buf.length ? 0 : p + 1;
      }
      // Read lines, damp, Householder mix (y = v - 2/N Σv), feed back with the input.
      let sum = 0;
      for (let i = 0; i < 8; i++) {
        const v = lines[i][positions[i]];
        damping[i] = v + dampCoef * (damping[i] - v);
        sum += damping[i];
      }
      const reflect = sum * 0.25;
      let left = 0;
      let right = 0;
      for (let i = 0; i < 8; i++) {
        const y = damping[i] - reflect;
        mixed[i] = y;
        if (i & 1) right += damping[i];
        else left += damping[i];
      }
      for (let i = 0; i < 8; i++) {
        const line = lines[i];
        const p = positions[i];
        line[p] = mixed[i] * feedback[i] + x;
        positions[i] = p + 1 === line.length ? 0 : p + 1;
      }
      outputLeft[startIndex + s] += left * 0.35;
      outputRight[startIndex + s] += right * 0.35;
    }
  }

  getSnapshot() {
    return {
      level: this.level,
      preLowpass: this.preLowpass,
      character: this.character,
      time: this.time,
      delayFeedback: this.delayFeedback,
      preDelayTime: this.preDelayTime,
    };
  }

  private applyTime(): void {
    const rt60 = FdnReverb.rt60(this.time);
    for (let i = 0; i < 8; i++) this.feedback[i] = 10 ** ((-3 * this.lines[i].length) / (rt60 * this.sampleRate));
    this.appliedTime = this.time;
  }
}

/** Chorus that adds nothing (GS chorus parameters are kept so snapshots stay valid). */
export class SilentChorus implements ChorusProcessor {
  level = 64;
  preLowpass = 0;
  feedback = 8;
  delay = 80;
  rate = 3;
  depth = 19;
  sendLevelToReverb = 0;
  sendLevelToDelay = 0;
  process(): void {}
  getSnapshot() {
    const { level, preLowpass, feedback, delay, rate, depth, sendLevelToReverb, sendLevelToDelay } = this;
    return { level, preLowpass, feedback, delay, rate, depth, sendLevelToReverb, sendLevelToDelay };
  }
}
