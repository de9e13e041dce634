// Lints a Dockerfile against the container rules of the deploy issue, using dockerfile-utils (syntax
// and instruction checks) and dockerfile-ast (the parsed instructions). Returns violations as strings.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { DockerfileParser } = require('dockerfile-ast');
const { validate, ValidationSeverity } = require('dockerfile-utils');

const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|DATABASE_URL|REDIS_URL/i;
/** A tag that names an exact version (x.y or x.y.z, optionally with a variant) or a digest. */
const PINNED = /^(\d+\.\d+(\.\d+)?)(-[a-z0-9.-]+)?$/;

/** Resolves ${ARG} / $ARG in a FROM image against the ARG defaults declared before the first FROM. */
function resolveImage(image, args) {
  return image.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name) => args.get(name) ?? '');
}

function splitImage(image) {
  const [withoutDigest, digest] = image.split('@');
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return {
    name: colon < 0 ? withoutDigest : withoutDigest.slice(0, colon),
    tag: colon < 0 ? null : withoutDigest.slice(colon + 1),
    digest: digest ?? null,
  };
}

/**
 * @param {string} content the Dockerfile
 * @param {{ healthPath?: string, nodeMajors?: string[], requireInit?: boolean, requireCacheMount?: boolean }} expect
 */
export function dockerfileViolations(content, expect = {}) {
  const v = [];
  for (const d of validate(content)) {
    if (d.severity === ValidationSeverity.ERROR) v.push(`line ${d.range.start.line + 1}: ${d.message}`);
  }
  const dockerfile = DockerfileParser.parse(content);
  const args = new Map(
    dockerfile
      .getInitialARGs()
      .map((a) => a.getProperty())
      .filter(Boolean)
      .map((p) => [p.getName(), p.getValue() ?? '']),
  );
  const froms = dockerfile.getFROMs();
  if (froms.length < 2) v.push('not a multi-stage build (one FROM)');
  const stages = new Set();
  for (const from of froms) {
    const raw = from.getImage() ?? '';
    if (stages.has(raw)) {
      stages.add(from.getBuildStage());
      continue;
    }
    const image = resolveImage(raw, args);
    const { name, tag, digest } = splitImage(image);
    if (!image) v.push(`FROM ${raw}: the base image is empty (ARG without a default?)`);
    else if (!digest && (!tag || tag === 'latest' || !PINNED.test(tag))) v.push(`FROM ${raw} (${image}): base image not pinned to a version`);
    if (expect.nodeMajors && name.endsWith('node')) {
      const major = (tag ?? '').split('.')[0];
      if (!expect.nodeMajors.includes(major)) v.push(`FROM ${image}: Node ${major} is not one of the LTS lines ${expect.nodeMajors.join(', ')}`);
      if (!/slim|alpine/.test(tag ?? '')) v.push(`FROM ${image}: not a slim or alpine variant`);
    }
    if (from.getBuildStage()) stages.add(from.getBuildStage());
  }

  const instructions = dockerfile.getInstructions();
  const lastFrom = froms.at(-1);
  const finalStage = instructions.filter((i) => i.getRange().start.line > (lastFrom?.getRange().start.line ?? -1));

  // Secrets never go in ENV or ARG: they end up in the image history.
  for (const i of instructions) {
    const keyword = i.getKeyword();
    if (keyword === 'ENV' || keyword === 'ARG') {
      for (const p of i.getProperties())
        if (SECRET_NAME.test(p.getName())) v.push(`line ${i.getRange().start.line + 1}: ${keyword} ${p.getName()} looks like a secret`);
    }
    if (keyword === 'ADD' && /https?:\/\//.test(i.getArgumentsContent() ?? ''))
      v.push(`line ${i.getRange().start.line + 1}: ADD from a URL (use a pinned, verified download)`);
  }

  const users = finalStage.filter((i) => i.getKeyword() === 'USER');
  if (users.length === 0) v.push('the final stage has no USER (runs as root)');
  else {
    const user = (users.at(-1).getArgumentsContent() ?? '').trim();
    const uid = user.split(':')[0];
    if (!/^\d+$/.test(uid)) v.push(`USER ${user}: use a numeric UID so runAsNonRoot can verify it`);
    else if (Number(uid) <= 10000) v.push(`USER ${user}: UID must be above 10000 (not shared with host users)`);
  }

  const healthcheck = finalStage.find((i) => i.getKeyword() === 'HEALTHCHECK');
  if (!healthcheck) v.push('the final stage has no HEALTHCHECK');
  else if (expect.healthPath && !(healthcheck.getArgumentsContent() ?? '').includes(expect.healthPath))
    v.push(`HEALTHCHECK does not probe ${expect.healthPath}`);

  if (expect.requireInit) {
    const entrypoint = finalStage.find((i) => i.getKeyword() === 'ENTRYPOINT')?.getArgumentsContent() ?? '';
    if (!/tini|dumb-init/.test(entrypoint)) v.push('ENTRYPOINT does not start an init (tini) to forward signals and reap zombies');
  }
  if (expect.requireCacheMount) {
    const cached = instructions.some(
      (i) =>
        i.getKeyword() === 'RUN' &&
        /npm ci/.test(i.getArgumentsContent() ?? '') &&
        i.getFlags().some((f) => f.getName() === 'mount' && /type=cache/.test(f.getValue() ?? '')),
    );
    if (!cached) v.push('no `npm ci` with a cache mount');
  }
  if (expect.requireOmitDev) {
    const omit = instructions.some((i) => i.getKeyword() === 'RUN' && /npm ci[^&]*--omit=dev/.test(i.getArgumentsContent() ?? ''));
    if (!omit) v.push('no production-only dependency install (npm ci --omit=dev)');
  }
  return v;
}
