// The import rules of docs/architecture.md, as one ESLint rule (`architecture/boundaries`).
//
// server/src:  core never imports a feature; a feature reaches another feature only through its public surface
//              (<feature>.module.ts, *.service.ts at the feature's root, dto/, engine/); an engine imports no Nest
//              package and no feature's non-engine code; nothing under src imports test, bench or eval code.
// client/src/app: core and shared never import a feature; a feature never imports another feature; application
//              code never imports the test helpers in client/src/testing.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** Where a repository-relative path sits in the architecture, or null outside the checked trees. */
export function placeOf(path) {
  const parts = path.split('/');
  if (parts[0] === 'server') {
    if (['test', 'bench', 'eval'].includes(parts[1])) return { side: 'server', layer: 'harness' };
    if (parts[1] !== 'src' || parts.length < 4 || parts[2] === 'bin') return parts[1] === 'src' ? { side: 'server', layer: 'app' } : null;
    if (parts[2] === 'core') return { side: 'server', layer: 'core' };
    const inside = parts.slice(3);
    const isPublic =
      (inside.length === 1 && (inside[0] === `${parts[2]}.module.ts` || inside[0].endsWith('.service.ts'))) || inside[0] === 'dto' || inside[0] === 'engine';
    return { side: 'server', layer: 'feature', feature: parts[2], isPublic, isEngine: inside[0] === 'engine' };
  }
  if (parts[0] === 'client' && parts[1] === 'src') {
    if (parts[2] === 'testing') return { side: 'client', layer: 'harness' };
    if (parts[2] !== 'app' || parts.length < 5) return { side: 'client', layer: 'app' };
    if (['core', 'shared', 'api'].includes(parts[3])) return { side: 'client', layer: parts[3] };
    return { side: 'client', layer: 'feature', feature: parts[3] };
  }
  return null;
}

/** Why importing `to` from `from` breaks the architecture, or null when it is allowed. */
export function violation(from, to, specifier) {
  if (from.isEngine && /^@nestjs\//.test(specifier)) return 'an engine is pure TypeScript: it imports no Nest package';
  if (!to) return null;
  if (to.layer === 'harness' && from.layer !== 'harness' && !from.isSpec) return `application code never imports test code (${specifier})`;
  if ((from.layer === 'core' || from.layer === 'shared') && to.layer === 'feature') return `${from.layer} never imports a feature (${to.feature})`;
  if (from.layer !== 'feature' || to.layer !== 'feature') return null;
  if (from.isEngine && !to.isEngine) return 'an engine imports only engines, never a service, repository or controller';
  if (from.feature === to.feature) return null;
  if (from.side === 'client') return `a page feature never imports another feature (${to.feature}); move what both need to core/ or shared/`;
  if (!to.isPublic) return `feature ${from.feature} reaches into ${to.feature}'s internals; use its module, service, dto or engine`;
  return null;
}

/** The repository-relative file a relative import names (`./x` → x.ts, `./dir` → dir/index.ts). */
function moduleFile(absolute) {
  const file =
    existsSync(absolute) && statSync(absolute).isDirectory() ? join(absolute, 'index.ts') : /\.[cm]?[jt]s$/.test(absolute) ? absolute : `${absolute}.ts`;
  return relative(root, file).split(sep).join('/');
}

const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Import boundaries of docs/architecture.md' },
    schema: [],
    messages: { boundary: '{{reason}} (docs/architecture.md)' },
  },
  create(context) {
    const file = relative(root, context.filename).split(sep).join('/');
    const from = placeOf(file);
    if (!from) return {};
    from.isSpec = /\.(e2e-)?spec\.ts$/.test(file);
    const check = (node) => {
      const specifier = node.source?.value;
      if (typeof specifier !== 'string') return;
      const to = specifier.startsWith('.') ? placeOf(moduleFile(resolve(dirname(context.filename), specifier))) : null;
      const reason = violation(from, to, specifier);
      if (reason) context.report({ node: node.source, messageId: 'boundary', data: { reason } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default { rules: { boundaries } };
