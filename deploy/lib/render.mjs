// Renders the kustomize overlays offline with `kubectl kustomize`, on a scratch copy of deploy/ whose
// secret.env files come from the committed secret.example.env (a real secret.env is never read).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, copyFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEPLOY_DIR = join(REPO_ROOT, 'deploy');
export const OVERLAYS = ['dev', 'staging', 'prod'];
export const NAMESPACE = 'xiaoyu-ai';

/** The absolute path of kubectl (KUBECTL, PATH, or the usual places); null when absent. */
export function findKubectl() {
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'kubectl'));
  for (const candidate of [process.env.KUBECTL, ...onPath, '/usr/bin/kubectl', '/usr/local/bin/kubectl']) {
    if (!candidate || !isAbsolute(candidate) || !existsSync(candidate)) continue;
    try {
      execFileSync(candidate, ['version', '--client'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next one
    }
  }
  return null;
}

/** Parses a multi-document YAML string; throws on the first syntax error. */
export function parseYamlDocuments(text, source = 'input') {
  const objects = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}

/** A scratch copy of deploy/ with every overlay's secret.env taken from its secret.example.env. */
export function scratchDeployTree() {
  const root = mkdtempSync(join(tmpdir(), 'xiaoyu-deploy-'));
  cpSync(DEPLOY_DIR, join(root, 'deploy'), {
    recursive: true,
    filter: (src) => !src.endsWith('secret.env') && !src.includes(`${join('deploy', 'test')}`),
  });
  for (const overlay of readdirSync(join(root, 'deploy', 'overlays'))) {
    const dir = join(root, 'deploy', 'overlays', overlay);
    const example = join(dir, 'secret.example.env');
    if (existsSync(example)) copyFileSync(example, join(dir, 'secret.env'));
  }
  return { root, deployDir: join(root, 'deploy'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Runs `kubectl kustomize DIR` and returns { yaml, objects }. */
export function kustomize(kubectl, dir) {
  const yaml = execFileSync(kubectl, ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { yaml, objects: parseYamlDocuments(yaml, dir) };
}

const cache = new Map();
/** Renders one overlay (cached per process). */
export function renderOverlay(kubectl, overlay) {
  if (!kubectl) throw new Error('kubectl is not installed: it renders the overlays (kubectl 1.27+ with kustomize v5)');
  if (!cache.has(overlay)) {
    const tree = scratchDeployTree();
    try {
      cache.set(overlay, kustomize(kubectl, join(tree.deployDir, 'overlays', overlay)));
    } finally {
      tree.cleanup();
    }
  }
  return cache.get(overlay);
}

/** Writes objects to a kustomization directory of their own (for negative fixtures). */
export function writeManifestDir(objectsYaml) {
  const dir = mkdtempSync(join(tmpdir(), 'xiaoyu-fixture-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'objects.yaml'), objectsYaml);
  return dir;
}

/**
 * A required external tool. Missing locally: `skip` holds the reason (for the test's skip option).
 * Missing in CI (CI=true): `skip` is false and `check()` throws, so every test that needs it fails.
 * Returns { path, skip, check }.
 */
export function requireTool(name, versionArgs = ['--version'], found = undefined) {
  let path = found;
  if (path === undefined) {
    try {
      execFileSync(name, versionArgs, { stdio: 'ignore' });
      path = name;
    } catch {
      path = null;
    }
  }
  const reason = `${name} is not installed (apt-get install -y ${name})`;
  if (path) return { path, skip: false, check: () => {} };
  if (process.env.CI === 'true')
    return {
      path: null,
      skip: false,
      check: () => {
        throw new Error(`${reason}: required in CI`);
      },
    };
  return { path: null, skip: reason, check: () => {} };
}

/** kubectl (with its built-in kustomize) as a required tool. */
export function requireKubectl() {
  const gate = requireTool('kubectl', ['version', '--client'], findKubectl());
  return gate.path
    ? gate
    : { ...gate, skip: gate.skip && `${gate.skip.replace(/ \(apt-get.*\)/, '')} (kubectl 1.27+ with kustomize v5 is needed to render the overlays)` };
}
