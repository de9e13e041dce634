// Everything the client build imports is in Dockerfile.client's build context: a relative import that leaves client/
// (the shared clock lives in the server's engine) must be copied into the build stage, or `ng build` fails in the image.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REPO_ROOT } from '../lib/render.mjs';

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Repository paths (without extension) that client sources import from outside client/. */
function importsOutsideClient() {
  const found = new Set();
  for (const file of sources(join(REPO_ROOT, 'client', 'src'))) {
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = relative(REPO_ROOT, resolve(dirname(file), specifier));
      if (!target.startsWith('client/')) found.add(target);
    }
  }
  return [...found];
}

/** Source paths the build stage (before the first second FROM) copies into /app. */
function buildStageCopies(dockerfile) {
  const build = dockerfile.split(/^FROM /m)[1] ?? '';
  return [...build.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap(([, args]) => args.trim().split(/\s+/).slice(0, -1));
}

describe('Dockerfile.client build context', () => {
  it('copies every file the client imports from outside client/', () => {
    const copies = buildStageCopies(readFileSync(join(REPO_ROOT, 'Dockerfile.client'), 'utf8'));
    const missing = importsOutsideClient().filter(
      (target) => !copies.some((source) => `${target}.ts` === source || target.startsWith(source.replace(/\/?$/, '/'))),
    );
    assert.deepEqual(missing, []);
  });

  it('finds imports that leave client/ (the check can fail)', () => {
    assert.ok(importsOutsideClient().includes('server/src/ensemble/engine/shared-clock'));
  });
});
