import { BeatNote } from '../../music/engine/beat-note';
import { createRng, Rng } from '../../music/engine/rng';
import { STYLE_NAMES, STYLE_TABLE } from '../../music/engine/style-table';
import { mod12 } from '../../music/engine/theory';
import { ACCOMPANIST_CHANNELS, ACCOMPANIST_STYLES } from './accompanist-styles';
import { answerPhrase, PhraseNote } from './call-response';
import { BeatTracker } from './beat-tracker';
import { ChordListener } from './chord-listener';
import { compingBar, dominantLeadingTone, DRUM_LOOP_BARS, leadVoicing, StyleMaterial, styleMaterial } from './comping';
import { KeyListener } from './key-listener';
import { PhrasePulse } from './phrase-pulse';
import { Timeline } from './shared-clock';
import { SoundingNotes } from './sounding-notes';
import { ChordEstimate, EnsembleNote, isEnsembleNote, isNoteOn, KeyEstimate } from './types';

export type AccompanistMode = 'accompany' | 'call-response' | 'drums' | 'off';
export const ACCOMPANIST_MODES: readonly AccompanistMode[] = ['accompany', 'call-response', 'drums', 'off'];
export type AccompanistPart = 'chords' | 'bass' | 'drums' | 'answer';

/** A note event the accompanist plays: the protocol's note plus the part and its General MIDI program. */
export interface AccompanistNote extends EnsembleNote {
  channel: number;
  part: AccompanistPart;
  program: number;
}

export interface AccompanistOptions {
  /** The room's timeline (tempo, quantum, beat on the shared clock). */
  timeline: Timeline;
  mode?: AccompanistMode;
  /** One of the music engine's STYLE_NAMES (default 'pop'). */
  style?: string;
  /** Integer 0–2³²−1; the same seed, events and calls give the same notes (default 1). */
  seed?: number;
  /** Follow the room's timeline, or the players' onsets when they drift from it (default 'room'). */
  tempoSource?: 'room' | 'players';
  /** How far ahead notes are decided and sent, beats (default 1). */
  lookaheadBeats?: number;
  /** The least time between deciding to start and the first note, ms: the notes' trip to the players (default 50). */
  leadMs?: number;
  /** The accompaniment stops after this many beats without a player's onset (default two bars). */
  idleBeats?: number;
  /**
   * A phrase has ended after this much silence (no key held), beats (default 0.5); a phrase in a fast pulse ends
   * sooner, when its pulse stops (see PhrasePulse).
   */
  phraseGapBeats?: number;
}

/** What the accompanist is doing, for the room's state and UI. */
export interface AccompanistSnapshot {
  mode: AccompanistMode;
  style: string;
  playing: boolean;
  /** The tempo it plays at, BPM. */
  tempo: number;
  following: 'room' | 'players';
  key?: KeyEstimate;
  chord?: ChordEstimate;
}

interface Held {
  channel: number;
  pitch: number;
  /** Planned release, beats on the current grid. */
  endBeat: number;
  part: 'chords' | 'bass' | 'drums';
  /** Harmony voice index (0 = bass, 1–3 upper voices) for notes that move with the chord. */
  voice?: number;
}

/** A note of the players' phrase, with who holds it (member, channel × 128 + pitch) until its note-off. */
interface OpenPhraseNote extends PhraseNote {
  member: string;
  code: number;
}

interface QueuedNote {
  time: number;
  end: number;
  pitch: number;
  velocity: number;
}

/** Length of comping and bass notes as a share of their written length (the music engine's harmony/bass lengths). */
const LENGTH = { chords: 0.95, bass: 0.95, drums: 1 } as const;
/** Timing jitter (sd, ms) per part: a player's looseness, small enough to stay on the beat. */
const JITTER_MS = { chords: 4, bass: 3, drums: 2, answer: 4 } as const;
/** The players' average velocity before anything is heard, and the weight of each new onset in that average. */
const VELOCITY_START = 80;
const VELOCITY_WEIGHT = 0.1;
/** Players drifting from the room: the tracker takes over when its confidence reaches this share of on-grid onsets. */
const TRACKER_CONFIDENCE = 0.6;

const holdKey = (channel: number, pitch: number) => channel * 128 + pitch;

/**
 * The AI accompanist: a room member played by the server. It listens to the players (key, chord, tempo) and plays on
 * the shared clock, deciding its notes one beat ahead: `accompany` (bass, voiced chords and drums in a style),
 * `call-response` (answers each phrase after a pause with a varied motif), `drums` (drummer only) or `off`.
 *
 * Use: `hear(event)` for every player's note, then `schedule(now)` right after each event and again by
 * `nextWakeTime(now)` at the latest; each call returns the note events to send (on/off, shared-clock times, each
 * `on` at least `leadMs` ahead, every `on` followed later by its `off`). Deterministic for a seed and a call sequence.
 */
export class Accompanist {
  private readonly seed: number;
  private readonly tempoSource: 'room' | 'players';
  private readonly lookaheadBeats: number;
  private readonly leadMs: number;
  private readonly idleBeats: number;
  private readonly phraseGapBeats: number;
  private readonly keys = new KeyListener();
  private readonly chords: ChordListener;
  private readonly tracker: BeatTracker;
  private readonly held = new SoundingNotes();
  private readonly rng: { chords: Rng; bass: Rng; drums: Rng; answer: Rng };
  private room: Timeline;
  private grid: Timeline;
  private following: 'room' | 'players' = 'room';
  private currentMode: AccompanistMode;
  private currentStyle: string;
  private material: StyleMaterial;
  private velocity = VELOCITY_START;
  private lastOnset = -Infinity;
  private lastRelease = -Infinity;
  private lastNow = -Infinity;
  private playing = false;
  private cursorBeat = 0;
  private loopStartBeat = 0;
  private sounding = new Map<number, Held>();
  private chordId: string | undefined;
  private chordPcs: number[] = [];
  private voicing: number[] | undefined;
  private leadingTone: number | undefined;
  private phrase: PhraseNote[] = [];
  private readonly phrasePulse = new PhrasePulse();
  /** The phrase's notes still held (a few at most: searched, not keyed by a string built on every event). */
  private readonly openPhraseNotes: OpenPhraseNote[] = [];
  private answerQueue: QueuedNote[] = [];
  private stopPending = false;
  /** The first span after coming in: pattern notes already under way join at the entry point. */
  private entering = false;

  constructor(options: AccompanistOptions) {
    this.room = options.timeline;
    this.grid = options.timeline;
    this.currentMode = options.mode ?? 'accompany';
    if (!ACCOMPANIST_MODES.includes(this.currentMode))
      throw new RangeError(`mode must be one of ${ACCOMPANIST_MODES.join(', ')}, got ${String(this.currentMode)}`);
    this.currentStyle = options.style ?? 'pop';
    this.seed = options.seed ?? 1;
    if (!Number.isInteger(this.seed) || this.seed < 0 || this.seed > 0xffffffff)
      throw new RangeError(`seed must be an integer in [0, 4294967295], got ${this.seed}`);
    this.tempoSource = options.tempoSource ?? 'room';
    this.lookaheadBeats = options.lookaheadBeats ?? 1;
    this.leadMs = options.leadMs ?? 50;
    this.idleBeats = options.idleBeats ?? 2 * this.room.quantum;
    this.phraseGapBeats = options.phraseGapBeats ?? 0.5;
    if (!(this.lookaheadBeats > 0 && this.lookaheadBeats <= 4)) throw new RangeError(`lookaheadBeats must be in (0, 4], got ${this.lookaheadBeats}`);
    if (!(this.leadMs >= 0)) throw new RangeError(`leadMs must be ≥ 0, got ${this.leadMs}`);
    this.material = this.materialFor(this.currentStyle, this.currentMode);
    this.chords = new ChordListener();
    this.tracker = new BeatTracker({ quantum: this.room.quantum });
    const base = createRng(this.seed);
    this.rng = { chords: base.fork('chords'), bass: base.fork('bass'), drums: base.fork('drums'), answer: base.fork('answer') };
  }

  get mode(): AccompanistMode {
    return this.currentMode;
  }

  get style(): string {
    return this.currentStyle;
  }

  /** The General MIDI program on each MIDI channel this accompanist plays (for clients and the session recording). */
  channelPrograms(): Record<number, number> {
    const p = ACCOMPANIST_STYLES[this.currentStyle].programs;
    return {
      [ACCOMPANIST_CHANNELS.chords]: p.chords,
      [ACCOMPANIST_CHANNELS.bass]: p.bass,
      [ACCOMPANIST_CHANNELS.answer]: p.answer,
      [ACCOMPANIST_CHANNELS.drums]: 0,
    };
  }

  /** Changes mode and/or style; whatever sounds is released at the next `schedule`. Throws RangeError on unknown names. */
  setMode(mode: AccompanistMode, style: string = this.currentStyle): void {
    if (!ACCOMPANIST_MODES.includes(mode)) throw new RangeError(`mode must be one of ${ACCOMPANIST_MODES.join(', ')}, got ${String(mode)}`);
    if (!STYLE_TABLE[style]) throw new RangeError(`style must be one of ${STYLE_NAMES.join(', ')}, got ${style}`);
    if (mode === this.currentMode && style === this.currentStyle) return;
    this.currentMode = mode;
    this.currentStyle = style;
    this.material = this.materialFor(style, mode);
    this.stopPending = true;
    this.playing = false;
    this.phrase = [];
    this.phrasePulse.reset();
    this.openPhraseNotes.length = 0;
    this.answerQueue = [];
  }

  /** Follows a change of the room's timeline (tempo, quantum or beat). */
  setTimeline(timeline: Timeline): void {
    this.room = timeline;
  }

  /** Takes a player's note event (never the accompanist's own notes). */
  hear(e: EnsembleNote): void {
    if (!isEnsembleNote(e)) return;
    this.keys.hear(e);
    this.chords.hear(e);
    // The beat tracker is only needed when following the players (it is the costliest listener).
    if (this.tempoSource === 'players') this.tracker.hear(e);
    const change = this.held.apply(e);
    if (isNoteOn(e)) {
      this.lastOnset = Math.max(this.lastOnset, e.time);
      this.velocity += VELOCITY_WEIGHT * (e.velocity - this.velocity);
    }
    if (this.currentMode !== 'call-response' || change === 'ignored') return;
    const member = e.memberId ?? '';
    const code = (e.channel ?? 0) * 128 + e.pitch;
    const open = this.openPhraseNotes;
    let i = open.length - 1;
    while (i >= 0 && (open[i].code !== code || open[i].member !== member)) i--;
    if (i >= 0) {
      open[i].end = e.time;
      open.copyWithin(i, i + 1);
      open.pop();
    }
    if (change === 'on') {
      // Barge-in: a player who starts again takes the floor; the rest of the answer is dropped.
      this.answerQueue.length = 0;
      const note: OpenPhraseNote = { pitch: e.pitch, start: e.time, end: e.time, velocity: e.velocity, member, code };
      this.phrase.push(note);
      this.phrasePulse.hear(e.time);
      open.push(note);
    } else {
      this.lastRelease = Math.max(this.lastRelease, e.time);
    }
  }

  /** The note events to send now (shared-clock times, sorted; offs before ons at the same time). */
  schedule(now: number): AccompanistNote[] {
    now = Math.max(now, this.lastNow);
    this.lastNow = now;
    const out: AccompanistNote[] = [];
    this.updateGrid(now);
    this.chords.setKey(this.keys.estimate(now));
    if (this.stopPending) {
      this.releaseAll(now + this.leadMs, out);
      this.stopPending = false;
    }
    if (this.currentMode === 'accompany' || this.currentMode === 'drums') this.scheduleAccompaniment(now, out);
    else if (this.currentMode === 'call-response') this.scheduleAnswers(now, out);
    return out.sort((a, b) => a.time - b.time || (a.type === b.type ? 0 : a.type === 'off' ? -1 : 1));
  }

  /** The latest time (shared ms) at which `schedule` must be called again; Infinity while waiting for the players. */
  nextWakeTime(now: number): number {
    const lookaheadMs = this.lookaheadBeats * this.grid.beatMs;
    let wake = Infinity;
    if (this.stopPending) return now;
    if ((this.currentMode === 'accompany' || this.currentMode === 'drums') && this.playing) {
      wake = Math.min(this.grid.timeAtBeat(this.cursorBeat) - lookaheadMs, this.lastOnset + this.idleBeats * this.grid.beatMs);
    }
    if (this.currentMode === 'call-response') {
      if (this.phrase.length > 0 && this.held.countAt(now) === 0) wake = Math.min(wake, this.phraseEndTime());
      if (this.answerQueue.length > 0) wake = Math.min(wake, this.answerQueue[0].time - lookaheadMs);
    }
    return Math.max(now, wake);
  }

  /** Mode, style, tempo and what the accompanist hears, at `now`. */
  snapshot(now: number): AccompanistSnapshot {
    const key = this.keys.estimate(now);
    this.chords.setKey(key);
    return {
      mode: this.currentMode,
      style: this.currentStyle,
      playing: this.playing || this.answerQueue.length > 0,
      tempo: this.grid.tempo,
      following: this.following,
      key,
      chord: this.chords.estimate(now),
    };
  }

  private materialFor(style: string, mode: AccompanistMode): StyleMaterial {
    const entry = ACCOMPANIST_STYLES[style];
    if (!entry || !STYLE_TABLE[style]) throw new RangeError(`style must be one of ${STYLE_NAMES.join(', ')}, got ${style}`);
    const drums = mode === 'drums' && STYLE_TABLE[style].drums === 'none' ? entry.drumsWhenNone : undefined;
    return styleMaterial(style, this.room.quantum, this.seed, drums);
  }

  /** The grid the accompanist plays on: the room's, or the tracked beat of players who left it. */
  private updateGrid(now: number): void {
    let next = this.room;
    this.following = 'room';
    if (this.tempoSource === 'players') {
      const tracked = this.tracker.timeline();
      if (tracked && this.tracker.confidence(now) >= TRACKER_CONFIDENCE) {
        next = tracked;
        this.following = 'players';
      }
    }
    if (next !== this.grid) {
      // Keep the position: the cursor and planned releases move to the same times on the new grid.
      const old = this.grid;
      const move = (beat: number) => next.beatAt(old.timeAtBeat(beat));
      this.cursorBeat = move(this.cursorBeat);
      this.loopStartBeat = move(this.loopStartBeat);
      for (const h of this.sounding.values()) h.endBeat = move(h.endBeat);
      this.grid = next;
    }
    if (this.material.beatsPerBar !== Math.round(this.grid.quantum)) this.material = this.materialFor(this.currentStyle, this.currentMode);
  }

  private scheduleAccompaniment(now: number, out: AccompanistNote[]): void {
    const active = now - this.lastOnset < this.idleBeats * this.grid.beatMs;
    if (this.playing && !active) {
      this.releaseAll(Math.max(now + this.leadMs, this.grid.timeAtBeat(this.cursorBeat)), out);
      this.playing = false;
      return;
    }
    if (!this.playing && active) {
      // Come in on the next eighth note that the players can still receive in time.
      this.playing = true;
      this.cursorBeat = Math.ceil(this.grid.beatAt(now + this.leadMs) * 2 - 1e-9) / 2;
      this.loopStartBeat = Math.floor(this.cursorBeat / this.material.beatsPerBar) * this.material.beatsPerBar;
      this.chordId = undefined;
      this.voicing = undefined;
      this.entering = true;
    }
    const horizon = this.grid.beatAt(now) + this.lookaheadBeats;
    while (this.playing && this.cursorBeat < horizon - 1e-9) {
      const end = Math.floor(this.cursorBeat + 1e-9) + 1;
      this.segment(now, this.cursorBeat, end, out);
      this.cursorBeat = end;
      this.entering = false;
    }
  }

  /** Plays the beat span [from, to): the chord heard now, the style's pattern and groove, releases falling inside. */
  private segment(now: number, from: number, to: number, out: AccompanistNote[]): void {
    const bpb = this.material.beatsPerBar;
    const style = ACCOMPANIST_STYLES[this.currentStyle];
    if (this.currentMode === 'accompany') {
      const changed = this.followChord(now);
      if (changed) this.moveHeldVoices(from, out);
      if (this.voicing) {
        const bar = Math.floor(from / bpb + 1e-9);
        const { harmony, bass } = compingBar(this.material, this.voicing, this.chordPcs, bar);
        // Coming in mid-bar, a pattern note already under way (a pad, a held bass) joins at the entry point.
        const span = (n: BeatNote) =>
          n.startBeat >= from - 1e-9 && n.startBeat < to - 1e-9
            ? { at: n.startBeat, beats: n.beats }
            : this.entering && n.startBeat < from && n.startBeat + n.beats - from >= 0.5
              ? { at: from, beats: n.startBeat + n.beats - from }
              : undefined;
        for (const n of harmony) {
          const s = span(n);
          if (!s) continue;
          const voice = this.voicing.indexOf(n.pitch);
          this.start(now, 'chords', n.pitch, s.at, s.beats * LENGTH.chords, style.balance.chords + n.accent, out, voice >= 0 ? voice : undefined);
        }
        for (const n of bass) {
          const s = span(n);
          if (!s) continue;
          // Where the chord changes, the bass states the new root (the pattern's fifth waits for the next strong beat).
          const pitch = changed && Math.abs(s.at - from) < 1e-9 ? this.voicing[0] : n.pitch;
          this.start(now, 'bass', pitch, s.at, s.beats * LENGTH.bass, style.balance.bass + n.accent, out, pitch === this.voicing[0] ? 0 : undefined);
        }
      }
    }
    const loop = this.material.drumLoop;
    if (loop.length > 0) {
      const loopBeats = DRUM_LOOP_BARS * bpb;
      const offset = Math.floor((from - this.loopStartBeat) / loopBeats) * loopBeats + this.loopStartBeat;
      for (const base of [offset, offset + loopBeats]) {
        for (const n of loop) {
          const at = base + n.startBeat;
          if (at < from - 1e-9 || at >= to - 1e-9) continue;
          this.start(now, 'drums', n.pitch, at, n.beats * LENGTH.drums, style.balance.drums + n.accent, out);
        }
      }
    }
    // Releases that fall in this span (including notes just started).
    for (const [key, h] of this.sounding) {
      if (h.endBeat < to - 1e-9) {
        out.push(this.note('off', h.part, h.channel, h.pitch, 0, this.grid.timeAtBeat(h.endBeat)));
        this.sounding.delete(key);
      }
    }
  }

  /** Reads the chord the players sound now; true when it differs from the one being played (a new voicing is led). */
  private followChord(now: number): boolean {
    const key = this.keys.estimate(now);
    let chord = this.chords.estimate(now);
    if (!chord && key) {
      const third = key.mode === 'major' ? 4 : 3;
      chord = {
        root: key.tonic,
        quality: key.mode === 'major' ? 'maj' : 'min',
        name: '',
        pitchClasses: [key.tonic, mod12(key.tonic + third), mod12(key.tonic + 7)],
        probability: 0,
      };
    }
    if (!chord) return false;
    const id = `${chord.root}:${chord.quality}`;
    if (id === this.chordId) return false;
    const leadingTone = dominantLeadingTone(chord.root, chord.quality, key?.tonic);
    this.voicing = leadVoicing(this.voicing, chord.pitchClasses, leadingTone, this.leadingTone);
    this.leadingTone = leadingTone;
    this.chordId = id;
    this.chordPcs = chord.pitchClasses;
    return true;
  }

  /**
   * At a chord change, held comping notes that left the chord are released and their voices move to the new chord's
   * notes; a held bass moves to the new root even when the old note belongs to the new chord (the bass names the chord).
   */
  private moveHeldVoices(at: number, out: AccompanistNote[]): void {
    if (!this.voicing) return;
    const time = this.grid.timeAtBeat(at);
    const balance = ACCOMPANIST_STYLES[this.currentStyle].balance;
    for (const [key, h] of [...this.sounding]) {
      if (h.part === 'drums' || h.endBeat <= at + 1e-9) continue;
      const stays = h.part === 'bass' ? h.pitch === this.voicing[0] : this.chordPcs.includes(mod12(h.pitch));
      if (stays) continue;
      out.push(this.note('off', h.part, h.channel, h.pitch, 0, time));
      this.sounding.delete(key);
      const voice = h.part === 'bass' ? 0 : h.voice;
      if (voice !== undefined && h.endBeat - at >= 0.5) {
        this.start(this.lastNow, h.part, this.voicing[voice], at, h.endBeat - at, (h.part === 'bass' ? balance.bass : balance.chords) - 8, out, voice, true);
      }
    }
  }

  /** Starts a note (releasing the same pitch first if it still sounds); skips a note that could no longer arrive in time. */
  private start(
    now: number,
    part: 'chords' | 'bass' | 'drums',
    pitch: number,
    beat: number,
    beats: number,
    balance: number,
    out: AccompanistNote[],
    voice?: number,
    exact = false,
  ): void {
    const rng = this.rng[part];
    const time = this.grid.timeAtBeat(beat) + (exact ? 0 : rng.gauss() * JITTER_MS[part]);
    const velocity = Math.round(Math.max(1, Math.min(127, this.velocity + balance + rng.gauss() * 3)));
    if (time < now) return;
    const channel = ACCOMPANIST_CHANNELS[part];
    const key = holdKey(channel, pitch);
    const previous = this.sounding.get(key);
    // Released at the same moment: offs sort before ons, so the pitch is struck again cleanly.
    if (previous) out.push(this.note('off', previous.part, channel, pitch, 0, time));
    out.push(this.note('on', part, channel, pitch, velocity, time));
    this.sounding.set(key, { channel, pitch, endBeat: beat + beats, part, voice });
  }

  private releaseAll(time: number, out: AccompanistNote[]): void {
    for (const h of this.sounding.values()) out.push(this.note('off', h.part, h.channel, h.pitch, 0, Math.min(time, this.grid.timeAtBeat(h.endBeat))));
    this.sounding.clear();
  }

  private scheduleAnswers(now: number, out: AccompanistNote[]): void {
    const beatMs = this.grid.beatMs;
    const ended = this.phrase.length > 0 && this.held.countAt(now) === 0 && now >= this.phraseEndTime() - 1e-6;
    if (ended) {
      const key = this.keys.estimate(now);
      const chord = this.chords.estimate(now);
      const answer = key ? answerPhrase(this.phrase, { beatMs, key, chord: chord?.pitchClasses ?? [key.tonic], rng: this.rng.answer }) : undefined;
      // The answer starts on the next sixteenth the players can still receive in time: of the call's own sixteenth
      // grid when its onsets agree on one (players off the room's grid are answered in their time), else the room's.
      const phase = this.phrasePulse.sixteenthPhase(this.grid) ?? 0;
      const startBeat = (Math.ceil(this.grid.beatAt(now + this.leadMs) * 4 - phase - 1e-9) + phase) / 4;
      this.phrase = [];
      this.phrasePulse.reset();
      if (answer) {
        this.answerQueue = answer.notes.map((n) => {
          const time = this.grid.timeAtBeat(startBeat + n.startBeat);
          return {
            time: n.startBeat === 0 ? time : time + this.rng.answer.gauss() * JITTER_MS.answer,
            end: this.grid.timeAtBeat(startBeat + n.startBeat + n.beats),
            pitch: n.pitch,
            velocity: Math.round(Math.max(1, Math.min(127, n.velocity + ACCOMPANIST_STYLES[this.currentStyle].balance.answer))),
          };
        });
      }
    }
    const horizon = now + this.lookaheadBeats * beatMs;
    while (this.answerQueue.length > 0 && this.answerQueue[0].time < horizon) {
      const n = this.answerQueue.shift()!;
      out.push(this.note('on', 'answer', ACCOMPANIST_CHANNELS.answer, n.pitch, n.velocity, n.time));
      out.push(this.note('off', 'answer', ACCOMPANIST_CHANNELS.answer, n.pitch, 0, Math.max(n.end, n.time + 1)));
    }
  }

  /** When the phrase counts as ended if nothing more is played (no key held from its last release on). */
  private phraseEndTime(): number {
    const silence = this.lastRelease + this.phraseGapBeats * this.grid.beatMs;
    return Math.min(silence, this.phrasePulse.endTime(this.lastRelease) ?? Infinity);
  }

  private note(type: 'on' | 'off', part: AccompanistPart, channel: number, pitch: number, velocity: number, time: number): AccompanistNote {
    return { type, pitch, velocity, time, channel, part, program: part === 'drums' ? 0 : ACCOMPANIST_STYLES[this.currentStyle].programs[part] };
  }
}
