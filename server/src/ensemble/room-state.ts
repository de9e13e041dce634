import { ACCOMPANIST_STYLES, gmProgramName, Timeline } from './engine';
import { ENSEMBLE_LIMITS } from './ensemble.limits';
import type { MemberRecord, MemberView, RoomRecord, RoomState } from './ensemble.types';

/** The accompanist's member id in a room (stable, so its notes and recording tracks are attributed consistently). */
export const accompanistMemberId = (roomId: string) => `ai-${roomId.slice(0, 8)}`;

/** Whether a member plays one interval late: the room says so, or 'auto' and its round trip is too high for live play. */
export function memberMode(room: Pick<RoomRecord, 'interval'>, rttMs: number | null): 'live' | 'interval' {
  if (room.interval === 'room') return 'interval';
  if (room.interval === 'off') return 'live';
  return rttMs !== null && rttMs > ENSEMBLE_LIMITS.intervalRttMs ? 'interval' : 'live';
}

export function intervalMsOf(room: Pick<RoomRecord, 'timeline'>): number {
  return Timeline.fromState(room.timeline).beatMs * room.timeline.quantum * ENSEMBLE_LIMITS.intervalBars;
}

/**
 * How long after its shared time every member sounds another member's note, so that all hear it at the same moment:
 * the slowest live path (a sender's one-way latency plus a receiver's, at most the largest round trip of the connected
 * live members) plus a margin for jitter, within the limits' bounds. The margin is the largest jitter the live
 * members report (a one-way delay varies by about half its round trip's, and a note crosses two connections), at
 * least `playoutMinMarginMs`; a member that has not reported one counts as `playoutJitterMarginMs`. And at least the
 * largest one-way delay of notes a live member reports receiving (`noteDelayMs`, its 95th percentile: the paths as
 * the notes themselves travel them, the server's queueing and bursts shorter than the clock pings see included) plus
 * `playoutMinMarginMs`. Members in interval mode are not waited for; until any round trip is measured the path is
 * taken as free, so the delay is the minimum.
 */
export function playoutDelayMsOf(room: Pick<RoomRecord, 'interval'>, members: MemberRecord[]): number {
  const { minPlayoutDelayMs, maxPlayoutDelayMs, playoutJitterMarginMs, playoutMinMarginMs } = ENSEMBLE_LIMITS;
  let slowest = 0;
  let margin: number = playoutMinMarginMs;
  let observed = 0;
  for (const m of members) {
    if (!m.connected || m.rttMs === null || memberMode(room, m.rttMs) !== 'live') continue;
    slowest = Math.max(slowest, m.rttMs);
    margin = Math.max(margin, m.jitterMs ?? playoutJitterMarginMs);
    observed = Math.max(observed, m.noteDelayMs ?? 0);
  }
  const needed = Math.max(slowest + margin, observed > 0 ? observed + playoutMinMarginMs : 0);
  return Math.min(maxPlayoutDelayMs, Math.max(minPlayoutDelayMs, Math.ceil(needed)));
}

function humanView(room: RoomRecord, member: MemberRecord): MemberView {
  return {
    id: member.id,
    name: member.name,
    instrument: member.instrument,
    instrumentName: gmProgramName(member.instrument),
    role: member.role,
    kind: 'human',
    latencyMs: member.rttMs === null ? null : Math.round((member.rttMs / 2) * 10) / 10,
    rttMs: member.rttMs,
    mode: memberMode(room, member.rttMs),
    connected: member.connected,
  };
}

/** The accompanist as a member (when it plays): its instrument is its chords' (or drums') program. */
function accompanistView(room: RoomRecord): MemberView {
  const style = ACCOMPANIST_STYLES[room.accompanist.style];
  const drumsOnly = room.accompanist.mode === 'drums';
  const instrument = drumsOnly ? 0 : room.accompanist.mode === 'call-response' ? (style?.programs.answer ?? 0) : (style?.programs.chords ?? 0);
  return {
    id: accompanistMemberId(room.id),
    name: 'AI accompanist',
    instrument,
    instrumentName: drumsOnly ? 'Drum kit' : gmProgramName(instrument),
    role: 'player',
    kind: 'ai',
    latencyMs: 0,
    rttMs: 0,
    mode: 'live',
    connected: true,
  };
}

/** What `room:state` carries: the room, its timeline, the accompanist and every member with latency and mode. */
export function roomStateOf(room: RoomRecord, members: MemberRecord[], now: number): RoomState {
  const views = members.map((m) => humanView(room, m));
  if (room.accompanist.mode !== 'off') views.push(accompanistView(room));
  return {
    id: room.id,
    code: room.code,
    name: room.name,
    ownerId: room.ownerId,
    capacity: room.capacity,
    open: room.open,
    createdAt: room.createdAt,
    tempo: room.timeline.tempo,
    quantum: room.timeline.quantum,
    timeline: room.timeline,
    metronome: room.metronome,
    accompanist: { ...room.accompanist, memberId: accompanistMemberId(room.id) },
    interval: room.interval,
    intervalBars: ENSEMBLE_LIMITS.intervalBars,
    intervalMs: intervalMsOf(room),
    playoutDelayMs: playoutDelayMsOf(room, members),
    recording: room.recording ? { id: room.recording.id, startedAt: room.recording.startedAt } : null,
    members: views,
    version: room.version,
    serverTime: now,
  };
}
