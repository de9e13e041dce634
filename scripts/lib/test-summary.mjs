// Reads the closing lines of Jest, Vitest and node:test, so `npm test` can sum what every suite ran.

/** Test counts from a suite's output (ANSI colours ignored). */
export function countTests(output) {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex -- ANSI escape codes
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const add = (key, text) => (counts[key] += Number(text ?? 0));
  for (const line of plain.split('\n')) {
    // Jest: "Tests:       1 failed, 2 skipped, 233 passed, 236 total"; Vitest: " Tests  1 failed | 76 passed | 2 skipped (79)"
    const summary = line.match(/^Tests:\s+(.*)$/)?.[1] ?? line.match(/^\s*Tests\s+(.*\(\d+\))\s*$/)?.[1];
    if (summary) {
      add('passed', summary.match(/(\d+) passed/)?.[1]);
      add('failed', summary.match(/(\d+) failed/)?.[1]);
      add('skipped', summary.match(/(\d+) skipped/)?.[1]);
      add('skipped', summary.match(/(\d+) todo/)?.[1]);
    }
    // node:test reporter (spec or tap): "# pass 12", "ℹ skipped 2"
    const node = line.match(/^(?:#|ℹ) (pass|fail|skipped|todo) (\d+)$/);
    if (node) add({ pass: 'passed', fail: 'failed', skipped: 'skipped', todo: 'skipped' }[node[1]], node[2]);
  }
  return counts;
}

/**
 * Names of the failing tests in a suite's output, so the summary at the end of a long log still says what failed:
 * Jest's "● Suite › test" headers (not its console blocks) and node:test's "not ok N - name" lines.
 */
export function failingTests(output) {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex -- ANSI escape codes
  const names = new Set();
  for (const line of plain.split('\n')) {
    const jest = line.match(/^\s*● (.+›.+)$/)?.[1];
    if (jest && !jest.startsWith('Console')) names.add(jest.trim());
    const node = line.match(/^\s*not ok \d+ - (.+)$/)?.[1];
    if (node) names.add(node.trim());
  }
  return [...names];
}

/**
 * Whether a finished suite counts as failed: a non-zero exit, or — in CI, where every tool is installed — any
 * skipped test, since a suite that quietly skips there would vanish from the result.
 */
export function verdict({ code, skipped }, { ci }) {
  if (code !== 0) return { ok: false, reason: `exit code ${code}` };
  if (ci && skipped > 0) return { ok: false, reason: `${skipped} skipped in CI, where every suite must run (the reasons are above)` };
  return { ok: true };
}

/** The last line of `npm test`. */
export function summaryLine(results) {
  const sum = (key) => results.reduce((n, r) => n + r[key], 0);
  // A suite that failed without a failing test (crash, compile error, skips in CI) counts as one failure.
  const failed = sum('failed') + results.filter((r) => !r.ok && r.failed === 0).length;
  return `${sum('passed')} passed, ${failed} failed, ${sum('skipped')} skipped`;
}
