/**
 * MIDI → stereo PCM with a General MIDI SoundFont, using spessasynth_core (a pure TypeScript
 * SoundFont 2/3 synthesizer that decodes SF3's Ogg-Vorbis samples itself).
 *
 * spessasynth_core ships as an ES module only; it is loaded here with require(), which Node ≥ 20.19
 * supports natively. This file therefore runs in the render worker (see render-pool.ts), never inside
 * Jest's own module system.
 */
import { readFileSync } from 'node:fs';
import { BasicMIDI, BasicSoundBank, SoundBankLoader, SpessaLog, SpessaSynthProcessor, SpessaSynthSequencer } from 'spessasynth_core';
import { FdnReverb, SilentChorus } from './reverb';
import type { StereoPcm } from './types';

export interface SynthesisOptions {
  /** Output sample rate (Hz). */
  sampleRate: number;
  /** Seconds rendered after the last event so reverb and releases ring out. */
  tailSec: number;
  /** Hard cap on the rendered length (seconds), whatever the MIDI says. */
  maxDurationSec: number;
  /** Reverb as the MIDI sends ask (CC91), through the FDN reverb of reverb.ts. */
  effects: boolean;
}

export const DEFAULT_SYNTHESIS: SynthesisOptions = { sampleRate: 44100, tailSec: 1.5, maxDurationSec: 330, effects: true };

/** Samples processed per sequencer tick: spessasynth updates envelopes and LFOs once per block. */
const BLOCK = 128;
const FADE_OUT_SEC = 0.05;

SpessaLog.infoEnabled = false;
SpessaLog.warnEnabled = false;
SpessaLog.groupEnabled = false;

/** Reads and parses a SoundFont (sf2/sf3) or DLS file; parse once per process and reuse the result. */
export function loadSoundBank(path: string): BasicSoundBank {
  const bytes = readFileSync(path);
  return SoundBankLoader.fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Renders a Standard MIDI File with the given sound bank; the length is the MIDI's duration plus the tail. */
export async function synthesizeMidi(bank: BasicSoundBank, midiBytes: Uint8Array, options: SynthesisOptions = DEFAULT_SYNTHESIS): Promise<StereoPcm> {
  const midi = BasicMIDI.fromArrayBuffer(midiBytes.buffer.slice(midiBytes.byteOffset, midiBytes.byteOffset + midiBytes.byteLength) as ArrayBuffer);
  const { sampleRate } = options;
  const synth = new SpessaSynthProcessor(sampleRate, {
    effectsEnabled: options.effects,
    eventsEnabled: false,
    reverbProcessor: new FdnReverb(sampleRate),
    chorusProcessor: new SilentChorus(),
  });
  synth.soundBankManager.addSoundBank(bank, 'main');
  await synth.processorInitialized;
  const sequencer = new SpessaSynthSequencer(synth);
  // Keep leading rests: the audio must line up with notes.json (piano roll), and the two halves of a
  // split render must share one time line.
  sequencer.skipToFirstNoteOn = false;
  sequencer.loopCount = 0;
  sequencer.loadNewSongList([midi]);
  sequencer.play();

  const seconds = Math.min(options.maxDurationSec, midi.duration + options.tailSec);
  const frames = Math.max(BLOCK, Math.ceil(seconds * sampleRate));
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  for (let i = 0; i < frames; i += BLOCK) {
    sequencer.processTick();
    synth.process(left, right, i, Math.min(BLOCK, frames - i));
  }
  // A short fade so a capped render never ends on a click.
  const fade = Math.min(frames, Math.round(FADE_OUT_SEC * sampleRate));
  for (let k = 0; k < fade; k++) {
    const g = k / fade;
    left[frames - 1 - k] *= g;
    right[frames - 1 - k] *= g;
  }
  return { sampleRate, left, right };
}
