// yamllint over deploy/ and docker-compose.yml; shellcheck over the deploy scripts. Both come from
// Debian (apt-get install -y yamllint shellcheck). Missing locally: skipped with the reason; missing in
// CI (CI=true): a failure.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, requireTool } from '../lib/render.mjs';

const run = (cmd, args) => {
  try {
    return { status: 0, output: execFileSync(cmd, args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (error) {
    return { status: error.status ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` };
  }
};

const SCRIPTS = [
  'scripts/deploy-k8s.sh',
  'scripts/rollback-k8s.sh',
  'scripts/health-check.sh',
  'scripts/images/build-base-images.sh',
  'scripts/images/test-images.sh',
  'client/nginx/entrypoint.sh',
  'deploy/test/fixtures/fake-kubectl',
];

describe('yamllint', () => {
  const tool = requireTool('yamllint');
  it('finds no problem in deploy/ and docker-compose.yml', { skip: tool.skip }, () => {
    tool.check();
    const { status, output } = run('yamllint', [
      '-f',
      'parsable',
      '-c',
      join('deploy', '.yamllint.yaml'),
      'deploy',
      'docker-compose.yml',
      'docker-compose.elk.yml',
    ]);
    assert.equal(status, 0, output);
  });
  it('fails on broken YAML (so a pass means something)', { skip: tool.skip }, () => {
    tool.check();
    const { status } = run('bash', ['-c', "printf 'a: 1\\na: 2\\nb:  [1,2\\n' | yamllint -c deploy/.yamllint.yaml -"]);
    assert.notEqual(status, 0);
  });
});

describe('shellcheck', () => {
  const tool = requireTool('shellcheck');
  it('finds no problem in the deploy, rollback, health-check and image scripts', { skip: tool.skip }, () => {
    tool.check();
    const { status, output } = run('shellcheck', ['-x', ...SCRIPTS]);
    assert.equal(status, 0, output);
  });
  it('fails on a broken script (so a pass means something)', { skip: tool.skip }, () => {
    tool.check();
    const { status } = run('bash', ['-c', "printf '#!/bin/sh\\nrm -rf $1/*\\necho $((\\n' | shellcheck -"]);
    assert.notEqual(status, 0);
  });
});
