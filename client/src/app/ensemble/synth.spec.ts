import { EnsembleSynth } from './synth';

/** Just enough of Web Audio for the simple voice: oscillators that remember whether they were stopped. */
class FakeAudioContext {
  currentTime = 1;
  readonly destination = {};
  readonly oscillators: { stopped: boolean }[] = [];
  createOscillator() {
    const osc = {
      type: '',
      frequency: { value: 0 },
      stopped: false,
      connect: (node: unknown) => node,
      start: () => undefined,
      stop: () => (osc.stopped = true),
    };
    this.oscillators.push(osc);
    return osc;
  }
  createGain() {
    const param = { setValueAtTime: () => undefined, linearRampToValueAtTime: () => undefined, setTargetAtTime: () => undefined };
    return { gain: param, connect: (node: unknown) => node };
  }
}

/** The SoundFont synthesizer, recording what it was asked to play and stop. */
function fakeSoundFont() {
  const calls: string[] = [];
  return {
    calls,
    noteOn: (channel: number, pitch: number) => calls.push(`on ${channel}/${pitch}`),
    noteOff: (channel: number, pitch: number) => calls.push(`off ${channel}/${pitch}`),
  };
}

type Inside = { context?: FakeAudioContext; synth?: ReturnType<typeof fakeSoundFont> };

describe('EnsembleSynth', () => {
  it('stops a note the simple voice started while the SoundFont loaded, once the SoundFont plays', () => {
    const synth = new EnsembleSynth();
    const inside = synth as unknown as Inside;
    const context = (inside.context = new FakeAudioContext());
    synth.noteOn(1, 60, 100, 0);
    inside.synth = fakeSoundFont(); // loaded meanwhile
    synth.noteOff(1, 60, 0);
    expect(context.oscillators.map((o) => o.stopped)).toEqual([true]);
    // The SoundFont is not told to stop a note it never started.
    expect(inside.synth.calls).toEqual([]);
  });

  it('silences every sounding note on both voices at once', () => {
    const synth = new EnsembleSynth();
    const inside = synth as unknown as Inside;
    const context = (inside.context = new FakeAudioContext());
    synth.noteOn(0, 48, 90, 0);
    synth.noteOn(0, 48, 90, 0); // the same key again: the first oscillator is not left behind
    const soundFont = (inside.synth = fakeSoundFont());
    synth.noteOn(2, 67, 90, 0);
    synth.allNotesOff();
    expect(context.oscillators.map((o) => o.stopped)).toEqual([true, true]);
    expect(soundFont.calls).toEqual(['on 2/67', 'off 2/67']);
    synth.allNotesOff();
    expect(soundFont.calls).toHaveLength(2);
  });
});
