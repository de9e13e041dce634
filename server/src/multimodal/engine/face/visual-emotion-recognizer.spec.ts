import sharp from 'sharp';
import { FACE_EMOTIONS, FaceAnalysis, UndecodableInputError } from '../types';
import { VisualEmotionRecognizer } from './visual-emotion-recognizer';

/** A cartoon face drawn here (skin ellipse, eyes, brows, nose, smile): face-api's tiny detector finds it. */
function cartoonFace(cx: number, cy: number, r: number): string {
  const eye = (dx: number) =>
    `<ellipse cx="${cx + dx}" cy="${cy - r * 0.2}" rx="${r * 0.14}" ry="${r * 0.08}" fill="#fff"/><circle cx="${cx + dx}" cy="${cy - r * 0.2}" r="${r * 0.06}" fill="#222"/>`;
  const brow = (x: number) =>
    `<path d="M ${x} ${cy - r * 0.38} q ${r * 0.16} -${r * 0.1} ${r * 0.32} 0" stroke="#442" stroke-width="${r * 0.05}" fill="none"/>`;
  return [
    `<ellipse cx="${cx}" cy="${cy}" rx="${r * 0.8}" ry="${r}" fill="#e0b090"/>`,
    eye(-r * 0.32),
    eye(r * 0.32),
    brow(cx - r * 0.48),
    brow(cx + r * 0.16),
    `<path d="M ${cx} ${cy - r * 0.1} l -${r * 0.1} ${r * 0.3} h ${r * 0.2}" stroke="#a07050" stroke-width="${r * 0.04}" fill="none"/>`,
    `<path d="M ${cx - r * 0.3} ${cy + r * 0.45} q ${r * 0.3} ${r * 0.25} ${r * 0.6} 0" stroke="#a03030" stroke-width="${r * 0.08}" fill="none"/>`,
  ].join('');
}

async function picture(width: number, height: number, faces: [number, number, number][], format: 'png' | 'jpeg' | 'webp' = 'png'): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#6a8caf"/>${faces.map((f) => cartoonFace(...f)).join('')}</svg>`;
  const image = sharp(Buffer.from(svg));
  return new Uint8Array(await (format === 'png' ? image.png() : format === 'jpeg' ? image.jpeg() : image.webp()).toBuffer());
}

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
