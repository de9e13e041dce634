// Fails when openapi/openapi.json or the generated Angular client (client/src/app/api) is stale:
// regenerates both into a temporary folder and compares them with what is committed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const temp = mkdtempSync(join(tmpdir(), 'xiaoyu-openapi-check-'));

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

try {
  const spec = join(temp, 'openapi.json');
  execFileSync('node', ['-r', '@swc-node/register', 'src/bin/openapi-sync.ts', spec], { cwd: join(root, 'server'), stdio: ['ignore', 'ignore', 'inherit'] });
  const problems = [];
  if (readFileSync(spec, 'utf8') !== readFileSync(join(root, 'openapi/openapi.json'), 'utf8')) {
    problems.push('openapi/openapi.json differs from what the server generates');
  }

  const config = JSON.parse(readFileSync(join(root, 'client/ng-openapi-gen.json'), 'utf8'));
  const generated = join(temp, 'api');
  const configPath = join(temp, 'ng-openapi-gen.json');
  writeFileSync(configPath, JSON.stringify({ ...config, $schema: undefined, input: join(root, 'openapi/openapi.json'), output: generated }));
  execFileSync(join(root, 'node_modules/.bin/ng-openapi-gen'), ['--config', configPath], { cwd: root, stdio: 'inherit' });
  const committed = join(root, 'client/src/app/api');
  const expected = files(generated)
    .map((f) => relative(generated, f))
    .sort();
  const actual = files(committed)
    .map((f) => relative(committed, f))
    .sort();
  for (const file of new Set([...expected, ...actual])) {
    if (!expected.includes(file)) problems.push(`client/src/app/api/${file} should not exist`);
    else if (!actual.includes(file)) problems.push(`client/src/app/api/${file} is missing`);
    else if (readFileSync(join(generated, file), 'utf8') !== readFileSync(join(committed, file), 'utf8')) problems.push(`client/src/app/api/${file} is stale`);
  }
  if (problems.length) {
    console.error(`OpenAPI drift (run \`npm run openapi:sync\` and commit):\n  - ${problems.join('\n  - ')}`);
    process.exit(1);
  }
  console.log(`OpenAPI spec and generated client are up to date (${expected.length} client files).`);
} finally {
  rmSync(temp, { recursive: true, force: true });
}
