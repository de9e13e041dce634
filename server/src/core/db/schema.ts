import type { ColumnType, Generated } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in on insert. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type UserRole = 'user' | 'admin';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  role: UserRole;
  created_at: CreatedAt;
}

export interface RefreshTokensTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  replaced_by: string | null;
  created_at: CreatedAt;
}

export type MusicGenerationState = 'queued' | 'active' | 'completed' | 'failed';

/** One music generation of a user (music/music.repository.ts). */
export interface MusicGenerationsTable {
  id: string;
  user_id: string;
  kind: 'emotion' | 'topic';
  /** The normalised request body (JSON). */
  request: ColumnType<unknown, string, string>;
  seed: ColumnType<string, number, number>;
  cache_key: string;
  state: MusicGenerationState;
  from_cache: ColumnType<boolean, boolean | undefined, boolean>;
  /** MusicGenerationResult (JSON) once completed. */
  result: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  created_at: CreatedAt;
  finished_at: Timestamp | null;
}

/** A learner of the tutor: the practice streak (tutor/tutor.repository.ts). */
export interface TutorLearnersTable {
  user_id: string;
  streak_days: ColumnType<number, number | undefined, number>;
  longest_streak_days: ColumnType<number, number | undefined, number>;
  /** Day (YYYY-MM-DD) of the last attempt, in the learner's time zone at the time. */
  last_practice_day: ColumnType<string | null, string | null | undefined, string | null>;
  /** IANA time zone the learner's days are counted in ('UTC' until the client sends one). */
  time_zone: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
}

/** A learner's current ability on one skill (Elo/IRT logits). */
export interface TutorSkillAbilitiesTable {
  user_id: string;
  skill_id: string;
  theta: number;
  attempts: number;
  successes: number;
  last_practiced: Timestamp | null;
}

/** Ability and mastery of a skill after each attempt: the progress chart. */
export interface TutorAbilityHistoryTable {
  id: Generated<string>;
  user_id: string;
  skill_id: string;
  theta: number;
  mastery: number;
  recorded_at: CreatedAt;
}

/** A learner's FSRS card for one item (StoredCard JSON) and when it is due. */
export interface TutorCardsTable {
  user_id: string;
  item_id: string;
  card: ColumnType<unknown, string, string>;
  due: Timestamp;
}

/** An item's difficulty shared by all learners (logits) and the first attempts that informed it. */
export interface TutorItemCalibrationTable {
  item_id: string;
  difficulty: number;
  attempts: number;
}

export type TutorPlanKind = 'review' | 'practice' | 'new' | 'chosen';

/** An exercise handed to a learner (the generated Exercise JSON, kept for grading). */
export interface TutorExercisesTable {
  id: string;
  user_id: string;
  item_id: string;
  skill_id: string;
  kind: string;
  seed: number;
  plan_kind: TutorPlanKind;
  reason: string;
  predicted_success: number;
  exercise: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
  attempted_at: Timestamp | null;
}

/** One attempt at an exercise: score 0–1 and what the grading or assessment said (JSON). */
export interface TutorAttemptsTable {
  id: string;
  user_id: string;
  exercise_id: string;
  item_id: string;
  skill_id: string;
  kind: string;
  score: number;
  correct: boolean;
  result: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
}

export type AiopsSeverity = 'critical' | 'warning' | 'info';
export type AiopsIncidentState = 'firing' | 'acknowledged' | 'resolved';
export type AiopsAlertSource = 'threshold' | 'anomaly' | 'forecast' | 'log' | 'health';
type Json<T> = ColumnType<T, string, string>;

/** One sampled time series (aiops/aiops.repository.ts): metric + labels, its component and its detector's state. */
export interface AiopsSeriesTable {
  id: Generated<number>;
  key: string;
  metric: string;
  labels: Json<Record<string, string>>;
  component: string;
  /** AnomalyDetectorState (JSON), so scoring continues across processes. */
  detector: ColumnType<unknown, string | null | undefined, string | null>;
  last_value: number | null;
  last_score: number | null;
  last_at: Timestamp | null;
  created_at: CreatedAt;
}

/** A sample: step_s 0 raw, 300 five-minute averages (downsampled). */
export interface AiopsSamplesTable {
  series_id: number;
  step_s: number;
  ts: Timestamp;
  value: number;
  score: number | null;
}

export interface AiopsLogPatternsTable {
  id: string;
  template: string;
  component: string;
  level: string;
  total: ColumnType<string, number | string, number | string>;
  first_seen: Timestamp;
  last_seen: Timestamp;
  /** The monitor's last event on this template: new, burst or silent. */
  last_event: string | null;
  last_event_at: Timestamp | null;
}

export interface AiopsLogCountsTable {
  pattern_id: string;
  bucket: Timestamp;
  count: number;
}

export interface AiopsIncidentsTable {
  id: string;
  title: string;
  severity: AiopsSeverity;
  state: AiopsIncidentState;
  components: Json<string[]>;
  /** The engine's ranked causes (RankedCause[]). */
  causes: Json<unknown[]>;
  /** The engine's signals (AiopsSignal[]). */
  signals: Json<unknown[]>;
  started_at: Timestamp;
  updated_at: Timestamp;
  /** Since when no alert of the incident fires (it resolves after AIOPS_RESOLVE_AFTER_MS). */
  quiet_since: Timestamp | null;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
}

export interface AiopsAlertsTable {
  id: string;
  fingerprint: string;
  source: AiopsAlertSource;
  name: string;
  component: string;
  severity: AiopsSeverity;
  state: 'firing' | 'resolved';
  summary: string;
  labels: Json<Record<string, string>>;
  value: number | null;
  strength: number;
  silenced_by: string | null;
  incident_id: string | null;
  starts_at: Timestamp;
  last_seen_at: Timestamp;
  ends_at: Timestamp | null;
}

export interface AiopsSilencesTable {
  id: string;
  /** { name?, component?, severity? }: an alert matching every given field is silenced. */
  matchers: Json<Record<string, string>>;
  comment: string;
  created_by: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  created_at: CreatedAt;
}

/** Who did what to which fix, when, with what result (every dry run, execution and revert). */
export interface AiopsFixAuditTable {
  id: string;
  incident_id: string | null;
  fix_id: string;
  mode: 'dry-run' | 'execute' | 'revert';
  actor: string;
  actor_name: string;
  automatic: boolean;
  outcome: 'planned' | 'succeeded' | 'failed' | 'refused';
  detail: string;
  changes: Json<unknown[]>;
  undo: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

/** A fix action being applied right now, by whom, until when (aiops/fixes: one run of an action at a time). */
export interface AiopsFixLeasesTable {
  action: string;
  holder: string;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

/** One ensemble room's life (ensemble/ensemble.repository.ts); the room itself lives in Redis. */
export interface EnsembleSessionsTable {
  id: string;
  code: string;
  name: string;
  owner_id: string;
  created_at: CreatedAt;
  closed_at: Timestamp | null;
}

export type EnsembleAudioState = 'none' | 'queued' | 'active' | 'completed' | 'failed';

/** A recorded stretch of an ensemble session: multi-track MIDI, and audio once rendered. */
export interface EnsembleRecordingsTable {
  id: string;
  session_id: string;
  owner_id: string;
  name: string;
  midi: Uint8Array;
  duration_sec: number;
  tempo: number;
  key_name: string | null;
  /** SessionTrack[] (JSON). */
  tracks: ColumnType<unknown, string, string>;
  audio_state: ColumnType<EnsembleAudioState, EnsembleAudioState | undefined, EnsembleAudioState>;
  audio_error: string | null;
  created_at: CreatedAt;
}

/** Who may see a recording: everyone who was in the room while it was made. */
export interface EnsembleRecordingMembersTable {
  recording_id: string;
  user_id: string;
}

/** An analysis the user saved (multimodal/multimodal.repository.ts); its picture and recording are files. */
/** Each user's running voice baseline: the mean of their recordings' voice features (no audio, no labels). */
export interface TutorFsrsFitsTable {
  id: string;
  requested_by: string | null;
  accepted: boolean;
  reason: string;
  /** The weights scheduled with after this refit: the fitted ones when accepted, else those in use. */
  weights: number[];
  /** The refit's report (counts and held-out quality, JSON). */
  report: ColumnType<unknown, string, string>;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface TutorFsrsLearnerWeightsTable {
  user_id: string;
  /** The refit that fitted them. */
  fit_id: string;
  weights: number[];
  /** The learner's long-term reviews they were fitted on. */
  reviews: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface MultimodalVoiceBaselinesTable {
  user_id: string;
  recordings: number;
  mean: number[];
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface MultimodalAnalysesTable {
  id: string;
  user_id: string;
  /** The analysis as `POST /api/multimodal/analyze` answered it (JSON). */
  result: ColumnType<unknown, string, string>;
  text: string | null;
  image_type: 'jpeg' | 'png' | 'webp' | null;
  image_width: number | null;
  image_height: number | null;
  audio_duration_sec: number | null;
  created_at: CreatedAt;
}

/** One storyteller job of a user (multimodal/multimodal.repository.ts). */
export interface MultimodalStoriesTable {
  id: string;
  user_id: string;
  title: string;
  text: string;
  seed: ColumnType<string, number, number>;
  state: MusicGenerationState;
  /** The stored story result (JSON) once completed. */
  result: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  created_at: CreatedAt;
  finished_at: Timestamp | null;
}

/** Every table the server owns; each feature adds its tables here (and a migration). */
export interface JobQuotaUsesTable {
  id: string;
  user_id: string;
  kind: string;
  used_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface DB {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  music_generations: MusicGenerationsTable;
  tutor_learners: TutorLearnersTable;
  tutor_skill_abilities: TutorSkillAbilitiesTable;
  tutor_ability_history: TutorAbilityHistoryTable;
  tutor_cards: TutorCardsTable;
  tutor_item_calibration: TutorItemCalibrationTable;
  tutor_exercises: TutorExercisesTable;
  tutor_attempts: TutorAttemptsTable;
  tutor_fsrs_fits: TutorFsrsFitsTable;
  tutor_fsrs_learner_weights: TutorFsrsLearnerWeightsTable;
  aiops_series: AiopsSeriesTable;
  aiops_samples: AiopsSamplesTable;
  aiops_log_patterns: AiopsLogPatternsTable;
  aiops_log_counts: AiopsLogCountsTable;
  aiops_incidents: AiopsIncidentsTable;
  aiops_alerts: AiopsAlertsTable;
  aiops_silences: AiopsSilencesTable;
  aiops_fix_audit: AiopsFixAuditTable;
  aiops_fix_leases: AiopsFixLeasesTable;
  ensemble_sessions: EnsembleSessionsTable;
  ensemble_recordings: EnsembleRecordingsTable;
  ensemble_recording_members: EnsembleRecordingMembersTable;
  multimodal_analyses: MultimodalAnalysesTable;
  multimodal_voice_baselines: MultimodalVoiceBaselinesTable;
  multimodal_stories: MultimodalStoriesTable;
  job_quota_uses: JobQuotaUsesTable;
}
