import { DestroyRef, Injectable, Injector, computed, effect, inject, signal, untracked } from '@angular/core';
import { Api } from '../api/api';
import { ensembleAudio, ensembleList, ensembleLobby, ensembleMidi, ensembleRender } from '../api/functions';
import { OpenRoomsDto, RecordingsPageDto } from '../api/models';
import { AuthStore } from '../core/auth/auth.store';
import { RemoteValue } from '../core/http/remote-value';
import { JobEvents } from '../core/jobs/job-events';
import { EnsembleRequestError, EnsembleSocket, type NoteEvent } from './ensemble-socket';
import { Timeline, type TimelineState } from './shared-clock';
import { EnsembleSynth } from './synth';
import { NoteDelays } from './note-delays';
import { playoutTime } from './playout';
import { silentErrors } from '../core/http/request-context';
import { formatProblem, toProblem } from '../core/errors/problem';
import { HttpErrorResponse } from '@angular/common/http';

export type AccompanistMode = 'accompany' | 'call-response' | 'drums' | 'off';

export interface RoomMember {
  id: string;
  name: string;
  instrument: number;
  /** The instrument's General MIDI name ("Drum kit" for a drummer). */
  instrumentName: string;
  role: 'player' | 'listener';
  kind: 'human' | 'ai';
  latencyMs: number | null;
  rttMs: number | null;
  mode: 'live' | 'interval';
  connected: boolean;
}

export interface RoomState {
  id: string;
  code: string;
  name: string;
  tempo: number;
  quantum: number;
  timeline: TimelineState;
  metronome: boolean;
  accompanist: { mode: AccompanistMode; style: string; tempoSource: 'room' | 'players'; memberId: string };
  interval: 'auto' | 'off' | 'room';
  intervalMs: number;
  /** Others' notes sound this long (ms) after their shared time, for every member at the same moment. */
  playoutDelayMs: number;
  recording: { id: string; startedAt: number } | null;
  members: RoomMember[];
  version: number;
}

/** A note on the piano roll: who, what, from when to when (shared ms; `end` null while held). */
export interface RollNote {
  memberId: string;
  pitch: number;
  start: number;
  end: number | null;
}

/** The piano roll shows this much of the past. */
export const ROLL_WINDOW_MS = 8000;
const ROLL_MAX = 600;
const REPORT_RTT_EVERY_MS = 3000;
const METRONOME_LOOKAHEAD_MS = 200;

/**
 * State of the Ensemble page: the lobby (open rooms, recordings), the connection (shared clock), the room (members,
 * tempo, accompanist, recording), the notes everyone plays (piano roll and sound, scheduled ahead on the Web Audio
 * clock) and the player's own notes.
 */
@Injectable()
export class EnsembleStore {
  private readonly api = inject(Api);
  private readonly auth = inject(AuthStore);
  private readonly jobEvents = inject(JobEvents);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  /** Audio renders started on this page, by recording id: their state and progress as they run. */
  readonly renders = signal<Readonly<Record<string, { state: string; percent: number }>>>({});
  readonly synth = new EnsembleSynth();
  private connection?: EnsembleSocket;
  private timers: ReturnType<typeof setInterval>[] = [];
  private lastBeat = -1;
  /** Delays of the notes heard in the current room (a new room starts afresh). */
  private noteDelays = new NoteDelays();

  readonly lobby = new RemoteValue<OpenRoomsDto>();
  readonly recordings = new RemoteValue<RecordingsPageDto>();
  private readonly roomState = signal<RoomState | null>(null);
  readonly room = this.roomState.asReadonly();
  readonly memberId = signal<string | null>(null);
  readonly connected = signal(false);
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  readonly roll = signal<RollNote[]>([]);
  readonly sound = signal<'off' | 'loading' | 'soundfont' | 'simple'>('off');
  readonly rttMs = signal<number | null>(null);
  readonly jitterMs = signal<number | null>(null);
  /** The 95th percentile of the one-way delays of the live members' notes heard recently (ms), and how many sounded late. */
  readonly noteDelayMs = signal<number | null>(null);
  readonly lateNotes = signal(0);
  readonly offsetUncertaintyMs = signal<number | null>(null);
  readonly lastRecording = signal<{ id: string; name: string } | null>(null);
  readonly me = computed(() => this.room()?.members.find((m) => m.id === this.memberId()) ?? null);
  readonly accompanistId = computed(() => this.room()?.accompanist.memberId ?? null);

  constructor() {
    inject(DestroyRef).onDestroy(() => this.close());
    // A renewed access token goes to the open connection too, which would otherwise end when the first one expires.
    effect(() => {
      const token = this.auth.accessToken();
      if (token) untracked(() => this.connection?.renewToken(token));
    });
  }

  // ------------------------------------------------------------------ lobby

  loadLobby(): void {
    // The page shows the lobby's own error.
    this.lobby.load(() => this.api.invoke(ensembleLobby, {}, silentErrors())).catch(() => undefined);
    this.recordings.load(() => this.api.invoke(ensembleList, { page: 1, pageSize: 10 })).catch(() => undefined);
  }

  midiUrl(id: string): string {
    return this.auth.withAccessToken(`${this.api.rootUrl}${ensembleMidi.PATH.replace('{id}', encodeURIComponent(id))}`);
  }

  audioUrl(id: string, format: 'mp3' | 'wav' = 'mp3'): string {
    return this.auth.withAccessToken(`${this.api.rootUrl}${ensembleAudio.PATH.replace('{id}', encodeURIComponent(id))}?format=${format}&download=1`);
  }

  /** Starts a recording's audio render and follows it live; the recordings list is read again when it ends. */
  async renderAudio(id: string): Promise<void> {
    const state = this.renders()[id]?.state;
    if (state === 'queued' || state === 'active' || state === 'completed') return;
    await this.attempt(async () => {
      // A refusal is shown in the page's alert (error), so no toast.
      const accepted = await this.api.invoke(ensembleRender, { id }, silentErrors());
      this.setRender(id, accepted.state, 0);
      this.loadLobby();
      if (accepted.eventsUrl) this.followRender(id, accepted.eventsUrl);
    });
  }

  private followRender(id: string, eventsUrl: string): void {
    // The answer came after the page was left: nothing to follow it for.
    if (this.destroyRef.destroyed) return;
    const follow = this.jobEvents.follow(eventsUrl, this.destroyRef);
    const watch = effect(
      () => {
        const status = follow.status();
        if (!status) return;
        untracked(() => {
          this.setRender(id, status.state, status.progress.percent);
          if (!follow.finished()) return;
          watch.destroy();
          this.loadLobby();
        });
      },
      { injector: this.injector },
    );
  }

  private setRender(id: string, state: string, percent: number): void {
    this.renders.update((renders) => ({ ...renders, [id]: { state, percent } }));
  }

  // ------------------------------------------------------------------ room

  async create(name: string, tempo: number, mode: AccompanistMode, style: string): Promise<void> {
    // One at a time: the button stays focusable (disabledInteractive) while a request runs.
    if (this.busy()) return;
    await this.attempt(async () => {
      const created = await this.socket().request<{ code: string }>('room:create', { ...(name ? { name } : {}), tempo, accompanist: { mode, style } });
      await this.joinNow(created.code);
    });
  }

  async join(code: string): Promise<void> {
    if (this.busy()) return;
    await this.attempt(() => this.joinNow(code.trim().toUpperCase()));
  }

  async leave(): Promise<void> {
    await this.attempt(async () => {
      try {
        await this.socket().request('room:leave', {});
      } finally {
        // Left, or already not a member (the server answered so): either way the page goes back to the lobby.
        this.dropRoom();
      }
    });
  }

  /** Forgets the room on this page (and that a reconnect should resume it), back to the lobby. */
  private dropRoom(): void {
    if (this.connection) this.connection.resume = null;
    // The others' note-offs will not reach this page any more: what they held would sound on.
    this.synth.allNotesOff();
    this.roomState.set(null);
    this.memberId.set(null);
    this.roll.set([]);
    this.lastBeat = -1;
    this.loadLobby();
  }

  async update(
    changes: Partial<{ tempo: number; metronome: boolean; interval: 'auto' | 'off' | 'room'; accompanist: { mode: AccompanistMode; style: string } }>,
  ): Promise<void> {
    await this.attempt(() => this.socket().request('room:update', changes));
  }

  async setInstrument(instrument: number): Promise<void> {
    await this.attempt(() => this.socket().request('member:update', { instrument }));
  }

  async record(action: 'start' | 'stop'): Promise<void> {
    if (this.busy()) return;
    await this.attempt(async () => {
      const answer = await this.socket().request<{ recording: { id: string; name?: string } }>('room:record', { action });
      if (action === 'stop' && answer.recording.name) {
        this.lastRecording.set({ id: answer.recording.id, name: answer.recording.name });
        this.loadLobby();
      }
    });
  }

  /** Starts the sound (a user gesture): the SoundFont synthesizer, or the simple voice where it cannot load. */
  async enableSound(): Promise<void> {
    this.sound.set('loading');
    this.sound.set(await this.synth.start());
    const me = this.me();
    if (me) this.synth.program(0, me.instrument);
  }

  // ------------------------------------------------------------------ playing

  /** The player's own note: heard at once, sent with its shared-clock time. */
  play(type: 'on' | 'off', pitch: number, velocity = 96): void {
    const memberId = this.memberId();
    if (!memberId || !this.connection || this.me()?.role === 'listener') return;
    const time = this.connection.sharedNow();
    this.connection.send('note', { type, pitch, velocity, time });
    if (type === 'on') this.synth.noteOn(0, pitch, velocity, this.synth.audioNow());
    else this.synth.noteOff(0, pitch, this.synth.audioNow());
    this.addToRoll({ memberId, type, pitch, velocity, time, channel: 0 });
  }

  /** A note from another member (or the accompanist): shown, and sounded at its shared time plus the play-out delay. */
  receive(note: NoteEvent): void {
    const c = this.connection;
    const room = this.room();
    if (!c || !room) return;
    const at = playoutTime(note, room, this.me()?.mode);
    if (c.clock.estimate && note.memberId !== room.accompanist.memberId && this.modeOf(note.memberId) === 'live') {
      this.noteDelays.add(c.sharedNow() - note.time, at - note.time);
      if (this.noteDelays.earlyReportDue(at - note.time, EnsembleSocket.localNow())) this.report(c);
    }
    const audioAt = this.synth.audioNow() + (c.clock.estimate ? c.clock.toClientTime(at) - EnsembleSocket.localNow() : 0) / 1000;
    const channel = this.channelOf(note);
    if (note.type === 'on' && note.velocity > 0) this.synth.noteOn(channel, note.pitch, note.velocity, audioAt);
    else this.synth.noteOff(channel, note.pitch, audioAt);
    this.addToRoll(note);
  }

  close(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.connection?.close();
    this.connection = undefined;
    this.synth.close().catch(() => undefined);
  }

  // ------------------------------------------------------------------ internals

  private async joinNow(code: string): Promise<void> {
    const joined = await this.socket().request<{ room: RoomState; memberId: string }>('room:join', { code });
    if (this.room()?.id !== joined.room.id) this.noteDelays = new NoteDelays();
    this.memberId.set(joined.memberId);
    this.connection!.resume = { roomCode: code, memberId: joined.memberId };
    // Beats count from each room's start: another room's last beat would silence this one's metronome.
    if (this.room()?.id !== joined.room.id) this.lastBeat = -1;
    this.roomState.set(joined.room);
  }

  private socket(): EnsembleSocket {
    if (this.connection) return this.connection;
    const c = new EnsembleSocket(
      () => this.auth.accessToken(),
      () => this.auth.refresh(),
      (detail) => this.error.set(detail),
    );
    c.socket.on('connect', () => this.connected.set(true));
    c.socket.on('disconnect', () => {
      this.connected.set(false);
      // Note-offs sent while disconnected are lost (live notes are not replayed): silence what sounds and end its bars.
      this.synth.allNotesOff();
      const now = c.sharedNow();
      this.roll.update((notes) => notes.map((n) => (n.end === null ? { ...n, end: now } : n)));
    });
    c.socket.on('room:state', (state: RoomState) => {
      const known = this.roomState();
      if (!known || known.id !== state.id || state.version >= known.version) this.roomState.set(state);
    });
    c.socket.on('note', (note: NoteEvent) => this.receive(note));
    c.socket.on('error', (payload: { event?: string; error?: { detail: string } }) => {
      // An expired token: the socket reconnects with the newest one by itself.
      if (payload.event === 'auth') return;
      this.error.set(payload.error?.detail ?? 'The server refused an event.');
      // The room could not be resumed after a long disconnection (this member was removed): every later reconnect
      // would be refused the same way, so the page leaves it and says why.
      if (payload.event === 'room:resume') this.dropRoom();
    });
    this.connection = c;
    this.timers.push(
      setInterval(() => this.report(c), REPORT_RTT_EVERY_MS),
      setInterval(() => this.tickMetronome(), 50),
    );
    return c;
  }

  /** Shows this member's clock and note delays and reports them to the room (which sets its play-out delay from them). */
  private report(c: EnsembleSocket): void {
    const estimate = c.clock.estimate;
    if (!estimate) return;
    this.rttMs.set(Math.round(estimate.rttMs * 10) / 10);
    this.jitterMs.set(Math.round(estimate.jitterMs * 10) / 10);
    this.offsetUncertaintyMs.set(Math.round(estimate.uncertaintyMs * 10) / 10);
    const noteDelayMs = this.noteDelays.p95();
    this.noteDelayMs.set(noteDelayMs);
    this.lateNotes.set(this.noteDelays.late);
    if (!this.memberId()) return;
    c.send('member:update', { rttMs: estimate.rttMs, jitterMs: estimate.jitterMs, ...(noteDelayMs === null ? {} : { noteDelayMs }) });
    this.noteDelays.reported(EnsembleSocket.localNow());
  }

  /** Clicks on the room's beats, scheduled ahead on the Web Audio clock. */
  private tickMetronome(): void {
    const room = this.room();
    const c = this.connection;
    if (!room?.metronome || !c?.clock.estimate || this.sound() === 'off') return;
    const timeline = Timeline.fromState(room.timeline);
    const now = c.sharedNow();
    for (const beat of timeline.beatsBetween(now, now + METRONOME_LOOKAHEAD_MS)) {
      if (beat.beat <= this.lastBeat) continue;
      this.lastBeat = beat.beat;
      this.synth.click(this.synth.audioNow() + (beat.time - now) / 1000, beat.downbeat);
    }
  }

  /** A member's mode as the room shows it (an interval member's notes carry a time one interval ahead). */
  private modeOf(memberId: string): 'live' | 'interval' | undefined {
    return this.room()?.members.find((m) => m.id === memberId)?.mode;
  }

  private channelOf(note: NoteEvent): number {
    if (note.channel === 9) return 9;
    // Each human member on a channel of its own (1–8), the accompanist on 10–15, so programs do not collide.
    const members = this.room()?.members ?? [];
    if (note.memberId === this.accompanistId()) return 10 + (note.channel % 6);
    const index = members.findIndex((m) => m.id === note.memberId);
    const channel = 1 + (Math.max(0, index) % 8);
    const member = members[index];
    if (member) this.synth.program(channel, member.instrument);
    return channel;
  }

  private addToRoll(note: NoteEvent): void {
    const cutoff = note.time - ROLL_WINDOW_MS;
    this.roll.update((notes) => {
      const kept = notes.filter((n) => (n.end ?? note.time) >= cutoff).slice(-ROLL_MAX);
      if (note.type === 'on' && note.velocity > 0) return [...kept, { memberId: note.memberId, pitch: note.pitch, start: note.time, end: null }];
      const open = kept.findLastIndex((n) => n.memberId === note.memberId && n.pitch === note.pitch && n.end === null);
      if (open >= 0) kept[open] = { ...kept[open], end: note.time };
      return kept;
    });
  }

  private async attempt(work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await work();
    } catch (error) {
      this.error.set(
        error instanceof HttpErrorResponse
          ? formatProblem(toProblem(error))
          : error instanceof EnsembleRequestError || error instanceof Error
            ? error.message
            : 'Something went wrong.',
      );
    } finally {
      this.busy.set(false);
    }
  }
}
