// AudioWorklet of the tutor's recorder: mixes the microphone to mono and posts it to the page in chunks of 2048
// samples (about 43 ms at 48 kHz), so that the page can write the WAV and move the live pitch needle.
const CHUNK = 2048;

class TutorRecorder extends AudioWorkletProcessor {
  constructor() {
    super();
    this.buffer = new Float32Array(CHUNK);
    this.filled = 0;
    this.port.onmessage = (event) => {
      if (event.data === 'flush' && this.filled > 0) {
        const rest = this.buffer.slice(0, this.filled);
        this.filled = 0;
        this.port.postMessage(rest, [rest.buffer]);
      }
    };
  }

  process(inputs) {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    const length = channels[0].length;
    for (let i = 0; i < length; i++) {
      let sum = 0;
      for (let c = 0; c < channels.length; c++) sum += channels[c][i];
      this.buffer[this.filled++] = sum / channels.length;
      if (this.filled === CHUNK) {
        const full = this.buffer;
        this.buffer = new Float32Array(CHUNK);
        this.filled = 0;
        this.port.postMessage(full, [full.buffer]);
      }
    }
    return true;
  }
}

registerProcessor('xy-tutor-recorder', TutorRecorder);
