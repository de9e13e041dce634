import { resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';
import { EnvironmentVariables } from './env.schema';

const DEVELOPMENT_JWT_SECRET = 'xiaoyu-ai-development-secret-do-not-use-in-production';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The validated configuration, injected wherever a setting is needed; nothing else reads process.env. */
export class AppConfig extends EnvironmentVariables {
  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }
  get jwtSecret(): string {
    return this.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET;
  }
  get dataDir(): string {
    return resolve(this.DATA_DIR);
  }
  get musicStorageDir(): string {
    return resolve(this.MUSIC_STORAGE_DIR ?? `${this.dataDir}/music`);
  }
  /** TRUST_PROXY as Express's `trust proxy` setting takes it: a hop count or the list. */
  get trustProxy(): number | string {
    return /^\d+$/.test(this.TRUST_PROXY) ? Number(this.TRUST_PROXY) : this.TRUST_PROXY;
  }
  /** CORS_ORIGIN's origins, trimmed (`https://a, https://b` allows both). */
  get corsOrigins(): string[] {
    return (this.CORS_ORIGIN ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
  }
  get multimodalStorageDir(): string {
    return resolve(this.MULTIMODAL_STORAGE_DIR ?? `${this.dataDir}/multimodal`);
  }
  get logSpoolDir(): string {
    return resolve(this.LOG_SPOOL_DIR ?? `${this.dataDir}/log-spool`);
  }
  get servesHttp(): boolean {
    return this.ROLE !== 'worker';
  }
  get runsWorkers(): boolean {
    return this.ROLE !== 'api';
  }
}

function variableNames(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(EnvironmentVariables, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

/** A URL's user and password (everything up to its last @, so a password with @ or # goes too) are not printed. */
const withoutCredentials = (value: unknown): unknown => (typeof value === 'string' ? value.replace(/^([a-z][a-z0-9+.-]*:\/\/).*@/i, '$1<hidden>@') : value);

function describe(error: ValidationError): string {
  const reasons = Object.values(error.constraints ?? {}).join('; ');
  const shown = /SECRET|PASSWORD|KEY/.test(error.property) ? '<hidden>' : JSON.stringify(withoutCredentials(error.value));
  return `${error.property}=${shown}: ${reasons}`;
}

/** Validates the environment once; every bad variable is reported together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const plain: Record<string, string> = {};
  for (const name of variableNames()) {
    const value = env[name];
    if (value !== undefined) plain[name] = value;
  }
  const config = plainToInstance(AppConfig, plain);
  const problems = validateSync(config, { skipMissingProperties: false }).map(describe);
  if (config.isProduction && !config.JWT_SECRET) problems.push('JWT_SECRET: required when NODE_ENV=production');
  if (config.ENABLE_LOG_AGGREGATION && !config.ELASTICSEARCH_URL) {
    problems.push('ELASTICSEARCH_URL: required when ENABLE_LOG_AGGREGATION=true');
  }
  if (Boolean(config.ADMIN_EMAIL) !== Boolean(config.ADMIN_PASSWORD)) {
    problems.push('ADMIN_EMAIL/ADMIN_PASSWORD: set both or neither');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
