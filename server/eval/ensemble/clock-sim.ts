/**
 * Clock-offset error of the shared clock's estimator on simulated networks, and on a real TCP loopback.
 *
 * Simulation: the client's clock reads true time; the server's reads θ + (1 + drift)·t. The client pings once a
 * second after a burst of ten at 100 ms (what a joining client does); each ping crosses the network (one-way delays
 * drawn per direction: a base, exponential jitter, rare spikes such as a garbage-collection pause or a Wi-Fi retry, and
 * loss), the server stamps it during its processing time, and the reply crosses back. The error is the estimate
 * minus the true offset at the moment the reply arrives, measured from the 8th accepted sample on.
 */
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { ClockOffsetEstimator } from '../../src/ensemble/engine/shared-clock';
import { createRng, Rng } from '../../src/music/engine/rng';

export interface NetworkProfile {
  name: string;
  /** One-way delay client → server, ms. */
  up: (rng: Rng) => number;
  /** One-way delay server → client, ms. */
  down: (rng: Rng) => number;
  /** Time between receiving a ping and sending the answer, ms (the stamp falls inside it). */
  processing: (rng: Rng) => number;
  /** Chance that a ping or its answer is lost, each way. */
  loss: number;
  /** Server clock rate error, parts per million. */
  driftPpm: number;
  /** Mean one-way delay difference up − down, ms: the midpoint is biased by half of it, which no ping/pong can see. */
  asymmetryMs: number;
}

const exp = (rng: Rng, mean: number) => -mean * Math.log(1 - rng.next());
const spike = (rng: Rng, p: number, lo: number, hi: number) => (rng.chance(p) ? lo + rng.next() * (hi - lo) : 0);
const pareto = (rng: Rng, scale: number, alpha: number, cap: number) => Math.min(cap, scale * ((1 - rng.next()) ** (-1 / alpha) - 1));

export const NETWORKS: NetworkProfile[] = [
  {
    name: 'loopback (same host)',
    up: (r) => 0.03 + exp(r, 0.02) + spike(r, 0.01, 1, 10),
    down: (r) => 0.03 + exp(r, 0.02) + spike(r, 0.01, 1, 10),
    processing: (r) => 0.02 + exp(r, 0.05),
    loss: 0,
    driftPpm: 0,
    asymmetryMs: 0,
  },
  {
    name: 'loopback, busy event loop',
    up: (r) => 0.03 + exp(r, 0.05) + spike(r, 0.1, 2, 30),
    down: (r) => 0.03 + exp(r, 0.05) + spike(r, 0.1, 2, 30),
    processing: (r) => 0.05 + exp(r, 0.5),
    loss: 0,
    driftPpm: 0,
    asymmetryMs: 0,
  },
  {
    name: 'LAN (wired), 20 ppm drift',
    up: (r) => 0.25 + exp(r, 0.1) + spike(r, 0.01, 1, 5),
    down: (r) => 0.25 + exp(r, 0.1) + spike(r, 0.01, 1, 5),
    processing: (r) => 0.05 + exp(r, 0.1),
    loss: 0.001,
    driftPpm: 20,
    asymmetryMs: 0,
  },
  {
    name: 'Wi-Fi, 30 ppm drift',
    up: (r) => 1.5 + exp(r, 2) + spike(r, 0.05, 5, 50),
    down: (r) => 1.5 + exp(r, 2) + spike(r, 0.05, 5, 50),
    processing: (r) => 0.05 + exp(r, 0.2),
    loss: 0.01,
    driftPpm: 30,
    asymmetryMs: 0,
  },
  {
    name: 'WAN, symmetric 15 ms',
    up: (r) => 15 + exp(r, 3) + spike(r, 0.02, 10, 80),
    down: (r) => 15 + exp(r, 3) + spike(r, 0.02, 10, 80),
    processing: (r) => 0.05 + exp(r, 0.2),
    loss: 0.005,
    driftPpm: 30,
    asymmetryMs: 0,
  },
  {
    name: 'WAN, asymmetric 25 / 10 ms',
    up: (r) => 25 + exp(r, 3) + spike(r, 0.02, 10, 80),
    down: (r) => 10 + exp(r, 3) + spike(r, 0.02, 10, 80),
    processing: (r) => 0.05 + exp(r, 0.2),
    loss: 0.005,
    driftPpm: 30,
    asymmetryMs: 15,
  },
  {
    name: 'mobile, heavy-tailed jitter, 5% loss',
    up: (r) => 30 + pareto(r, 5, 1.5, 500),
    down: (r) => 30 + pareto(r, 5, 1.5, 500),
    processing: (r) => 0.05 + exp(r, 0.2),
    loss: 0.05,
    driftPpm: 50,
    asymmetryMs: 0,
  },
];

export interface OffsetErrors {
  /** |estimate − truth| per evaluated sample, ms. */
  errors: number[];
  rtts: number[];
  lost: number;
}

/** Runs one simulated client for `durationSec` of pings against a server whose clock is `offsetMs` ahead. */
export function simulateNetwork(profile: NetworkProfile, seed: number, durationSec = 600, offsetMs = 73_421.37): OffsetErrors {
  const rng = createRng(seed);
  const estimator = new ClockOffsetEstimator();
  const serverClock = (t: number) => offsetMs + t * (1 + profile.driftPpm * 1e-6);
  const errors: number[] = [];
  const rtts: number[] = [];
  let lost = 0;
  const sendTimes: number[] = [];
  for (let i = 0; i < 10; i++) sendTimes.push(i * 100);
  for (let t = 1000; t < durationSec * 1000; t += 1000) sendTimes.push(t + rng.next() * 20);
  for (const t0 of sendTimes) {
    if (rng.chance(profile.loss) || rng.chance(profile.loss)) {
      lost++;
      continue;
    }
    const arrive = t0 + profile.up(rng);
    const processing = profile.processing(rng);
    const serverTime = serverClock(arrive + rng.next() * processing);
    const t1 = arrive + processing + profile.down(rng);
    estimator.addSample({ t0, serverTime, t1 });
    rtts.push(t1 - t0);
    const e = estimator.estimate!;
    if (e.samples >= 8) errors.push(Math.abs(e.offsetMs - (serverClock(t1) - t1)));
  }
  return { errors, rtts, lost };
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * The same estimator over a real TCP loopback: a child Node process answers pings with its own monotonic clock plus a
 * known offset (both processes read the same system monotonic clock, so the true offset is exactly that constant).
 * Runs `count` pings `intervalMs` apart while this process stays otherwise idle.
 */
export async function measureTcpLoopback(count = 400, intervalMs = 10, offsetMs = 98_765.4321): Promise<OffsetErrors> {
  const serverCode = `
    const net = require('node:net');
    const server = net.createServer((socket) => {
      socket.setNoDelay(true);
      let buffer = '';
      socket.on('data', (chunk) => {
        buffer += chunk;
        let i;
        while ((i = buffer.indexOf('\\n')) >= 0) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 1);
          const { t0 } = JSON.parse(line);
          const serverTime = Number(process.hrtime.bigint()) / 1e6 + ${offsetMs};
          socket.write(JSON.stringify({ t0, serverTime }) + '\\n');
        }
      });
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
  `;
  const child = spawn(process.execPath, ['-e', serverCode], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      child.once('error', reject);
    });
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const estimator = new ClockOffsetEstimator();
    const errors: number[] = [];
    const rtts: number[] = [];
    let buffer = '';
    let received = 0;
    const done = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        const t1 = nowMs();
        buffer += chunk.toString();
        let i: number;
        while ((i = buffer.indexOf('\n')) >= 0) {
          const { t0, serverTime } = JSON.parse(buffer.slice(0, i)) as { t0: number; serverTime: number };
          buffer = buffer.slice(i + 1);
          estimator.addSample({ t0, serverTime, t1 });
          rtts.push(t1 - t0);
          const e = estimator.estimate!;
          if (e.samples >= 8) errors.push(Math.abs(e.offsetMs - offsetMs));
          if (++received === count) resolve();
        }
      });
    });
    for (let k = 0; k < count; k++) {
      socket.write(`${JSON.stringify({ t0: nowMs() })}\n`);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    await done;
    socket.destroy();
    return { errors, rtts, lost: 0 };
  } finally {
    child.kill();
  }
}
