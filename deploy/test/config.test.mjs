// The environment each overlay gives the server and worker containers passes the server's own
// configuration loader (server/src/core/config/app-config.ts), exactly as at boot.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, OVERLAYS, renderOverlay, requireKubectl } from '../lib/render.mjs';
import { serverEnvironment } from '../lib/policy.mjs';
import { APP_CONFIG_PATH } from '../lib/env-schema.mjs';

const gate = requireKubectl();
const kubectl = gate.path;
const skip = gate.skip ? gate.skip : !existsSync(APP_CONFIG_PATH) ? 'server/src/core/config/app-config.ts not written yet' : false;

/**
 * Runs loadConfig() on each environment in one child process (TypeScript through @swc-node/register, as
 * the server's scripts do); returns, per environment, { ok, role } or { ok: false, problems }.
 */
function loadConfigResults(envs) {
  const program = `
    require('reflect-metadata');
    const { loadConfig } = require('./src/core/config/app-config.ts');
    const results = JSON.parse(process.argv[1]).map((env) => {
      try { return { ok: true, role: loadConfig(env).ROLE }; }
      catch (e) { return { ok: false, problems: e.problems ?? [String(e)] }; }
    });
    process.stdout.write(JSON.stringify(results));`;
  const out = execFileSync(process.execPath, ['-r', '@swc-node/register', '-e', program, JSON.stringify(envs)], {
    cwd: join(REPO_ROOT, 'server'),
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  return JSON.parse(out);
}

describe('the rendered configuration passes the server config loader', { skip }, () => {
  let results;
  /** Every overlay's server and worker environment plus a broken one, loaded in one child process. */
  const loaded = () => {
    if (!results) {
      const cases = OVERLAYS.flatMap((overlay) => serverEnvironment(renderOverlay(kubectl, overlay).objects).map((e) => ({ overlay, ...e })));
      const broken = { ...cases.find((c) => c.overlay === 'prod').merged, JWT_SECRET: '', PORT: 'http', ENABLE_LOG_AGGREGATION: 'true', ELASTICSEARCH_URL: '' };
      const out = loadConfigResults([...cases.map((c) => c.merged), broken]);
      results = { cases: cases.map((c, i) => ({ ...c, result: out[i] })), broken: out.at(-1) };
    }
    return results;
  };

  for (const overlay of OVERLAYS) {
    it(`${overlay}: server and worker environments load without a problem`, () => {
      for (const { workload, merged, result } of loaded().cases.filter((c) => c.overlay === overlay)) {
        assert.deepEqual(result.problems ?? [], [], workload);
        assert.equal(result.role, merged.ROLE);
      }
    });
  }

  it('the loader rejects a broken environment (so a pass means something)', () => {
    const result = loaded().broken;
    assert.equal(result.ok, false);
    assert.ok(
      result.problems.some((p) => /JWT_SECRET/.test(p)),
      result.problems.join('\n'),
    );
    assert.ok(
      result.problems.some((p) => /PORT/.test(p)),
      result.problems.join('\n'),
    );
    assert.ok(
      result.problems.some((p) => /ELASTICSEARCH_URL/.test(p)),
      result.problems.join('\n'),
    );
  });
});
