#!/usr/bin/env node
// Validates rendered manifests offline: Kubernetes schemas, unknown fields, and the deploy policy
// (including the server's configuration schema). Used by scripts/deploy-k8s.sh before anything is applied.
//   node deploy/lib/validate-manifests.mjs RENDERED.yaml [--overlay NAME]
import { readFileSync } from 'node:fs';
import { parseYamlDocuments } from './render.mjs';
import { schemaErrors, unknownFieldErrors } from './validate.mjs';
import { policyViolations } from './policy.mjs';
import { loadEnvSchema } from './env-schema.mjs';

const [file] = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--overlay');
if (!file) {
  console.error('usage: validate-manifests.mjs RENDERED.yaml [--overlay NAME]');
  process.exit(64);
}
const objects = parseYamlDocuments(readFileSync(file, 'utf8'), file);
const problems = [...objects.flatMap(schemaErrors), ...unknownFieldErrors(objects), ...policyViolations(objects, loadEnvSchema())];
for (const p of problems) console.error(`  - ${p}`);
if (problems.length > 0) {
  console.error(`${problems.length} problem(s) in ${objects.length} objects`);
  process.exit(1);
}
console.error(`${objects.length} objects valid`);
