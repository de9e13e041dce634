/**
 * Face section of `npm run bench:multimodal` (run alone: `node -r @swc-node/register bench/multimodal/face.bench.ts`).
 *
 * Loads VisualEmotionRecognizer once, then times `analyze` per image on generated pictures (a 640×480 camera-like
 * snapshot with one face, a 1280×720 group picture with three, a picture without a face) and, when faces-dev is
 * present, on its 48×48 crops. Prints p50/p95 per image, warm throughput and memory. FACE_BENCH_RUNS sets the timed
 * runs per picture (default 30).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { tf } from '../../src/multimodal/engine/face/face-models';
import { VisualEmotionRecognizer } from '../../src/multimodal/engine/face/visual-emotion-recognizer';
import { cartoonPicture } from '../../test/support/cartoon-faces';
import { loadFacesDev } from '../../eval/multimodal/faces-dev';
import { machineLine, quantile, table } from '../../eval/ensemble/report';

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const ms = (x: number) => x.toFixed(0);

/** Wall-clock and CPU milliseconds of each call (CPU time is what the call costs when the machine is not shared). */
async function time(recognizer: VisualEmotionRecognizer, pictures: Uint8Array[], runs: number): Promise<{ wall: number[]; cpu: number[] }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const picture = pictures[i % pictures.length];
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await recognizer.analyze(picture);
    const used = process.cpuUsage(cpuStart);
    wall.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall, cpu };
}

export default async function faceBench(): Promise<void> {
  const runs = Math.max(1, Number(process.env.FACE_BENCH_RUNS ?? 30));
  console.log(`\n# Face expression: latency per image\n\n${machineLine()}\n`);
  const rssBefore = process.memoryUsage().rss;
  const loadStart = performance.now();
  const recognizer = await VisualEmotionRecognizer.load();
  const loadMs = performance.now() - loadStart;

  const cases: { name: string; pictures: Uint8Array[] }[] = [
    { name: 'snapshot 640×480 JPEG, one face', pictures: [await cartoonPicture(640, 480, [[320, 230, 120]], 'jpeg')] },
    {
      name: 'group 1280×720 JPEG, three faces',
      pictures: [
        await cartoonPicture(
          1280,
          720,
          [
            [250, 360, 140],
            [640, 340, 120],
            [1020, 380, 130],
          ],
          'jpeg',
        ),
      ],
    },
    { name: 'no face 640×480 PNG (whole image)', pictures: [await cartoonPicture(640, 480, [], 'png')] },
  ];
  const faces = loadFacesDev();
  if (faces) cases.push({ name: 'faces-dev 48×48 PNG crops', pictures: faces.filter((_, i) => i % 37 === 0).map((s) => new Uint8Array(readFileSync(s.file))) });
  else console.log('(faces-dev absent: its row is skipped)\n');

  const rows: (string | number)[][] = [];
  let warmMs = 0;
  let warmCount = 0;
  for (const c of cases) {
    await time(recognizer, c.pictures, 3); // warm-up: the WASM backend compiles kernels per shape
    const { wall, cpu } = await time(recognizer, c.pictures, runs);
    const total = wall.reduce((sum, t) => sum + t, 0);
    warmMs += total;
    warmCount += wall.length;
    rows.push([
      c.name,
      wall.length,
      ms(quantile(wall, 0.5)),
      ms(quantile(wall, 0.95)),
      ms(quantile(cpu, 0.5)),
      ms(quantile(cpu, 0.95)),
      (1000 / (total / wall.length)).toFixed(1),
    ]);
  }
  console.log(table(['picture', 'runs', 'p50 ms', 'p95 ms', 'CPU p50 ms', 'CPU p95 ms', 'images/s (one at a time)'], rows));
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(', ');
  console.log(`\nload average while measuring: ${load} on ${cpus().length} cores (wall time grows with other work on the machine; CPU time does not)`);

  // Concurrent callers queue behind one another (the backend runs one graph at a time): throughput stays the same.
  const snapshot = cases[0].pictures[0];
  const burstStart = performance.now();
  await Promise.all(Array.from({ length: 16 }, () => recognizer.analyze(snapshot)));
  const burstSeconds = (performance.now() - burstStart) / 1000;

  const memory = process.memoryUsage();
  console.log(
    `\nload: ${ms(loadMs)} ms · warm throughput: ${((1000 * warmCount) / warmMs).toFixed(1)} images/s over all pictures, ${(16 / burstSeconds).toFixed(1)} images/s for 16 concurrent snapshots`,
  );
  console.log(
    `memory: rss ${mb(memory.rss)} MB (+${mb(memory.rss - rssBefore)} MB since before loading), heap ${mb(memory.heapUsed)} MB, tensors ${tf.memory().numTensors} holding ${mb(tf.memory().numBytes)} MB`,
  );
}

if (require.main === module) {
  faceBench().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
