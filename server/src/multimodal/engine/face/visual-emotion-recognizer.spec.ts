import { FACE_EMOTIONS, FaceAnalysis, UndecodableInputError } from '../types';
import { cartoonPicture as picture } from '../../../../test/support/cartoon-faces';
import { VisualEmotionRecognizer } from './visual-emotion-recognizer';

function expectWellFormed(analysis: FaceAnalysis, width: number, height: number): void {
  expect(analysis.faces.length).toBeGreaterThan(0);
  for (const face of analysis.faces) {
    expect(Object.keys(face.probabilities).sort()).toEqual([...FACE_EMOTIONS].sort());
    const total = Object.values(face.probabilities).reduce((s, p) => s + p, 0);
    expect(total).toBeCloseTo(1, 6);
    for (const p of Object.values(face.probabilities)) expect(p).toBeGreaterThanOrEqual(0);
    const top = FACE_EMOTIONS.reduce((best, e) => (face.probabilities[e] > face.probabilities[best] ? e : best));
    expect(face.emotion).toBe(top);
    expect(face.box.x).toBeGreaterThanOrEqual(0);
    expect(face.box.y).toBeGreaterThanOrEqual(0);
    expect(face.box.width).toBeGreaterThan(0);
    expect(face.box.height).toBeGreaterThan(0);
    expect(face.box.x + face.box.width).toBeLessThanOrEqual(width);
    expect(face.box.y + face.box.height).toBeLessThanOrEqual(height);
    for (const v of [face.valence, face.arousal]) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  }
  expect(FACE_EMOTIONS).toContain(analysis.emotion);
  expect(analysis.confidence).toBeGreaterThan(0);
  expect(analysis.confidence).toBeLessThanOrEqual(1);
  for (const v of [analysis.valence, analysis.arousal]) expect(Math.abs(v)).toBeLessThanOrEqual(1);
}

describe('VisualEmotionRecognizer', () => {
  let recognizer: VisualEmotionRecognizer;
  beforeAll(async () => {
    recognizer = await VisualEmotionRecognizer.load();
  }, 60_000);

  it('finds a face and reports its box inside the picture', async () => {
    const analysis = await recognizer.analyze(await picture(320, 240, [[160, 120, 80]]));
    expect(analysis.detector).toBe('face');
    expect(analysis.faces).toHaveLength(1);
    expectWellFormed(analysis, 320, 240);
    const { box } = analysis.faces[0];
    // The drawn face spans x 96–224, y 40–200.
    expect(box.x + box.width / 2).toBeGreaterThan(120);
    expect(box.x + box.width / 2).toBeLessThan(200);
  });

  it('finds a face that fills the whole frame (the picture is padded before detection)', async () => {
    const analysis = await recognizer.analyze(await picture(200, 200, [[100, 100, 100]], 'jpeg'));
    expect(analysis.detector).toBe('face');
    expectWellFormed(analysis, 200, 200);
  });

  it('reports every face in a group picture, largest first', async () => {
    const analysis = await recognizer.analyze(
      await picture(
        640,
        360,
        [
          [470, 170, 70],
          [180, 180, 90],
        ],
        'webp',
      ),
    );
    expect(analysis.faces).toHaveLength(2);
    expectWellFormed(analysis, 640, 360);
    expect(analysis.faces[0].box.x).toBeLessThan(320);
    expect(analysis.faces[1].box.x).toBeGreaterThan(320);
  });

  it('classifies the whole picture and says so when there is no face', async () => {
    const analysis = await recognizer.analyze(await picture(120, 90, []));
    expect(analysis.detector).toBe('whole-image');
    expect(analysis.faces).toHaveLength(1);
    expect(analysis.faces[0].box).toEqual({ x: 0, y: 0, width: 120, height: 90 });
    expectWellFormed(analysis, 120, 90);
  });

  it('reports boxes in the pixels of a large picture, not of the shrunk copy it analysed', async () => {
    const analysis = await recognizer.analyze(await picture(2560, 1440, [[1280, 720, 400]]));
    expect(analysis.detector).toBe('face');
    expectWellFormed(analysis, 2560, 1440);
    expect(analysis.faces[0].box.width).toBeGreaterThan(500);
  });

  it('refuses bytes that are not a picture, and keeps working afterwards', async () => {
    await expect(recognizer.analyze(new TextEncoder().encode('hello'))).rejects.toThrow(UndecodableInputError);
    const truncated = (await picture(100, 100, [])).subarray(0, 60);
    await expect(recognizer.analyze(truncated)).rejects.toMatchObject({ modality: 'face' });
    expect((await recognizer.analyze(await picture(100, 100, []))).detector).toBe('whole-image');
  });

  it('answers concurrent calls, each with its own picture', async () => {
    const [withFace, without] = await Promise.all([
      recognizer.analyze(await picture(320, 240, [[160, 120, 80]])),
      recognizer.analyze(await picture(120, 90, [])),
    ]);
    expect(withFace.detector).toBe('face');
    expect(without.detector).toBe('whole-image');
  });
});
