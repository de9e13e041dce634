// `npm test`: every test of the project, in one run. Starts PostgreSQL/Redis when needed, then runs each
// suite, keeps going after a failure so one run shows every problem, and ends with one summary line.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { countTests, failingTests, summaryLine, verdict } from './lib/test-summary.mjs';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const CI = process.env.CI === 'true';
const JEST_ENV = { NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning' };

const steps = [
  { name: 'services', cmd: 'bash', args: ['scripts/ensure-services.sh'] },
  { name: 'openapi drift', cmd: 'node', args: ['scripts/openapi-check.mjs'] },
  { name: 'readme drift', cmd: 'node', args: ['scripts/readme-check.mjs'] },
  { name: 'type-check', cmd: 'npm', args: ['run', 'check', '--silent'] },
  { name: 'lint', cmd: 'npm', args: ['run', 'lint', '--silent'] },
  { name: 'server unit', cmd: 'npm', args: ['run', 'test', '-w', 'server', '--silent'], env: JEST_ENV },
  { name: 'server e2e (PostgreSQL, Redis)', cmd: 'npm', args: ['run', 'test:e2e', '-w', 'server', '--silent'], env: JEST_ENV },
  { name: 'client unit', cmd: 'npx', args: ['ng', 'test', 'client', '--watch=false'] },
  { name: 'deploy manifests', cmd: 'node', args: ['--test', 'deploy/test/'] },
  { name: 'scripts', cmd: 'node', args: ['--test', 'scripts/test/'] },
  { name: 'build', cmd: 'npm', args: ['run', 'build', '--silent'] },
  { name: 'browser journey', cmd: 'node', args: ['--test', 'client/e2e/'] },
];

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
    child.on('close', (code) => {
      const counts = countTests(output);
      resolveStep({
        ...step,
        code,
        failures: failingTests(output),
        seconds: Math.round((Date.now() - started) / 1000),
        ...counts,
        ...verdict({ code, ...counts }, { ci: CI }),
      });
    });
  });
}

const results = [];
for (const step of steps) results.push(await run(step));

console.log('\n=== summary ===');
for (const r of results) {
  const counts = r.passed || r.failed || r.skipped ? ` (${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped)` : '';
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${counts} ${r.seconds}s${r.ok ? '' : ` — ${r.reason}`}`);
  for (const name of r.failures) console.log(`       ✕ ${name}`);
}
console.log(`\n${summaryLine(results)}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
