// `npm test`: every test of the project, in one run. Starts PostgreSQL/Redis when needed, then runs each
// suite, keeps going after a failure so one run shows every problem, and ends with one summary line.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const JEST_ENV = { NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning' };

const steps = [
  { name: 'services', cmd: 'bash', args: ['scripts/ensure-services.sh'] },
  { name: 'openapi drift', cmd: 'node', args: ['scripts/openapi-check.mjs'] },
  { name: 'readme drift', cmd: 'node', args: ['scripts/readme-check.mjs'] },
  { name: 'type-check', cmd: 'npm', args: ['run', 'check', '--silent'] },
  { name: 'server unit', cmd: 'npm', args: ['run', 'test', '-w', 'server', '--silent'], env: JEST_ENV },
  { name: 'server e2e (PostgreSQL, Redis)', cmd: 'npm', args: ['run', 'test:e2e', '-w', 'server', '--silent'], env: JEST_ENV },
  { name: 'client unit', cmd: 'npx', args: ['ng', 'test', 'client', '--watch=false'] },
  { name: 'deploy manifests', cmd: 'node', args: ['--test', 'deploy/test/'] },
  { name: 'build', cmd: 'npm', args: ['run', 'build', '--silent'] },
  { name: 'browser journey', cmd: 'node', args: ['--test', 'client/e2e/'] },
];

/** Test counts from the closing lines of Jest, Vitest and node:test. */
function countTests(output) {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  let passed = 0;
  let failed = 0;
  for (const line of plain.split('\n')) {
    const jest = line.match(/^Tests:\s+(.*)$/);
    const vitest = line.match(/^\s*Tests\s+(.*\(\d+\))\s*$/);
    const summary = jest?.[1] ?? vitest?.[1];
    if (summary) {
      passed += Number(summary.match(/(\d+) passed/)?.[1] ?? 0);
      failed += Number(summary.match(/(\d+) failed/)?.[1] ?? 0);
    }
    const nodePass = line.match(/^# pass (\d+)$/);
    const nodeFail = line.match(/^# fail (\d+)$/);
    if (nodePass) passed += Number(nodePass[1]);
    if (nodeFail) failed += Number(nodeFail[1]);
  }
  return { passed, failed };
}

function run(step) {
  return new Promise((resolveStep) => {
    const started = Date.now();
    process.stdout.write(`\n=== ${step.name} ===\n`);
    const child = spawn(step.cmd, step.args, { cwd: root, env: { ...process.env, ...step.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on('close', (code) => resolveStep({ ...step, code, seconds: Math.round((Date.now() - started) / 1000), ...countTests(output) }));
  });
}

const results = [];
for (const step of steps) results.push(await run(step));

console.log('\n=== summary ===');
for (const r of results) {
  const counts = r.passed || r.failed ? ` (${r.passed} passed, ${r.failed} failed)` : '';
  console.log(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${r.name}${counts} ${r.seconds}s`);
}
const failedSteps = results.filter((r) => r.code !== 0);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0) + failedSteps.filter((r) => r.failed === 0).length;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failedSteps.length ? 1 : 0);
