import { encodeWavMono } from '../../../tutor/engine/audio/wav-input';
import { UndecodableInputError, VOICE_EMOTIONS } from '../types';
import { VoiceEmotionRecognizer } from './voice-emotion';
import { extractVoiceFeatures, VOICE_FEATURE_NAMES } from './voice-features';
import SHIPPED_VOICE from '../models/voice.json';
import { independentClassifier, MICROPHONE_CUES, readsAsNoisyRoom, validateVoiceModel, VoiceModelError } from './voice-model';
import { BACKGROUND_TALK_CUES, REVERBERATION_CUES } from './speech-span';

const RATE = 16000;

/**
 * A voice-like test signal: a harmonic tone (glottal-ish 1/k harmonics) whose pitch glides around `f0` by ±`swing`
 * semitones, cut into syllables `syllablesPerSec` times a second.
 */
function syntheticSpeech(seconds: number, f0: number, swing: number, syllablesPerSec: number, level: number, rate = RATE): Float32Array {
  const out = new Float32Array(seconds * rate);
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / rate;
    const hz = f0 * 2 ** ((swing * Math.sin(2 * Math.PI * 0.7 * t)) / 12);
    phase += (2 * Math.PI * hz) / rate;
    let v = 0;
    for (let k = 1; k <= 12; k++) v += Math.sin(k * phase) / k;
    const envelope = Math.max(0, Math.sin(Math.PI * ((t * syllablesPerSec) % 1))) ** 2;
    out[i] = level * 0.3 * v * envelope;
  }
  return out;
}

const index = (name: string) => VOICE_FEATURE_NAMES.indexOf(name);

/** Two features; independently a high voice is happy, adapted a voice higher than the speaker's mean is. */
function pitchModel(independentWeight?: number) {
  const names = ['f0.mean', 'rate.syllables'];
  const labels = ['happy', 'sad'] as const;
  return validateVoiceModel(
    {
      format: 'xiaoyu-voice-emotion/1',
      labels,
      features: names,
      mean: [0, 0],
      sd: [1, 1],
      // Independent: a high voice is happy.
      weights: [
        [1, 0],
        [-1, 0],
      ],
      bias: [-5, 5],
      temperature: 1,
      // Adapted: higher than this speaker usually speaks is happy, lower is sad.
      speakerAdapted: {
        features: names,
        mean: [0, 0],
        sd: [1, 1],
        weights: [
          [3, 0],
          [-3, 0],
        ],
        bias: [0, 0],
        temperature: 1,
        adaptAfter: 3,
        independentWeight,
      },
      trainedOn: 'test',
    },
    'test',
  );
}

describe('voice features', () => {
  it('measure the pitch, its movement and the syllable rate of a recording', () => {
    const steady = extractVoiceFeatures({ sampleRate: RATE, samples: syntheticSpeech(3, 200, 0, 4, 1) });
    const lively = extractVoiceFeatures({ sampleRate: RATE, samples: syntheticSpeech(3, 200, 4, 4, 1) });
    expect(steady[index('f0.mean')]).toBeCloseTo(12, 0);
    expect(lively[index('f0.range')]).toBeGreaterThan(steady[index('f0.range')] + 3);
    expect(steady[index('rate.syllables')]).toBeGreaterThan(3);
    expect(steady[index('rate.syllables')]).toBeLessThan(5.5);
  });

  it('do not depend on the recording level', () => {
    const loud = extractVoiceFeatures({ sampleRate: RATE, samples: syntheticSpeech(2, 150, 2, 3, 1) });
    const quiet = extractVoiceFeatures({ sampleRate: RATE, samples: syntheticSpeech(2, 150, 2, 3, 0.05) });
    for (let i = 0; i < loud.length; i++) expect(quiet[i]).toBeCloseTo(loud[i], 1);
  });

  it('do not read the silence before and after a take as pauses', () => {
    const take = syntheticSpeech(2, 150, 2, 3, 1);
    const recorded = new Float32Array(take.length + 3 * RATE);
    recorded.set(take, 1.5 * RATE);
    const tight = extractVoiceFeatures({ sampleRate: RATE, samples: take });
    const loose = extractVoiceFeatures({ sampleRate: RATE, samples: recorded });
    expect(loose[index('pause.share')]).toBeCloseTo(tight[index('pause.share')], 1);
    expect(loose[index('level.p50')]).toBeCloseTo(tight[index('level.p50')], 0);
  });
});

/** One feature, the mean pitch in semitones over 100 Hz: higher than `mean` is happy, lower is sad. */
function higherIsHappy(mean: number) {
  return {
    format: 'xiaoyu-voice-emotion/1',
    labels: ['happy', 'sad'],
    features: ['f0.mean'],
    mean: [mean],
    sd: [1],
    weights: [[1], [-1]],
    bias: [0, 0],
    temperature: 1,
    trainedOn: 'test',
  };
}

describe('VoiceEmotionRecognizer (shipped parameters)', () => {
  const recogniser = new VoiceEmotionRecognizer();

  it('answers probabilities over the voice labels with valence and arousal in range', () => {
    const wav = encodeWavMono({ sampleRate: RATE, samples: syntheticSpeech(2, 180, 3, 4, 0.8) });
    const result = recogniser.analyze(wav);
    // Every label, surprise too (EmoDB has none: 0), summing to 1 at the three decimals reported.
    expect(Object.keys(result.probabilities).sort()).toEqual([...VOICE_EMOTIONS].sort());
    expect(result.probabilities.surprised).toBe(0);
    expect(Object.values(result.probabilities).reduce((s, p) => s + (p ?? 0), 0)).toBeCloseTo(1, 9);
    expect(result.probabilities[result.emotion]).toBe(Math.max(...Object.values(result.probabilities).map((p) => p ?? 0)));
    expect(result.confidence).toBe(result.probabilities[result.emotion]);
    for (const x of [result.valence, result.arousal]) expect(Math.abs(x)).toBeLessThanOrEqual(1);
  });

  it('reads a studio-rate recording (96 kHz) as it reads the same voice at 48 kHz, and refuses rates past 192 kHz', () => {
    const at = (rate: number) => encodeWavMono({ sampleRate: rate, samples: syntheticSpeech(2, 180, 3, 4, 0.8, rate) });
    const studio = recogniser.analyze(at(96_000));
    const usual = recogniser.analyze(at(48_000));
    expect(studio.emotion).toBe(usual.emotion);
    expect(Math.abs(studio.valence - usual.valence)).toBeLessThan(0.05);
    expect(() => recogniser.analyze(at(200_000))).toThrow(/sample rate/);
  });

  it('hears a fast, high, wide-ranging voice as more aroused than a slow, low monotone', () => {
    // The classifier's own reading: these harmonic test tones are far from any real voice, so the shipped model's
    // familiar distance would rightly trust neither.
    const recogniser = new VoiceEmotionRecognizer({ ...validateVoiceModel(SHIPPED_VOICE, 'voice.json'), familiarDistance: undefined });
    const excited = recogniser.analyze(encodeWavMono({ sampleRate: RATE, samples: syntheticSpeech(3, 260, 6, 6, 1) }));
    const flat = recogniser.analyze(encodeWavMono({ sampleRate: RATE, samples: syntheticSpeech(3, 110, 0.3, 2, 1) }));
    expect(excited.arousal).toBeGreaterThan(flat.arousal);
  });

  it('trusts knocks on a door far less than a voice: near even odds over the seven labels', () => {
    let seed = 5;
    const knocks = new Float32Array(RATE * 3);
    for (let start = 0.2; start < 2.6; start += 0.4)
      for (let k = 0; k < 0.15 * RATE; k++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        knocks[Math.round(start * RATE) + k] = 0.5 * (seed / 1073741824 - 1) * Math.exp((-30 * k) / RATE);
      }
    const untrusting = new VoiceEmotionRecognizer({ ...validateVoiceModel(SHIPPED_VOICE, 'voice.json'), familiarDistance: undefined });
    const wav = encodeWavMono({ sampleRate: RATE, samples: knocks });
    expect(untrusting.analyze(wav).confidence).toBeGreaterThan(0.5);
    expect(recogniser.analyze(wav).confidence).toBeLessThan(0.25);
  });

  it('rejects a recording in which no speech stands out: steady hiss, or a steady tone', () => {
    let seed = 3;
    const hiss = Float32Array.from({ length: RATE * 2 }, () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return 0.01 * (seed / 1073741824 - 1);
    });
    const tone = Float32Array.from({ length: RATE * 2 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / RATE));
    for (const samples of [hiss, tone]) expect(() => recogniser.analyze(encodeWavMono({ sampleRate: RATE, samples }))).toThrow(/no speech/);
  });

  it('rejects bytes that are not a WAV, silence and recordings too short to judge', () => {
    expect(() => recogniser.analyze(new TextEncoder().encode('not a wav file at all'))).toThrow(UndecodableInputError);
    expect(() => recogniser.analyze(encodeWavMono({ sampleRate: RATE, samples: new Float32Array(RATE * 2) }))).toThrow(/silent/);
    expect(() => recogniser.analyze(encodeWavMono({ sampleRate: RATE, samples: syntheticSpeech(1, 200, 1, 4, 1).subarray(0, 3000) }))).toThrow(/shorter/);
    try {
      recogniser.analyze(new Uint8Array([1, 2, 3]));
    } catch (error) {
      expect((error as UndecodableInputError).modality).toBe('voice');
    }
  });

  it('ships a speaker-adapted, a noisy-room, a reverberant-room, a background-talk and a microphone classifier', () => {
    const shipped = validateVoiceModel(SHIPPED_VOICE, 'voice.json');
    expect(shipped.noisy?.features).toEqual(shipped.features);
    expect(shipped.backgroundTalk?.features).toEqual(shipped.features);
    expect(shipped.backgroundTalk?.detector.weights).toHaveLength(BACKGROUND_TALK_CUES.length);
    expect(shipped.reverberant?.features).toEqual(shipped.features);
    expect(shipped.reverberant?.detector.weights).toHaveLength(REVERBERATION_CUES.length);
    expect(shipped.microphone?.features).toEqual(shipped.features);
    expect(shipped.microphone?.detector.weights).toHaveLength(MICROPHONE_CUES.length);
    expect(shipped.noisy?.belowMarginDb).toBeGreaterThan(25);
    expect(shipped.noisy?.belowMarginDb).toBeLessThan(45);
    expect(shipped.speakerAdapted?.adaptAfter).toBeGreaterThan(1);
    expect(shipped.speakerAdapted?.features.length).toBeGreaterThan(100);
    expect(shipped.speakerAdapted?.independentWeight).toBeGreaterThan(0);
    expect(shipped.speakerAdapted?.independentWeight).toBeLessThan(1);
  });

  it("switches to the speaker-adapted classifier once it has heard enough of the speaker, reading features relative to the speaker's mean", () => {
    const recogniser = new VoiceEmotionRecognizer(pitchModel());
    const speaker = recogniser.newSpeakerBaseline();
    const high = encodeWavMono({ sampleRate: RATE, samples: syntheticSpeech(2, 300, 1, 4, 1) });
    const low = encodeWavMono({ sampleRate: RATE, samples: syntheticSpeech(2, 200, 1, 4, 1) });
    // A high-pitched speaker (f0 ≈ 19 semitones above 100 Hz): independently, everything they say sounds happy.
    expect(recogniser.analyze(high, speaker).emotion).toBe('happy');
    expect(recogniser.analyze(high, speaker).emotion).toBe('happy');
    expect(recogniser.analyze(low, speaker).emotion).toBe('sad'); // third: adapted, below their mean
    expect(speaker.count).toBe(3);
    expect(recogniser.analyze(high, speaker).emotion).toBe('happy'); // above their mean
    expect(recogniser.analyze(low).emotion).toBe('happy'); // no baseline: independent
  });

  it('reads a recording the baseline has heard again without adding it twice: the same reading, the same baseline', () => {
    const recogniser = new VoiceEmotionRecognizer(pitchModel(0));
    const speaker = recogniser.newSpeakerBaseline();
    const high = encodeWavMono({ sampleRate: RATE, samples: syntheticSpeech(2, 300, 1, 4, 1) });
    const low = encodeWavMono({ sampleRate: RATE, samples: syntheticSpeech(2, 200, 1, 4, 1) });
    recogniser.analyze(high, speaker);
    recogniser.analyze(high, speaker);
    const shown = recogniser.analyze(low, speaker);
    const before = speaker.state();
    expect(recogniser.analyze(low, speaker, { learn: false })).toEqual(shown);
    expect(speaker.state()).toEqual(before);
  });

  it('blends the adapted reading with the speaker-independent one by the given weight (a product of the two)', () => {
    // Near the independent classifier's boundary (5 semitones over 100 Hz), so neither reading is certain.
    const high = encodeWavMono({ sampleRate: RATE, samples: syntheticSpeech(2, 145, 1, 4, 1) });
    const low = encodeWavMono({ sampleRate: RATE, samples: syntheticSpeech(2, 138, 1, 4, 1) });
    const happyAfter = (independentWeight: number) => {
      const recogniser = new VoiceEmotionRecognizer(pitchModel(independentWeight));
      const speaker = recogniser.newSpeakerBaseline();
      recogniser.analyze(high, speaker);
      recogniser.analyze(high, speaker);
      return recogniser.analyze(low, speaker).probabilities.happy!;
    };
    const [adapted, independent, blended] = [happyAfter(0), happyAfter(1), happyAfter(0.5)];
    expect(adapted).toBeLessThan(0.5); // below this speaker's mean: sad
    expect(independent).toBeGreaterThan(0.5); // a high voice: happy
    const [a, i] = [Math.sqrt(adapted * independent), Math.sqrt((1 - adapted) * (1 - independent))];
    expect(blended).toBeCloseTo(a / (a + i), 2);
    expect(() => validateVoiceModel(pitchModel(1.5), 'voice.json')).toThrow(/independentWeight/);
  });

  it('reads a voice against the standardisation group its gender reader places it in', () => {
    const classifier = higherIsHappy(0);
    const grouped = new VoiceEmotionRecognizer(
      validateVoiceModel(
        {
          ...classifier,
          // Voices above 13 semitones over 100 Hz (≈ 212 Hz) are read against the higher group (mean 19 st), the rest
          // against the lower one (mean 7 st).
          genderStandardisation: { reader: { weights: [1], bias: -13 }, mean: [[7], [19]], sd: [[2], [2]] },
        },
        'test',
      ),
    );
    const plain = new VoiceEmotionRecognizer(validateVoiceModel(classifier, 'test'));
    const high = encodeWavMono({ sampleRate: RATE, samples: syntheticSpeech(2, 250, 1, 4, 1) });
    const middle = encodeWavMono({ sampleRate: RATE, samples: syntheticSpeech(2, 180, 1, 4, 1) });
    expect(plain.analyze(high).emotion).toBe('happy');
    expect(grouped.analyze(high).emotion).toBe('sad'); // low for the higher group
    expect(grouped.analyze(middle).emotion).toBe('happy'); // high for the lower group
    expect(() =>
      validateVoiceModel({ ...classifier, genderStandardisation: { reader: { weights: [1, 2], bias: 0 }, mean: [[7], [19]], sd: [[2], [2]] } }, 'voice.json'),
    ).toThrow(/genderStandardisation.reader/);
    expect(() =>
      validateVoiceModel({ ...classifier, genderStandardisation: { reader: { weights: [1], bias: 0 }, mean: [[7]], sd: [[2], [2]] } }, 'voice.json'),
    ).toThrow(/genderStandardisation.mean/);
  });

  it('trusts a take less the farther its inputs lie from the voices it learned from, mixing its reading with uniform probabilities', () => {
    // Voices around 10 st over 100 Hz (≈ 180 Hz) are familiar.
    const classifier = higherIsHappy(10);
    const plain = new VoiceEmotionRecognizer(validateVoiceModel(classifier, 'test'));
    const trusting = new VoiceEmotionRecognizer(validateVoiceModel({ ...classifier, familiarDistance: 1 }, 'test'));
    const trustSeen: number[] = [];
    for (const f0 of [180, 190, 200, 215, 300]) {
      const samples = syntheticSpeech(2, f0, 0.3, 4, 1);
      const distance = Math.abs(extractVoiceFeatures({ sampleRate: RATE, samples })[index('f0.mean')] - 10);
      const trust = Math.min(1, Math.max(0, 2 - distance));
      trustSeen.push(trust);
      const wav = encodeWavMono({ sampleRate: RATE, samples });
      const [read, trusted] = [plain.analyze(wav), trusting.analyze(wav)];
      for (const label of ['happy', 'sad'] as const) expect(trusted.probabilities[label]).toBeCloseTo(trust * read.probabilities[label]! + (1 - trust) / 2, 2);
      expect(trusted.confidence).toBeLessThanOrEqual(read.confidence);
    }
    // The voices span full trust, partial trust and none (a 300 Hz voice, 8 st from the familiar ones: even odds).
    expect(trustSeen[0]).toBe(1);
    expect(trustSeen.some((t) => t > 0 && t < 1)).toBe(true);
    expect(trustSeen[trustSeen.length - 1]).toBe(0);
    expect(() => validateVoiceModel({ ...classifier, familiarDistance: 0 }, 'voice.json')).toThrow(/familiarDistance/);
  });

  it('reads a take recorded over room noise with the noisy-room classifier, and a quiet take with the studio one', () => {
    const studio = {
      features: ['f0.mean'],
      mean: [0],
      sd: [1],
      weights: [[0], [0]],
      bias: [1, -1], // always happy
      temperature: 1,
    };
    const model = { format: 'xiaoyu-voice-emotion/1', labels: ['happy', 'sad'], ...studio, trainedOn: 'test' };
    const recogniser = new VoiceEmotionRecognizer(validateVoiceModel({ ...model, noisy: { ...studio, bias: [-1, 1], belowMarginDb: 35 } }, 'test'));
    const speech = syntheticSpeech(2, 200, 1, 4, 1);
    let seed = 11;
    const overNoise = speech.map((v) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return v + 0.01 * (seed / 1073741824 - 1); // white noise about 30 dB below the voice's loud frames
    });
    expect(recogniser.analyze(encodeWavMono({ sampleRate: RATE, samples: speech })).emotion).toBe('happy');
    expect(recogniser.analyze(encodeWavMono({ sampleRate: RATE, samples: overNoise })).emotion).toBe('sad');
    expect(() => validateVoiceModel({ ...model, noisy: { ...studio, belowMarginDb: 'loud' } }, 'voice.json')).toThrow(/noisy.belowMarginDb/);
    expect(() => validateVoiceModel({ ...model, noisy: { ...studio, belowMarginDb: 30, steadyBelowMarginDb: null } }, 'voice.json')).toThrow(
      /noisy.steadyBelowMarginDb/,
    );
    expect(() => validateVoiceModel({ ...model, noisy: { ...studio, weights: [[0]], belowMarginDb: 35 } }, 'voice.json')).toThrow(/noisy.weights/);
  });

  it('sends a take to the noisy-room classifier for a small margin, or a larger one over a steady floor', () => {
    const thresholds = { belowMarginDb: 32, steadyBelowMarginDb: 44 };
    const floor = (marginDb: number, steady: boolean) => ({ marginDb, steady, backgroundTalk: [0, 0, 0, 0, 0], reverberation: [0, 0, 0, 0] });
    expect(readsAsNoisyRoom(thresholds, floor(30, false))).toBe(true);
    expect(readsAsNoisyRoom(thresholds, floor(38, true))).toBe(true);
    expect(readsAsNoisyRoom(thresholds, floor(38, false))).toBe(false); // the quiet parts of speech
    expect(readsAsNoisyRoom(thresholds, floor(50, true))).toBe(false); // a quiet room
    expect(readsAsNoisyRoom({ belowMarginDb: 32 }, floor(38, true))).toBe(false);
  });

  it('reads a take with voices talking behind it with the background-talk classifier when its detector hears them', () => {
    const studio = { features: ['f0.mean'], mean: [0], sd: [1], weights: [[0], [0]], bias: [1, -1], temperature: 1 }; // always happy
    const model = { format: 'xiaoyu-voice-emotion/1', labels: ['happy', 'sad'], ...studio, trainedOn: 'test' };
    // Hears voices behind a take whose background-level stretch lasts longer than half a second.
    const detector = { mean: [0, 0, 0, 0, 0], sd: [1, 1, 1, 1, 1], weights: [0, 0, 0, 1, 0], bias: 0, threshold: 0.5 };
    const backgroundTalk = { ...studio, bias: [-1, 1], detector }; // always sad
    const speech = new Float32Array(4 * RATE);
    speech.set(syntheticSpeech(2, 200, 1, 4, 1), RATE);
    const [low, high] = [syntheticSpeech(4, 130, 2, 3, 0.1), syntheticSpeech(4, 170, 2, 2.3, 0.1)];
    const talking = speech.map((v, i) => v + low[i] + high[i]); // two voices 20 dB down, before, during and after
    const [alone, busy] = [speech, talking].map((samples) => encodeWavMono({ sampleRate: RATE, samples }));
    const listening = new VoiceEmotionRecognizer(validateVoiceModel({ ...model, backgroundTalk }, 'test'));
    expect(listening.analyze(busy).emotion).toBe('sad');
    expect(listening.analyze(alone).emotion).toBe('happy');
    expect(new VoiceEmotionRecognizer(validateVoiceModel(model, 'test')).analyze(busy).emotion).toBe('happy');
    // A noisy room comes first: its classifier reads a take it claims, whatever the detector hears.
    const noisy = { ...studio, bias: [1, -1], belowMarginDb: 100 };
    expect(new VoiceEmotionRecognizer(validateVoiceModel({ ...model, noisy, backgroundTalk }, 'test')).analyze(busy).emotion).toBe('happy');
    const invalid = (change: object) => () => validateVoiceModel({ ...model, backgroundTalk: { ...backgroundTalk, ...change } }, 'voice.json');
    expect(invalid({ detector: { ...detector, weights: [1] } })).toThrow(/backgroundTalk.detector must have/);
    expect(invalid({ detector: { ...detector, sd: [1, 1, 0, 1, 1] } })).toThrow(/backgroundTalk.detector must have/);
    expect(invalid({ detector: { ...detector, threshold: 'high' } })).toThrow(/backgroundTalk.detector.bias and threshold/);
    expect(invalid({ detector: undefined })).toThrow(/backgroundTalk.detector/);
    expect(invalid({ bias: [1] })).toThrow(/backgroundTalk.bias/);
  });

  it('reads a take from a reverberant room with the reverberant-room classifier when its detector hears the slow falls', () => {
    const studio = { features: ['f0.mean'], mean: [0], sd: [1], weights: [[0], [0]], bias: [1, -1], temperature: 1 }; // always happy
    const model = { format: 'xiaoyu-voice-emotion/1', labels: ['happy', 'sad'], ...studio, trainedOn: 'test' };
    // Hears a room in a take whose steepest falls over 30 ms are under 10 dB (the dry voice's: 13 dB, the room's: 7 dB).
    const detector = { mean: [0, 0, 0, 0], sd: [1, 1, 1, 1], weights: [-1, 0, 0, 0], bias: 0, threshold: -1 };
    const reverberant = { ...studio, bias: [-1, 1], detector }; // always sad
    const dry = new Float32Array(4 * RATE);
    dry.set(syntheticSpeech(2, 200, 1, 4, 1), RATE);
    // Four feedback combs' tails (a Schroeder reverberator's), falling 60 dB in 0.8 s, added to the dry voice.
    const roomy = Float32Array.from(dry);
    for (const delay of [475, 594, 658, 699]) {
      const gain = 10 ** ((-3 * delay) / (0.8 * RATE));
      const comb = new Float32Array(dry.length);
      for (let i = 0; i < dry.length; i++) comb[i] = dry[i] + (i >= delay ? gain * comb[i - delay] : 0);
      for (let i = 0; i < dry.length; i++) roomy[i] += 0.25 * (comb[i] - dry[i]);
    }
    const [inStudio, inRoom] = [dry, roomy].map((samples) => encodeWavMono({ sampleRate: RATE, samples }));
    const listening = new VoiceEmotionRecognizer(validateVoiceModel({ ...model, reverberant }, 'test'));
    expect(listening.analyze(inRoom).emotion).toBe('sad');
    expect(listening.analyze(inStudio).emotion).toBe('happy');
    // It comes after a noisy room and after background talk.
    const noisy = { ...studio, belowMarginDb: 100 };
    const backgroundTalk = { ...studio, detector: { mean: [0, 0, 0, 0, 0], sd: [1, 1, 1, 1, 1], weights: [0, 0, 0, 0, 0], bias: 1, threshold: 0 } };
    expect(new VoiceEmotionRecognizer(validateVoiceModel({ ...model, noisy, reverberant }, 'test')).analyze(inRoom).emotion).toBe('happy');
    expect(new VoiceEmotionRecognizer(validateVoiceModel({ ...model, backgroundTalk, reverberant }, 'test')).analyze(inRoom).emotion).toBe('happy');
    const invalid = (change: object) => () => validateVoiceModel({ ...model, reverberant: { ...reverberant, ...change } }, 'voice.json');
    expect(invalid({ detector: { ...detector, weights: [1, 0, 0, 0, 0] } })).toThrow(/reverberant.detector must have .* 4 numbers \(steepFall30ms/);
    expect(invalid({ features: ['none'] })).toThrow(/reverberant.features/);
  });

  it('reads a take through a colouring microphone with the microphone classifier when its detector hears it in the long-term spectrum', () => {
    const classifier = (label: string) => ({ features: ['f0.mean'], mean: [0], sd: [1], weights: [[0]], bias: [0], temperature: 1, label });
    const cues = MICROPHONE_CUES.length;
    expect(cues).toBe(26); // the long-term mel bands relative to the take's level
    // Hears a low cut when the lowest band sits more than 20 dB below the take's level.
    const weights = MICROPHONE_CUES.map((_, j) => (j === 0 ? -1 : 0));
    const detector = { mean: Array<number>(cues).fill(0), sd: Array<number>(cues).fill(1), weights, bias: 0, threshold: 20 };
    const model = { ...classifier('studio'), microphone: { ...classifier('microphone'), detector } };
    const features = (lowestBand: number) => VOICE_FEATURE_NAMES.map((name) => (name === 'band0.relative' ? lowestBand : -10));
    const floor = { marginDb: 50, steady: false, backgroundTalk: [0, 0, 0, 0, 0], reverberation: [2, 3, 4, 1] };
    type Labelled = ReturnType<typeof classifier>;
    expect(independentClassifier<Labelled>(model, floor, features(-30)).label).toBe('microphone');
    expect(independentClassifier<Labelled>(model, floor, features(-12)).label).toBe('studio');
    // Every room classifier comes before it.
    const room = { ...classifier('reverberant'), detector: { mean: [0, 0, 0, 0], sd: [1, 1, 1, 1], weights: [0, 0, 0, 0], bias: 1, threshold: 0 } };
    expect(independentClassifier<Labelled>({ ...model, reverberant: room }, floor, features(-30)).label).toBe('reverberant');
    const shipped = validateVoiceModel(SHIPPED_VOICE, 'voice.json');
    expect(() => validateVoiceModel({ ...shipped, microphone: { ...shipped.microphone, detector: { ...detector, weights: [1] } } }, 'voice.json')).toThrow(
      /microphone.detector must have .* 26 numbers \(band0.relative/,
    );
  });

  it('validates replacement parameters and names what is wrong', () => {
    expect(() => validateVoiceModel({ format: 'xiaoyu-voice-emotion/1', labels: ['happy', 'joyful'] }, 'voice.json')).toThrow(VoiceModelError);
    expect(() => VoiceEmotionRecognizer.load('/nonexistent/voice.json')).toThrow(/nonexistent/);
    const shipped = validateVoiceModel(SHIPPED_VOICE, 'voice.json');
    expect(() => validateVoiceModel({ ...shipped, speakerAdapted: { ...shipped.speakerAdapted, adaptAfter: 0 } }, 'voice.json')).toThrow(/adaptAfter/);
    expect(() => validateVoiceModel({ ...shipped, speakerAdapted: { ...shipped.speakerAdapted, bias: [1] } }, 'voice.json')).toThrow(/speakerAdapted.bias/);
  });
});
