import type { AccompanistMode, TimelineState } from './engine';
import type { IntervalSetting, MemberRole } from './ensemble.limits';

/** The accompanist's settings in a room. */
export interface AccompanistSettings {
  mode: AccompanistMode;
  style: string;
  tempoSource: 'room' | 'players';
}

/** A room as stored (Redis), without its members. */
export interface RoomRecord {
  id: string;
  code: string;
  name: string;
  ownerId: string;
  capacity: number;
  open: boolean;
  createdAt: number;
  /** Tempo, quantum and the beat at a shared-clock time. */
  timeline: TimelineState;
  metronome: boolean;
  accompanist: AccompanistSettings;
  interval: IntervalSetting;
  /** `timelines`: the room's timeline when the recording started and after each change since (the file's tempo map). */
  recording: { id: string; startedAt: number; by: string; timelines?: TimelineState[] } | null;
  /** Bumped on every change, so a replica keeps the newest state it has seen. */
  version: number;
}

/** A human member as stored. */
export interface MemberRecord {
  id: string;
  userId: string;
  name: string;
  instrument: number;
  role: MemberRole;
  rttMs: number | null;
  /** The jitter of the member's round trips as last reported (ms); absent or null until reported. */
  jitterMs?: number | null;
  /** The 95th percentile of the one-way delays of the live members' notes it received, as last reported (ms). */
  noteDelayMs?: number | null;
  connected: boolean;
  /** The connection (socket id) that holds the membership, the newest one after a reconnect. */
  connectionId: string;
  /** Shared-clock ms of the last sign of life (connection heartbeat). */
  seenAt: number;
  joinedAt: number;
}

/** A member as the room shows it (the accompanist included, kind 'ai'). */
export interface MemberView {
  id: string;
  name: string;
  instrument: number;
  /** The instrument's General MIDI name ("Drum kit" for the accompanist playing drums only). */
  instrumentName: string;
  role: MemberRole;
  kind: 'human' | 'ai';
  /** Estimated one-way latency (ms): half the member's measured round trip; null until measured. */
  latencyMs: number | null;
  rttMs: number | null;
  /** live: heard as played; interval: heard one interval (intervalBars bars) late, NINJAM-style. */
  mode: 'live' | 'interval';
  connected: boolean;
}

/** The `room:state` event and the room in the `room:join` ack. */
export interface RoomState {
  id: string;
  code: string;
  name: string;
  ownerId: string;
  capacity: number;
  open: boolean;
  createdAt: number;
  tempo: number;
  quantum: number;
  timeline: TimelineState;
  metronome: boolean;
  accompanist: AccompanistSettings & { memberId: string };
  interval: IntervalSetting;
  intervalBars: number;
  /** Length of one interval (ms) at the current tempo. */
  intervalMs: number;
  /** Members sound another member's note this long (ms) after its shared time, all at the same moment. */
  playoutDelayMs: number;
  recording: { id: string; startedAt: number } | null;
  members: MemberView[];
  version: number;
  /** Server clock when the state was read (ms). */
  serverTime: number;
}
