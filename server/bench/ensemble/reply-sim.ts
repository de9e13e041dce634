/**
 * Call-and-response reply latency in bench:ensemble's rooms, without sockets: each room's players (4–8) play two bars
 * of sixteenth notes (held 70 %, ±10 ms timing, at a phase of their own on the room's grid) every four bars, and one
 * accompanist per room runs the server's planning loop (ensemble-accompanists.service.ts: a tick every TICK_MS, at a
 * phase of its own, runs the room when notes arrived since its last run or the engine's wake time, 5–100 ms after
 * that run, has come), each run late by a random 0–`lateMs` (loaded turns). The reply is bench:ensemble's: the accompanist's first note after the phrase's last note-off.
 */
import { MAX_SLEEP_MS, TICK_MS } from '../../src/ensemble/ensemble-accompanists.service';
import { Accompanist } from '../../src/ensemble/engine/accompanist';
import { Timeline } from '../../src/ensemble/engine/shared-clock';
import { EnsembleNote } from '../../src/ensemble/engine/types';
import { createRng } from '../../src/music/engine/rng';

const PLAY_MS = 4000;
const PERIOD_MS = 8000;
const SIXTEENTH_MS = 125;
const SCALE = [57, 60, 62, 64, 65, 67, 69, 71, 72];

export interface ReplySimResult {
  phrases: number;
  /** Reply per phrase, ms (Infinity: none before the next phrase). */
  replies: number[];
  /** Answer notes that sounded between a phrase's first note-on and its last note-off (the accompanist cutting in). */
  inside: number;
}

export function simulateReplies(rooms: number, phrasesPerRoom: number, lateMs: number, seed = 1): ReplySimResult {
  const rng = createRng(seed);
  const replies: number[] = [];
  let inside = 0;
  for (let room = 0; room < rooms; room++) {
    const players = rng.int(4, 8);
    const start = 2000 + rng.next() * PERIOD_MS;
    const events: (EnsembleNote & { arrival: number })[] = [];
    const phrases: { firstOn: number; lastOff: number }[] = [];
    for (let k = 0; k < phrasesPerRoom; k++) {
      const phraseStart = start + k * PERIOD_MS;
      let firstOn = Infinity;
      let lastOff = -Infinity;
      for (let p = 0; p < players; p++) {
        const memberId = `p${p}`;
        for (let step = 0; step < PLAY_MS / SIXTEENTH_MS; step++) {
          const on = phraseStart + step * SIXTEENTH_MS + (rng.next() - 0.5) * 20;
          const off = on + 0.7 * SIXTEENTH_MS + rng.next() * 2;
          const pitch = rng.pick(SCALE);
          events.push({ type: 'on', pitch, velocity: 90, time: on, memberId, arrival: on + 1 + rng.next() });
          events.push({ type: 'off', pitch, velocity: 0, time: off, memberId, arrival: off + 1 + rng.next() });
          firstOn = Math.min(firstOn, on);
          lastOff = Math.max(lastOff, off);
        }
      }
      phrases.push({ firstOn, lastOff });
    }
    events.sort((a, b) => a.arrival - b.arrival);
    const acc = new Accompanist({ timeline: Timeline.create(120, 4, 0), mode: 'call-response', seed: room + 1 });
    const ons = serverLoop(acc, events, () => rng.next() * lateMs, rng.next() * TICK_MS);
    phrases.forEach(({ firstOn, lastOff }) => {
      const next = lastOff + PERIOD_MS - PLAY_MS;
      const reply = ons.find((t) => t >= lastOff - 1 && t < next);
      replies.push(reply === undefined ? Infinity : reply - lastOff);
      inside += ons.filter((t) => t > firstOn && t < lastOff - 1).length;
    });
  }
  return { phrases: replies.length, replies, inside };
}

/** The accompanist's note-on times as RoomAccompanist plays them (ticks at `phase` + k × TICK_MS). */
function serverLoop(acc: Accompanist, events: (EnsembleNote & { arrival: number })[], lateness: () => number, phase: number): number[] {
  const ons: number[] = [];
  const end = events[events.length - 1].arrival + PERIOD_MS;
  let i = 0;
  let wakeAt = -Infinity;
  for (let tick = phase; tick <= end;) {
    if ((i < events.length && events[i].arrival <= tick) || tick >= wakeAt) {
      const now = tick + lateness();
      while (i < events.length && events[i].arrival <= now) acc.hear(events[i++]);
      for (const n of acc.schedule(now)) if (n.type === 'on') ons.push(n.time);
      const wake = acc.nextWakeTime(now);
      wakeAt = now + Math.max(5, Math.min(MAX_SLEEP_MS, (Number.isFinite(wake) ? wake : now + MAX_SLEEP_MS) - now));
      // Ticks that fell due while the run was late come together as one, after it.
      tick = Math.max(tick + TICK_MS, phase + Math.ceil((now - phase) / TICK_MS) * TICK_MS);
    } else tick += TICK_MS;
  }
  return ons.sort((a, b) => a - b);
}
