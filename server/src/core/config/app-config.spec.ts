import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(4000);
    expect(config.ROLE).toBe('all');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.ENABLE_LOG_AGGREGATION).toBe(false);
    expect(config.servesHttp && config.runsWorkers).toBe(true);
  });

  it('converts numbers and booleans from strings', () => {
    const config = loadConfig({ PORT: '8080', ENABLE_LOG_AGGREGATION: 'false', LOG_PRETTY: 'true' });
    expect(config.PORT).toBe(8080);
    expect(config.ENABLE_LOG_AGGREGATION).toBe(false);
    expect(config.LOG_PRETTY).toBe(true);
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', ROLE: 'boss', REDIS_URL: 'not a url', JWT_SECRET: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).message;
    for (const name of ['PORT', 'ROLE', 'REDIS_URL', 'JWT_SECRET']) expect(text).toContain(name);
    expect(text).not.toContain('short');
  });

  it('refuses an admin password no login could use and an index prefix Elasticsearch would refuse', () => {
    const admin = { ADMIN_EMAIL: 'ops@example.com' };
    expect(() => loadConfig({ ...admin, ADMIN_PASSWORD: 'x'.repeat(129) })).toThrow(/ADMIN_PASSWORD/);
    expect(loadConfig({ ...admin, ADMIN_PASSWORD: 'x'.repeat(128) }).ADMIN_PASSWORD).toHaveLength(128);
    expect(() => loadConfig({ LOG_INDEX_PREFIX: 'Xiaoyu' })).toThrow(/LOG_INDEX_PREFIX/);
    expect(() => loadConfig({ LOG_INDEX_PREFIX: 'xiaoyu"ai' })).toThrow(/LOG_INDEX_PREFIX/);
    expect(loadConfig({ LOG_INDEX_PREFIX: 'team-a.logs_1' }).LOG_INDEX_PREFIX).toBe('team-a.logs_1');
  });

  it('does not print the password of a URL it refuses', () => {
    // An underscore in the host name is not a valid URL; the password (with an @ of its own) must still not be shown.
    expect(() => loadConfig({ REDIS_URL: 'redis://:s3cr@t@redis_host:6379' })).toThrow(/REDIS_URL="redis:\/\/<hidden>@redis_host:6379"/);
    expect(() => loadConfig({ REDIS_URL: 'redis://:s3cr@t@redis_host:6379' })).not.toThrow(/s3cr/);
  });

  it('requires a JWT secret in production and Elasticsearch when shipping is on', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ ENABLE_LOG_AGGREGATION: 'true' })).toThrow(/ELASTICSEARCH_URL/);
  });

  it('accepts a PostgreSQL URL and rejects another scheme', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://root@127.0.0.1:5432/test' }).DATABASE_URL).toContain('postgres://');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x@y/z' })).toThrow(/DATABASE_URL/);
  });

  it('refuses a body limit body-parser would misread (1m is one byte) or cannot read, and a grace period a timer cannot hold', () => {
    for (const limit of ['1m', 'abc', '10']) expect(() => loadConfig({ BODY_LIMIT: limit })).toThrow(/BODY_LIMIT/);
    expect(loadConfig({ BODY_LIMIT: '512kb' }).BODY_LIMIT).toBe('512kb');
    expect(() => loadConfig({ SHUTDOWN_GRACE_MS: String(2 ** 31) })).toThrow(/SHUTDOWN_GRACE_MS/);
  });

  it('reads TRUST_PROXY as a hop count or a list of proxies, and refuses anything else', () => {
    expect(loadConfig({}).trustProxy).toBe('loopback, linklocal, uniquelocal');
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8, 127.0.0.1');
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
  });

  it('reads CORS origins separated by commas and spaces', () => {
    expect(loadConfig({ CORS_ORIGIN: 'https://a.example, https://b.example,' }).corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(loadConfig({}).corsOrigins).toEqual([]);
  });
});
