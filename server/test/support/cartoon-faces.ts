import sharp from 'sharp';

/** A cartoon face (skin ellipse, eyes, brows, nose, smile) centred at (cx, cy) with half-height r, as SVG. */
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

/**
 * A generated picture (blue-grey background) with cartoon faces given as [cx, cy, r]: face-api's tiny detector finds
 * them, so tests and benchmarks have faces without shipping or reading anyone's photo.
 */
export async function cartoonPicture(
  width: number,
  height: number,
  faces: [number, number, number][],
  format: 'png' | 'jpeg' | 'webp' = 'png',
): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#6a8caf"/>${faces.map((f) => cartoonFace(...f)).join('')}</svg>`;
  const image = sharp(Buffer.from(svg));
  return new Uint8Array(await (format === 'png' ? image.png() : format === 'jpeg' ? image.jpeg() : image.webp()).toBuffer());
}
