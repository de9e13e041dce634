import type { FaceAnalysis } from '../types';
import { faceEvidence, fuseModalities } from './fuse';
import { FUSION_MODEL_FORMAT, type FusionParameters, validateFusionModel } from './fusion-model';

const parameters: FusionParameters = { format: FUSION_MODEL_FORMAT, reliability: { face: 1, voice: 1, text: 1 }, conflictThreshold: 0.4, trainedOn: 'test' };

const happyFace = { emotion: 'happy', valence: 0.7, arousal: 0.4, confidence: 0.8, probabilities: { happy: 0.8, neutral: 0.15, surprised: 0.05 } } as const;
const sadVoice = { emotion: 'sad', valence: -0.6, arousal: -0.4, confidence: 0.75, probabilities: { sad: 0.75, neutral: 0.15, bored: 0.1 } } as const;
const happyVoice = { emotion: 'happy', valence: 0.6, arousal: 0.5, confidence: 0.55, probabilities: { happy: 0.55, angry: 0.25, neutral: 0.2 } } as const;
const happyText = { emotion: 'happy', valence: 0.5, arousal: 0.3, confidence: 0.7, probabilities: { happy: 0.7, neutral: 0.2, surprised: 0.1 } } as const;

describe('fuseModalities', () => {
  it('passes a single modality through with all the weight and no disagreement', () => {
    const fused = fuseModalities({ voice: sadVoice }, parameters);
    expect(fused.emotion).toBe('sad');
    expect(fused.weights).toEqual({ voice: 1 });
    expect(fused.disagreement).toBe(0);
    expect(fused.conflict).toBe(false);
  });

  it('reports weights and probabilities that sum to exactly 1 at three decimals (three equal weights too)', () => {
    const even = { emotion: 'neutral', valence: 0, arousal: 0, confidence: 0.7 } as const;
    const fused = fuseModalities({ face: even, voice: even, text: even }, parameters);
    expect(Object.values(fused.weights).reduce((s, w) => s + (w ?? 0), 0)).toBeCloseTo(1, 9);
    expect(Object.values(fused.probabilities).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 9);
  });

  it('lets agreeing modalities reinforce each other', () => {
    const fused = fuseModalities({ face: happyFace, voice: happyVoice }, parameters);
    expect(fused.emotion).toBe('happy');
    expect(fused.confidence).toBeGreaterThan(happyFace.confidence);
    expect(fused.conflict).toBe(false);
    expect(fused.weights.face! + fused.weights.voice!).toBeCloseTo(1, 2);
    expect(fused.weights.face).toBeGreaterThan(fused.weights.voice!);
  });

  it('flags a smiling face over a sad voice instead of averaging it away', () => {
    const fused = fuseModalities({ face: happyFace, voice: sadVoice }, parameters);
    expect(fused.conflict).toBe(true);
    expect(fused.disagreement).toBeGreaterThan(0.4);
    expect(['happy', 'sad']).toContain(fused.emotion);
    expect(fused.contributions.face?.emotion).toBe('happy');
    expect(fused.contributions.voice?.emotion).toBe('sad');
    expect(fused.confidence).toBeLessThan(0.8);
  });

  it('flags one dissenting modality among two that agree, and follows the two', () => {
    const fused = fuseModalities({ face: happyFace, voice: sadVoice, text: happyText }, { ...parameters, conflictThreshold: 0.6 });
    expect(fused.disagreement).toBeCloseTo(fuseModalities({ face: happyFace, voice: sadVoice }, parameters).disagreement, 3);
    expect(fused.conflict).toBe(true);
    expect(fused.emotion).toBe('happy');
    expect(fused.valence).toBeGreaterThan(0);
  });

  it('trusts a more reliable modality more', () => {
    const trustVoice = fuseModalities({ face: happyFace, voice: sadVoice }, { ...parameters, reliability: { face: 0.2, voice: 3, text: 1 } });
    expect(trustVoice.emotion).toBe('sad');
    expect(trustVoice.valence).toBeLessThan(0);
  });

  it('hears a modality at its own confidence when that is below its top probability (text of mostly unknown words)', () => {
    const vagueText = { ...happyText, confidence: 0.35 };
    const alone = fuseModalities({ text: vagueText }, parameters);
    expect(alone.emotion).toBe('happy');
    // (the pool's floor under every label costs the top a few thousandths)
    expect(Math.abs(alone.confidence - 0.35)).toBeLessThan(0.01);
    expect(Math.abs(fuseModalities({ text: happyText }, parameters).confidence - 0.7)).toBeLessThan(0.01);
    // With a confident face beside it, the vague text still agrees, but adds less than a sure one would.
    const sure = fuseModalities({ face: happyFace, text: happyText }, parameters);
    const vague = fuseModalities({ face: happyFace, text: vagueText }, parameters);
    expect(vague.emotion).toBe('happy');
    expect(vague.confidence).toBeLessThan(sure.confidence);
    // A face whose confidence is its top probability passes through as it is.
    expect(Math.abs(fuseModalities({ face: happyFace }, parameters).probabilities.happy - 0.8)).toBeLessThan(0.01);
  });

  it('works from emotion and confidence alone when a modality has no probabilities', () => {
    const fused = fuseModalities({ text: { emotion: 'angry', valence: -0.5, arousal: 0.6, confidence: 0.7 } }, parameters);
    expect(fused.emotion).toBe('angry');
    expect(fused.probabilities.angry).toBeCloseTo(0.7, 1);
  });

  it('needs at least one modality and validates replacement parameters', () => {
    expect(() => fuseModalities({}, parameters)).toThrow(RangeError);
    expect(() => validateFusionModel({ ...parameters, conflictThreshold: 2 }, 'fusion.json')).toThrow(/conflictThreshold/);
    expect(() => validateFusionModel({ ...parameters, reliability: { face: 1, voice: 0, text: 1 } }, 'fusion.json')).toThrow(/reliability.voice/);
  });
});

describe('faceEvidence', () => {
  it('averages the faces by area, so the largest face counts most', () => {
    const face: FaceAnalysis = {
      emotion: 'happy',
      valence: 0.5,
      arousal: 0.3,
      confidence: 0.7,
      detector: 'face',
      faces: [
        {
          box: { x: 0, y: 0, width: 100, height: 100 },
          emotion: 'happy',
          probabilities: { neutral: 0.1, happy: 0.9, sad: 0, angry: 0, fearful: 0, disgusted: 0, surprised: 0 },
          valence: 0.7,
          arousal: 0.4,
        },
        {
          box: { x: 0, y: 0, width: 10, height: 10 },
          emotion: 'sad',
          probabilities: { neutral: 0.1, happy: 0, sad: 0.9, angry: 0, fearful: 0, disgusted: 0, surprised: 0 },
          valence: -0.6,
          arousal: -0.3,
        },
      ],
    };
    const evidence = faceEvidence(face);
    expect(evidence.probabilities?.happy).toBeGreaterThan(0.85);
    expect(evidence.probabilities?.sad).toBeLessThan(0.05);
  });
});
