/**
 * Ensemble engines: pure TypeScript, no Nest, no I/O; deterministic for a seed. The gateway, the room service and the
 * browser code against exactly this surface (docs/ensemble-engine.md). All times are shared-clock milliseconds.
 *
 * Shared clock (shared-clock.ts imports nothing and uses no Node or DOM API, so the browser can use the same file):
 *   new ClockOffsetEstimator({ windowSize?, keepFraction?, maxRttMs?, driftAfterMs? })
 *       .addSample({ t0, serverTime, t1 }): boolean      one ping/pong (client send, server clock, client receive; ms)
 *       .estimate → { offsetMs, rttMs, minRttMs, jitterMs, uncertaintyMs, samples, driftPpm, atClientTime } | undefined
 *       .toServerTime(clientMs) / .toClientTime(serverMs) / .offsetAt(clientMs) / .reset()
 *   Timeline.create(tempo /* BPM 20–999 *\/, quantum = 4 /* beats per bar *\/, startTime = 0 /* ms *\/)
 *       .beatAt(ms) .timeAtBeat(beat) .phaseAt(ms) .beatMs .withTempo(bpm, atMs) .withBeatAtTime(beat, ms)
 *       .nextBarTime(ms) .beatsBetween(fromMs, toMs) .toState() ; Timeline.fromState({ tempo, quantum, beat, time })
 *
 * Listening (feed players' note events { type: 'on'|'off', pitch, velocity, time, channel?, memberId? }):
 *   new KeyListener({ profile?, halfLifeMs? }).hear(e) / .estimate(ms) → { tonic, mode, name, correlation, margin }
 *   new ChordListener({ meanChordMs?, onsetWeight?, sustainPerSec?, harmonyPrior? }).hear(e) / .setKey(key) / .estimate(ms) → { root, quality, name, pitchClasses, probability }
 *   new BeatTracker({ minTempo?, maxTempo?, quantum? }).hear(e) / .tempo / .confidence(ms) / .timeline() → Timeline
 *
 * Playing:
 *   new Accompanist({ timeline, mode?, style?, seed?, tempoSource?, lookaheadBeats?, leadMs? })
 *       .hear(e)                        a player's note (never its own)
 *       .schedule(nowMs) → AccompanistNote[]   note on/off events to send now, each `on` ≥ leadMs ahead
 *       .nextWakeTime(nowMs) → ms       call schedule again by then at the latest (and after every hear)
 *       .setMode(mode, style?) .setTimeline(timeline) .snapshot(nowMs) .channelPrograms()
 *
 * Recording:
 *   recordSession({ members: [{ id, name, instrument, channelPrograms? }], events, timeline?, endTime? })
 *       → { midi: Uint8Array /* SMF format 1, the music engine's writer *\/, tracks, durationSec, key }
 *   gmProgramName(program) → the General MIDI name of a program 0–127 (the music engine's table)
 */
export { ClockOffsetEstimator, MAX_TIMELINE_TEMPO, MIN_TIMELINE_TEMPO, Timeline } from './shared-clock';
export type { ClockOffsetEstimate, ClockOffsetOptions, ClockSample, TimelineBeat, TimelineState } from './shared-clock';
export { DRUM_CHANNEL, isEnsembleNote } from './types';
export type { ChordEstimate, ChordQuality, EnsembleNote, KeyEstimate, KeyMode } from './types';
export { KeyListener, keyFromPitchClasses } from './key-listener';
export type { KeyListenerOptions } from './key-listener';
export { KEY_PROFILE_NAMES } from './key-profiles';
export type { KeyProfileName } from './key-profiles';
export { ChordListener } from './chord-listener';
export type { ChordListenerOptions } from './chord-listener';
export { BeatTracker } from './beat-tracker';
export type { BeatTrackerOptions } from './beat-tracker';
export { ACCOMPANIST_MODES, Accompanist } from './accompanist';
export type { AccompanistMode, AccompanistNote, AccompanistOptions, AccompanistPart, AccompanistSnapshot } from './accompanist';
export { ACCOMPANIST_CHANNELS, ACCOMPANIST_STYLES } from './accompanist-styles';
export { STYLE_NAMES as ACCOMPANIST_STYLE_NAMES } from '../../music/engine/style-table';
export { recordSession } from './session-recording';
export { gmProgramName } from '../../music/engine/gm-programs';
export type { SessionMember, SessionRecording, SessionRecordingInput, SessionTrack } from './session-recording';
