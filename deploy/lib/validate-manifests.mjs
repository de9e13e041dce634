#!/usr/bin/env node
// Validates rendered manifests offline: Kubernetes schemas, unknown fields, and the deploy policy
// (including the server's configuration schema, Filebeat's autodiscover condition and the @BodyLimit routes).
// Used by scripts/deploy-k8s.sh before anything is applied.
//   node deploy/lib/validate-manifests.mjs RENDERED.yaml [--overlay NAME]
// With XIAOYU_VALIDATION_CACHE=DIR, a manifest set that passed before (same manifests, same server
// config schema, same validator code) is not validated again: the deploy-script tests render the same
// overlay many times.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_CONFIG_PATH, ENV_SCHEMA_PATH, loadEnvSchema } from './env-schema.mjs';
import { parseYamlDocuments } from './render.mjs';
import { schemaErrors, unknownFieldErrors } from './validate.mjs';
import { policyViolations } from './policy.mjs';
import { loadDeploySources } from './sources.mjs';

const [file] = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--overlay');
if (!file) {
  console.error('usage: validate-manifests.mjs RENDERED.yaml [--overlay NAME]');
  process.exit(64);
}
const text = readFileSync(file, 'utf8');
const sources = loadDeploySources();
const cacheDir = process.env.XIAOYU_VALIDATION_CACHE;
let cacheFile = null;
if (cacheDir) {
  const hash = createHash('sha256').update(text);
  const libDir = dirname(fileURLToPath(import.meta.url));
  for (const name of readdirSync(libDir).sort()) hash.update(readFileSync(join(libDir, name)));
  for (const path of [ENV_SCHEMA_PATH, APP_CONFIG_PATH]) if (existsSync(path)) hash.update(readFileSync(path));
  hash.update(JSON.stringify(sources));
  cacheFile = join(cacheDir, `${hash.digest('hex')}.ok`);
  if (existsSync(cacheFile)) {
    console.error('objects valid (validated before: same manifests, schema and validator)');
    process.exit(0);
  }
}
const objects = parseYamlDocuments(text, file);
const problems = [...objects.flatMap(schemaErrors), ...unknownFieldErrors(objects), ...policyViolations(objects, loadEnvSchema(), sources)];
for (const p of problems) console.error(`  - ${p}`);
if (problems.length > 0) {
  console.error(`${problems.length} problem(s) in ${objects.length} objects`);
  process.exit(1);
}
console.error(`${objects.length} objects valid`);
if (cacheFile) {
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cacheFile, `${new Date().toISOString()}\n`);
}
