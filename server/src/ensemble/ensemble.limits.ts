import { MAX_TIMELINE_TEMPO, MIN_TIMELINE_TEMPO } from './engine';

/** Bounds of the room protocol (DTO validation, the page's controls and the docs read them). */
export const ENSEMBLE_LIMITS = {
  minTempo: Math.max(MIN_TIMELINE_TEMPO, 30),
  maxTempo: Math.min(MAX_TIMELINE_TEMPO, 300),
  minQuantum: 1,
  maxQuantum: 16,
  minCapacity: 2,
  maxCapacity: 16,
  defaultCapacity: 8,
  defaultTempo: 120,
  defaultQuantum: 4,
  nameMaxLength: 60,
  styleMaxLength: 32,
  /** A note's shared-clock time may be this far from the server's now (ms): beyond, it is a mistake or a replay. */
  noteTimeWindowMs: 60_000,
  /** Round trips above this (ms) put a member in interval mode when the room's interval setting is 'auto'. */
  intervalRttMs: 120,
  /** Play-out delay bounds (ms): members sound others' notes this long after their shared time (see playoutDelayMsOf). */
  minPlayoutDelayMs: 40,
  maxPlayoutDelayMs: 150,
  /** Added to the slowest live path for the jitter of a connection that has not reported its own (ms). */
  playoutJitterMarginMs: 20,
  /** The smallest margin, however steady the connections (scheduling on the clients' audio clocks, ms). */
  playoutMinMarginMs: 5,
  /** The interval of interval mode, in bars (NINJAM plays everyone this many bars late). */
  intervalBars: 2,
  /** A member whose connection dropped keeps its place this long (ms) for a reconnect to resume it. */
  reconnectGraceMs: 30_000,
  /** A recording stops by itself after this many events or this long (ms). */
  recordingMaxEvents: 200_000,
  recordingMaxMs: 60 * 60_000,
} as const;

export const MEMBER_ROLES = ['player', 'listener'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const INTERVAL_SETTINGS = ['auto', 'off', 'room'] as const;
export type IntervalSetting = (typeof INTERVAL_SETTINGS)[number];
