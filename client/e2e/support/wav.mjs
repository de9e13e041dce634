// WAV files for Chromium's fake microphone (--use-file-for-fake-audio-capture plays them, looping).

/** Samples in [-1, 1] as a 16-bit mono PCM WAV file. */
export function wavFile(samples, sampleRate) {
  const out = Buffer.alloc(44 + samples.length * 2);
  out.write('RIFF', 0);
  out.writeUInt32LE(36 + samples.length * 2, 4);
  out.write('WAVEfmt ', 8);
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36);
  out.writeUInt32LE(samples.length * 2, 40);
  samples.forEach((s, i) => out.writeInt16LE(Math.round(Math.max(-1, Math.min(1, s)) * 32767), 44 + 2 * i));
  return out;
}

/** Quiet noise (a room's floor), `seconds` long: what a take has between and around its sounds. */
export function roomFloor(seconds, sampleRate, level = 0.004) {
  const samples = new Float32Array(Math.ceil(seconds * sampleRate));
  let seed = 1;
  for (let i = 0; i < samples.length; i++) {
    seed = (seed * 16807) % 2147483647;
    samples[i] = (seed / 2147483647 - 0.5) * level;
  }
  return samples;
}
