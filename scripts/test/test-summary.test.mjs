import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countTests, failingTests, summaryLine, verdict } from '../lib/test-summary.mjs';

describe('countTests', () => {
  it('reads Jest, with skipped and todo tests', () => {
    assert.deepEqual(countTests('Tests:       1 failed, 2 skipped, 1 todo, 233 passed, 237 total\n'), { passed: 233, failed: 1, skipped: 3 });
  });

  it('reads Vitest through its colour codes', () => {
    const line = '\x1b[2m      Tests \x1b[22m \x1b[1m\x1b[32m76 passed\x1b[39m\x1b[22m | \x1b[33m2 skipped\x1b[39m\x1b[90m (78)\x1b[39m\n';
    assert.deepEqual(countTests(line), { passed: 76, failed: 0, skipped: 2 });
  });

  it('reads node:test in tap and spec form', () => {
    assert.deepEqual(countTests('# pass 8\n# fail 1\n# skipped 3\n# todo 1\n'), { passed: 8, failed: 1, skipped: 4 });
    assert.deepEqual(countTests('ℹ pass 5\nℹ fail 0\nℹ skipped 2\n'), { passed: 5, failed: 0, skipped: 2 });
  });

  it('adds up several summaries in one output and ignores test names that look like counts', () => {
    const output = 'Tests:       3 passed, 3 total\n  ✓ Tests: 9 passed is not a summary\nTests:       1 skipped, 4 passed, 5 total\n';
    assert.deepEqual(countTests(output), { passed: 7, failed: 0, skipped: 1 });
  });
});

describe('failingTests', () => {
  it('names failing Jest tests once each and skips console blocks', () => {
    const output = '  ● Console\n\n  ● ensemble gateway › rejects a bad token\n\n    expect(received)\n  ● ensemble gateway › rejects a bad token\n';
    assert.deepEqual(failingTests(output), ['ensemble gateway › rejects a bad token']);
  });

  it('names failing node:test tests', () => {
    assert.deepEqual(failingTests('ok 1 - signs in\n    not ok 2 - plays a melody\n'), ['plays a melody']);
  });
});

describe('verdict', () => {
  it('fails a suite that exits non-zero', () => {
    assert.equal(verdict({ code: 1, skipped: 0 }, { ci: false }).ok, false);
  });

  it('lets a suite skip locally but not in CI', () => {
    assert.equal(verdict({ code: 0, skipped: 2 }, { ci: false }).ok, true);
    const inCi = verdict({ code: 0, skipped: 2 }, { ci: true });
    assert.equal(inCi.ok, false);
    assert.match(inCi.reason, /2 skipped in CI/);
  });
});

describe('summaryLine', () => {
  it('counts skips, and a failed suite with no failing test as one failure', () => {
    const results = [
      { passed: 10, failed: 0, skipped: 2, ok: true },
      { passed: 5, failed: 1, skipped: 0, ok: false },
      { passed: 0, failed: 0, skipped: 0, ok: false },
    ];
    assert.equal(summaryLine(results), '15 passed, 2 failed, 2 skipped');
  });
});
