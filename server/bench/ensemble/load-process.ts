/**
 * A load process of bench:ensemble (not the server's): it plays the clients it is given — clock sync from ping/pong
 * samples with the engine's ClockOffsetEstimator (the browser's algorithm), join, then phrases of sixteenth notes at
 * 8 notes per second on the room's bar grid — and reports what it measured to the parent over IPC.
 */
import { io, type Socket } from 'socket.io-client';
import msgpackParser from 'socket.io-msgpack-parser';
import { ClockOffsetEstimator } from '../../src/ensemble/engine';

export interface LoadClient {
  token: string;
  url: string;
  code: string;
  room: number;
  /** Members of the room (all processes). */
  roomSize: number;
  /** The room's grid: phrases start at (start + roomOffset) + k × PHRASE_PERIOD_MS (shared ms). */
  roomOffset: number;
}

export interface LoadJob {
  kind: 'ensemble' | 'bare';
  clients: LoadClient[];
  /** How long the players play, ms from the start the parent gives once every process has connected. */
  playMs: number;
  seed: number;
}

export interface RoomReport {
  room: number;
  /** Per phrase index: the last note-off a member of this process sent (shared ms). */
  lastOff: Record<number, number>;
  /** Per phrase index: the first note-on a member of this process sent. */
  firstOn: Record<number, number>;
  /** Accompanist note-ons received (scheduled shared ms, arrival shared ms), first receiver per note only. */
  aiOns: [number, number][];
}

export interface LoadReport {
  latencies: number[];
  offsetErrors: number[];
  sent: number;
  received: number;
  /** Accompanist notes received (every member's copy). */
  aiReceived: number;
  expected: number;
  errors: number;
  rooms: RoomReport[];
  connectFailures: number;
}

/** Two bars at 120 BPM played, two bars of rest: every member of a room plays the same phrases (on the same grid). */
export const PHRASE_PLAY_MS = 4000;
export const PHRASE_PERIOD_MS = 8000;
const SIXTEENTH_MS = 125;
const SCALE = [57, 60, 62, 64, 65, 67, 69, 71, 72];

const clock = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

interface Player {
  client: LoadClient;
  socket: Socket;
  estimator: ClockOffsetEstimator;
  memberId: string;
  aiId: string;
}

async function connect(job: LoadJob, client: LoadClient): Promise<Socket> {
  const socket = io(job.kind === 'ensemble' ? `${client.url}/ensemble` : client.url, {
    // Each phase's clients start afresh, as the page does (a plain reconnect would take back a dropped membership).
    auth: job.kind === 'ensemble' ? { token: client.token, resume: false } : {},
    ...(job.kind === 'ensemble' ? { parser: msgpackParser } : {}),
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

async function ping(socket: Socket, estimator: ClockOffsetEstimator): Promise<void> {
  const t0 = clock();
  const ack = (await socket.timeout(5000).emitWithAck('clock:ping', { t0 })) as { ok: boolean; serverTime: number };
  if (ack.ok) estimator.addSample({ t0, serverTime: ack.serverTime, t1: clock() });
}

async function run(job: LoadJob): Promise<LoadReport> {
  const random = rng(job.seed);
  const report: LoadReport = { latencies: [], offsetErrors: [], sent: 0, received: 0, aiReceived: 0, expected: 0, errors: 0, rooms: [], connectFailures: 0 };
  const rooms = new Map<number, RoomReport>();
  const seenAi = new Set<string>();
  const players: Player[] = [];

  // Connect and synchronise clocks a few at a time (as people arrive), then join.
  for (let i = 0; i < job.clients.length; i += 10) {
    await Promise.all(
      job.clients.slice(i, i + 10).map(async (client) => {
        try {
          const socket = await connect(job, client);
          const estimator = new ClockOffsetEstimator();
          for (let k = 0; k < 24; k += 1) {
            await ping(socket, estimator);
            await sleep(10);
          }
          const joined = (await socket.timeout(10_000).emitWithAck('room:join', { code: client.code, name: `bench-${client.room}` })) as {
            ok: boolean;
            memberId: string;
            room: { accompanist: { memberId: string } };
          };
          if (!joined.ok) throw new Error(JSON.stringify(joined));
          players.push({ client, socket, estimator, memberId: joined.memberId, aiId: joined.room.accompanist.memberId });
        } catch (error) {
          report.connectFailures += 1;
          process.stderr.write(`client of room ${client.room}: ${error instanceof Error ? error.message : String(error)}\n`);
        }
      }),
    );
  }
  const roomOf = (room: number) => {
    let r = rooms.get(room);
    if (!r) rooms.set(room, (r = { room, lastOff: {}, firstOn: {}, aiOns: [] }));
    return r;
  };

  // Everybody connected (in every load process): the parent names the moment play starts.
  const startAt = await new Promise<number>((resolveStart) => {
    process.once('message', (message: { startAt: number }) => resolveStart(message.startAt));
    process.send?.({ connected: players.length });
  });
  const playUntil = startAt + job.playMs;

  for (const p of players) {
    const shared = () => p.estimator.toServerTime(clock());
    p.socket.on('note', (note: { memberId: string; type: string; time: number; pitch: number; channel: number }) => {
      const now = shared();
      if (note.memberId === p.aiId) {
        report.aiReceived += 1;
        const key = `${p.client.room}/${note.type}/${note.pitch}/${note.channel}/${note.time}`;
        if (note.type === 'on' && !seenAi.has(key)) {
          seenAi.add(key);
          roomOf(p.client.room).aiOns.push([note.time, now]);
        }
        return;
      }
      report.received += 1;
      report.latencies.push(now - note.time);
    });
    p.socket.on('error', () => (report.errors += 1));
  }

  // Keep re-estimating the offset during play (every 2 s), as the page does.
  const pinger = setInterval(() => {
    for (const p of players) ping(p.socket, p.estimator).catch(() => undefined);
  }, 2000);

  // Play: each player walks the sixteenth grid of its room's phrases with ±10 ms human timing.
  await Promise.all(
    players.map(async (p) => {
      const shared = () => p.estimator.toServerTime(clock());
      const others = p.client.roomSize - 1;
      const room = roomOf(p.client.room);
      const roomStart = startAt + p.client.roomOffset;
      let phrase = Math.max(0, Math.ceil((shared() - roomStart) / PHRASE_PERIOD_MS));
      while (true) {
        const phraseStart = roomStart + phrase * PHRASE_PERIOD_MS;
        if (phraseStart + PHRASE_PLAY_MS > playUntil) break;
        for (let step = 0; step < PHRASE_PLAY_MS / SIXTEENTH_MS; step += 1) {
          const at = phraseStart + step * SIXTEENTH_MS + (random() - 0.5) * 20;
          await sleep(at - shared());
          const pitch = SCALE[Math.floor(random() * SCALE.length)];
          const on = shared();
          p.socket.emit('note', { type: 'on', pitch, velocity: 70 + Math.floor(random() * 40), time: on });
          room.firstOn[phrase] = Math.min(room.firstOn[phrase] ?? Infinity, on);
          await sleep(SIXTEENTH_MS * 0.7);
          const off = shared();
          p.socket.emit('note', { type: 'off', pitch, velocity: 0, time: off });
          room.lastOff[phrase] = Math.max(room.lastOff[phrase] ?? 0, off);
          report.sent += 2;
          report.expected += 2 * others;
        }
        phrase += 1;
      }
    }),
  );
  clearInterval(pinger);
  await sleep(1500);
  // Clock-offset error: every process reads the same host clock (timeOrigin + now), so the true offset is zero.
  for (const p of players) report.offsetErrors.push(Math.abs(p.estimator.estimate?.offsetMs ?? NaN));
  report.rooms = [...rooms.values()];
  // Leave as the page does, so that no departure of this phase's members waits out the reconnect grace into the next.
  await Promise.all(
    players.map((p) =>
      p.socket
        .timeout(10_000)
        .emitWithAck('room:leave', {})
        .catch(() => undefined),
    ),
  );
  for (const p of players) p.socket.close();
  return report;
}

process.once('message', (job: LoadJob) => {
  run(job).then(
    (report) => process.send?.({ report }, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
});
process.send?.({ ready: true });
