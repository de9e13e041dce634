/**
 * Writes the OpenAPI document to openapi/openapi.json (keys sorted, so diffs are reviewable).
 * Boots the application on a throw-away embedded database; Redis need not be running.
 */
import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../bootstrap';
import { loadConfig } from '../core/config/app-config';
import { buildOpenApiDocument } from '../core/openapi';
import { APP_VERSION } from '../core/version';

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoyu-openapi-'));
  const out = resolve(process.argv[2] ?? join(__dirname, '../../../openapi/openapi.json'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', ROLE: 'api', NODE_ENV: 'test' });
  const app = await createApp(config);
  app.useLogger(false);
  const document = buildOpenApiDocument(app, APP_VERSION);
  mkdirSync(resolve(out, '..'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(`OpenAPI spec written to ${out} (${Object.keys(document.paths).length} paths)\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
