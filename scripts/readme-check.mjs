// Fails when README.md's configuration table no longer matches the config schema.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configTable } from './config-table.mjs';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
const current = readme.match(/<!-- config-table:start -->\n([\s\S]*?)\n<!-- config-table:end -->/)?.[1];
if (current !== configTable()) {
  console.error('README.md configuration table is stale: run `node scripts/config-table.mjs --write` and commit.');
  process.exit(1);
}
console.log('README.md configuration table matches server/src/core/config/env.schema.ts.');
