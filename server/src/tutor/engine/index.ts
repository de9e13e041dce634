export { AudioInputError, decodeWavMono, encodeWavMono, inspectWav, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './audio/wav-input';
export type { AudioInputErrorCode, MonoAudio, WavSummary } from './audio/wav-input';
export { ANALYSIS_RATE, hzToMidi, midiToHz, trackPitch } from './pitch/pitch-tracker';
export type { PitchTrack } from './pitch/pitch-tracker';
export { PITCH_TRACKER_DEFAULTS } from './pitch/pitch-parameters';
export type { PitchTrackerParameters } from './pitch/pitch-parameters';
