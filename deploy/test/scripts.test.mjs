// scripts/deploy-k8s.sh, rollback-k8s.sh and health-check.sh without a cluster: argument and secret
// checks, offline render + validation, and the health check against a local HTTP server.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync, writeFileSync, rmSync, mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, scratchDeployTree, parseYamlDocuments, requireTool, requireKubectl } from '../lib/render.mjs';

const exec = promisify(execFile);
const script = (name) => join(REPO_ROOT, 'scripts', name);
async function run(name, args, env = {}) {
  try {
    const { stdout, stderr } = await exec('bash', [script(name), ...args], { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

const gate = requireKubectl();
const kubectl = gate.path;
const noKubectl = gate.skip;

describe('deploy-k8s.sh', () => {
  const tree = scratchDeployTree();
  const env = { XIAOYU_DEPLOY_DIR: tree.deployDir, PATH: kubectl?.startsWith('/') ? `${dirname(kubectl)}:${process.env.PATH}` : process.env.PATH };
  const secretFile = join(tree.deployDir, 'overlays', 'dev', 'secret.env');
  const example = readFileSync(join(tree.deployDir, 'overlays', 'dev', 'secret.example.env'), 'utf8');
  after(() => tree.cleanup());

  it('refuses without an overlay, and with an unknown one', async () => {
    assert.equal((await run('deploy-k8s.sh', [], env)).code, 1);
    const r = await run('deploy-k8s.sh', ['qa'], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no overlay 'qa'/);
  });

  it('refuses when secret.env is missing', async () => {
    rmSync(secretFile, { force: true });
    const r = await run('deploy-k8s.sh', ['dev', '--render-only'], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /secret\.env is missing/);
  });

  it('refuses when a required secret is missing or still a CHANGE_ME placeholder, naming each', async () => {
    writeFileSync(secretFile, example.replace(/^JWT_SECRET=.*\n/m, ''));
    const r = await run('deploy-k8s.sh', ['dev', '--render-only'], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /JWT_SECRET is missing/);
    assert.match(r.stderr, /DATABASE_URL still holds the CHANGE_ME placeholder/);
    assert.match(r.stderr, /refusing to deploy/);
  });

  it('renders and validates offline with complete secrets, applying an IMAGE_TAG override', { skip: noKubectl }, async () => {
    writeFileSync(secretFile, example.replaceAll('CHANGE_ME', 'filled'));
    const r = await run('deploy-k8s.sh', ['dev', '--render-only'], { ...env, IMAGE_TAG: '1.4.2' });
    assert.equal(r.code, 0, r.stderr);
    const images = parseYamlDocuments(r.stdout)
      .filter((o) => o.kind === 'Deployment')
      .map((d) => d.spec.template.spec.containers[0].image);
    assert.deepEqual(images.sort(), [
      'registry.example.com/xiaoyu-ai/client:1.4.2',
      'registry.example.com/xiaoyu-ai/server:1.4.2',
      'registry.example.com/xiaoyu-ai/server:1.4.2',
    ]);
  });

  it('refuses the latest tag', async () => {
    writeFileSync(secretFile, example.replaceAll('CHANGE_ME', 'filled'));
    const r = await run('deploy-k8s.sh', ['dev', '--render-only'], { ...env, IMAGE_TAG: 'latest' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not an allowed tag/);
  });

  it('stops before applying when the rendered manifests break the policy', { skip: noKubectl }, async () => {
    writeFileSync(secretFile, example.replaceAll('CHANGE_ME', 'filled'));
    const serverYaml = join(tree.deployDir, 'base', 'server.yaml');
    const original = readFileSync(serverYaml, 'utf8');
    writeFileSync(serverYaml, original.replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'));
    try {
      const r = await run('deploy-k8s.sh', ['dev', '--render-only'], env);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /Deployment\/server container server: readOnlyRootFilesystem must be true/);
      assert.match(r.stderr, /nothing was applied/);
    } finally {
      writeFileSync(serverYaml, original);
    }
  });
});

// The runs are independent (each its own call log), so two run at a time; the offline validation of
// the same staging manifests is cached after the first run.
describe('deploy-k8s.sh and rollback-k8s.sh against a fake kubectl (the cluster path without a cluster)', { skip: noKubectl, concurrency: 2 }, () => {
  const tree = scratchDeployTree();
  const bin = mkdtempSync(join(tmpdir(), 'xiaoyu-fake-kubectl-'));
  let runs = 0;
  const fake = join(REPO_ROOT, 'deploy', 'test', 'fixtures', 'fake-kubectl');
  writeFileSync(join(bin, 'kubectl'), `#!/bin/sh\nexec bash "${fake}" "$@"\n`);
  chmodSync(join(bin, 'kubectl'), 0o755);
  const example = readFileSync(join(tree.deployDir, 'overlays', 'staging', 'secret.example.env'), 'utf8');
  writeFileSync(join(tree.deployDir, 'overlays', 'staging', 'secret.env'), example.replaceAll('CHANGE_ME', 'filled'));
  const prodExample = readFileSync(join(tree.deployDir, 'overlays', 'prod', 'secret.example.env'), 'utf8');
  writeFileSync(join(tree.deployDir, 'overlays', 'prod', 'secret.env'), prodExample.replaceAll('CHANGE_ME', 'filled').replaceAll('CHANGE-ME', 'filled'));
  const base = {
    XIAOYU_DEPLOY_DIR: tree.deployDir,
    PATH: `${bin}:${process.env.PATH}`,
    REAL_KUBECTL: kubectl,
    HEALTH_RETRIES: '2',
    HEALTH_INTERVAL: '0',
    XIAOYU_VALIDATION_CACHE: join(bin, 'validation-cache'),
  };
  /** Runs a script against the fake kubectl; returns its result and the kubectl calls it made. */
  const runFake = async (name, args, env = {}) => {
    const log = join(bin, `calls-${++runs}.log`);
    writeFileSync(log, '');
    const result = await run(name, args, { ...base, FAKE_KUBECTL_LOG: log, ...env });
    return { ...result, calls: readFileSync(log, 'utf8').trim().split('\n') };
  };
  const deploy = (env = {}, args = ['staging']) => runFake('deploy-k8s.sh', args, env);
  after(() => {
    tree.cleanup();
    rmSync(bin, { recursive: true, force: true });
  });

  it('diffs, dry-runs, applies, waits for every rollout, then health-checks, in that order', async () => {
    const r = await deploy();
    assert.equal(r.code, 0, r.stderr);
    const verbs = r.calls.map((c) => c.replace(/ -f \S+/, ' -f FILE').replace(/svc\/server \d+:4000/, 'svc/server PORT:4000'));
    assert.deepEqual(
      verbs.filter((c) => !c.startsWith('kustomize')),
      [
        'config current-context',
        'version --request-timeout=10s',
        'get namespace xiaoyu-ai',
        'diff -f FILE',
        'apply --dry-run=server -f FILE',
        'apply -f FILE',
        '-n xiaoyu-ai rollout status deployment/client --timeout=300s',
        '-n xiaoyu-ai rollout status deployment/server --timeout=300s',
        '-n xiaoyu-ai rollout status deployment/worker --timeout=300s',
        '-n xiaoyu-ai rollout status statefulset/postgres --timeout=300s',
        '-n xiaoyu-ai rollout status statefulset/redis --timeout=300s',
        '-n xiaoyu-ai port-forward svc/server PORT:4000',
      ],
    );
    assert.match(r.stdout, /staging deployed to fake-cluster/);
  });

  it('creates the namespace first on a first deploy, instead of diffing', async () => {
    const r = await deploy({ FAKE_NO_NAMESPACE: '1' });
    assert.equal(r.code, 0, r.stderr);
    const c = r.calls;
    assert.ok(!c.some((x) => x.startsWith('diff')));
    assert.ok(c.indexOf('create namespace xiaoyu-ai') < c.findIndex((x) => x.startsWith('apply --dry-run=server')));
  });

  it('refuses another context than KUBE_CONTEXT before touching the cluster', async () => {
    const r = await deploy({ KUBE_CONTEXT: 'prod-cluster' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /current context is 'fake-cluster' but KUBE_CONTEXT is 'prod-cluster'/);
    assert.ok(!r.calls.some((x) => x.startsWith('apply')));
  });

  it('refuses prod without a terminal unless --yes', async () => {
    const r = await deploy({}, ['prod']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /refusing to deploy prod without a terminal; pass --yes/);
    assert.ok(!r.calls.some((x) => x.startsWith('apply')));
  });

  it('fails with the workload and the rollback command when a rollout does not finish', async () => {
    const r = await deploy({ FAKE_ROLLOUT_FAIL: 'deployment/worker' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /deployment\/worker did not become ready; .* scripts\/rollback-k8s\.sh staging/);
    assert.ok(!r.calls.some((x) => x.includes('port-forward')), 'no health check after a failed rollout');
  });

  it('fails when the deployed server is not ready', async () => {
    const r = await deploy({ FAKE_UNHEALTHY: '1' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /"redis":\{"status":"down"\}/);
    assert.match(r.stderr, /the deployment is unhealthy; roll back with scripts\/rollback-k8s\.sh staging/);
  });

  it('fails when kubectl apply fails', async () => {
    const r = await deploy({ FAKE_APPLY_FAIL: '1' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /kubectl apply failed/);
  });

  it('rollback-k8s.sh undoes server, worker and client to a revision, waits, and health-checks', async () => {
    const r = await runFake('rollback-k8s.sh', ['staging', '7']);
    assert.equal(r.code, 0, r.stderr);
    const c = r.calls;
    for (const d of ['server', 'worker', 'client']) {
      assert.ok(c.includes(`-n xiaoyu-ai rollout undo deployment/${d} --to-revision=7`), d);
      assert.ok(c.includes(`-n xiaoyu-ai rollout status deployment/${d} --timeout=300s`), d);
    }
    assert.match(r.stdout, /staging rolled back/);
  });
});

describe('rollback-k8s.sh', () => {
  it('explains its usage and rejects a non-numeric revision', async () => {
    assert.match((await run('rollback-k8s.sh', [])).stderr, /usage: rollback-k8s\.sh OVERLAY \[REVISION\]/);
    const r = await run('rollback-k8s.sh', ['dev', 'previous']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /REVISION must be a number/);
  });
});

describe('health-check.sh', () => {
  const curl = requireTool('curl');
  let readyAfter = 0;
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    if (req.url === '/api/health/live') return res.writeHead(200).end('{"status":"ok"}');
    if (req.url === '/api/health/ready') {
      const ok = requests > readyAfter;
      return res.writeHead(ok ? 200 : 503).end(ok ? '{"status":"ok"}' : '{"status":"error","error":{"database":{"status":"down"}}}');
    }
    if (req.url === '/') return res.writeHead(200).end('<html></html>');
    return res.writeHead(404).end();
  });
  const listening = new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => server.close());
  const url = async () => (await listening, `http://127.0.0.1:${server.address().port}`);

  it('passes when liveness, readiness and the SPA answer 200', { skip: curl.skip }, async () => {
    curl.check();
    readyAfter = 0;
    const r = await run('health-check.sh', [await url(), '--spa', '--retries', '2', '--interval', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /is healthy/);
  });

  it('waits for readiness while pods settle', { skip: curl.skip }, async () => {
    curl.check();
    requests = 0;
    readyAfter = 3;
    const r = await run('health-check.sh', [await url(), '--retries', '5', '--interval', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /wait readiness answered 503/);
  });

  it('fails, showing the readiness body, when a dependency stays down', { skip: curl.skip }, async () => {
    curl.check();
    requests = 0;
    readyAfter = 1000;
    const r = await run('health-check.sh', [await url(), '--retries', '2', '--interval', '0']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /FAIL readiness/);
    assert.match(r.stderr, /"database":\{"status":"down"\}/);
  });

  it('fails when nothing listens', { skip: curl.skip }, async () => {
    curl.check();
    const r = await run('health-check.sh', ['http://127.0.0.1:9', '--retries', '1', '--interval', '0']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /FAIL liveness/);
  });

  it('rejects a missing URL', async () => {
    assert.equal((await run('health-check.sh', [])).code, 64);
  });
});
