/**
 * The platform's settings in every API benchmark (bench:api, bench:api:instructions, bench:api:profile): production
 * mode, request logging at info, the API role, and rate limits high enough not to throttle the load generator.
 */
export function apiBenchEnv(dataDir: string, databaseUrl: string, port?: number): Record<string, string> {
  return {
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret!',
    ...(port === undefined ? {} : { PORT: String(port) }),
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'info',
    ROLE: 'api',
    API_RATE_LIMIT: '100000000',
    AUTH_RATE_LIMIT: '1000',
  };
}
