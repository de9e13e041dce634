// Offline validation of rendered objects against the Kubernetes OpenAPI schemas shipped by the
// kubernetes-models package (4.x, Kubernetes 1.3x):
//  1. its compiled JSON-schema validators catch wrong types, missing required fields, bad quantities
//     and enum values, but accept misspelt field names;
//  2. so the same objects are also type-checked as TypeScript object literals against the package's
//     interfaces, where excess-property checking rejects every field the schema does not define.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO_ROOT } from './render.mjs';

const require = createRequire(import.meta.url);

/** The kubernetes-models module for an apiVersion/kind, e.g. apps/v1 Deployment -> kubernetes-models/apps/v1/Deployment. */
export function modelModule(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return null;
  const parts = apiVersion.split('/');
  const path = parts.length === 1 ? `v1/${kind}` : `${parts[0]}/${parts[1]}/${kind}`;
  if (parts.length === 1 && apiVersion !== 'v1') return null;
  return `kubernetes-models/${path}`;
}

export function describeObject(obj) {
  return `${obj?.kind ?? '?'}/${obj?.metadata?.name ?? '?'}`;
}

/**
 * kubectl kustomize wraps long base64 values of Secrets over several lines; the API server's decoder
 * skips the newlines, the schema's "byte" format does not.
 */
function normalizeForSchema(obj) {
  if (obj.kind !== 'Secret' || !obj.data) return obj;
  const data = Object.fromEntries(Object.entries(obj.data).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/\n/g, '') : v]));
  return { ...obj, data };
}

/** API versions that kubernetes-models still ships but current clusters no longer serve. */
const REMOVED_API_VERSIONS = {
  'extensions/v1beta1': '1.22',
  'networking.k8s.io/v1beta1': '1.22',
  'policy/v1beta1': '1.25',
  'batch/v1beta1': '1.25',
  'autoscaling/v2beta1': '1.25',
  'autoscaling/v2beta2': '1.26',
  'flowcontrol.apiserver.k8s.io/v1beta1': '1.26',
  'flowcontrol.apiserver.k8s.io/v1beta2': '1.29',
};

/** JSON-schema validation; returns error strings (empty when valid). */
export function schemaErrors(obj) {
  const id = describeObject(obj);
  const modulePath = modelModule(obj?.apiVersion, obj?.kind);
  if (!modulePath) return [`${id}: missing or malformed apiVersion/kind`];
  if (REMOVED_API_VERSIONS[obj.apiVersion]) {
    return [`${id}: ${obj.apiVersion} was removed in Kubernetes ${REMOVED_API_VERSIONS[obj.apiVersion]}`];
  }
  let Model;
  try {
    Model = require(modulePath)[obj.kind];
  } catch {
    return [`${id}: no schema for ${obj.apiVersion} ${obj.kind} (unknown kind or API version)`];
  }
  if (typeof Model !== 'function') return [`${id}: no schema for ${obj.apiVersion} ${obj.kind}`];
  try {
    new Model(normalizeForSchema(obj)).validate();
    return [];
  } catch (error) {
    return [`${id}: ${error.message}`];
  }
}

let ts;
function typescript() {
  ts ??= require('typescript');
  return ts;
}

/**
 * Type-checks every object against its kubernetes-models interface; returns error strings naming the
 * object and the TypeScript diagnostic (unknown fields show as "Object literal may only specify known
 * properties, and 'X' does not exist in type 'Y'").
 */
export function unknownFieldErrors(objects) {
  const t = typescript();
  const imports = new Map();
  const lines = [];
  const ranges = [];
  objects.forEach((obj, index) => {
    const modulePath = modelModule(obj?.apiVersion, obj?.kind);
    if (!modulePath) return;
    try {
      require.resolve(modulePath);
    } catch {
      return; // schemaErrors reports unknown kinds
    }
    if (!imports.has(modulePath)) imports.set(modulePath, `T${imports.size}`);
    const start = lines.length;
    const body = JSON.stringify(obj, null, 2).split('\n');
    lines.push(`export const o${index}: ${imports.get(modulePath)} = ${body[0]}`, ...body.slice(1));
    ranges.push({ start, end: lines.length - 1, obj });
  });
  const header = [...imports].map(([modulePath, alias]) => {
    const kind = modulePath.split('/').pop();
    return `import type { I${kind} as ${alias} } from '${modulePath}';`;
  });
  const source = [...header, ...lines].join('\n');
  const offset = header.length;

  const fileName = join(REPO_ROOT, 'deploy', 'lib', '__rendered_objects__.ts');
  const options = {
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    target: t.ScriptTarget.ES2022,
    module: t.ModuleKind.CommonJS,
    moduleResolution: t.ModuleResolutionKind.Node10,
    types: [],
  };
  const host = t.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, ...rest) =>
    name === fileName ? t.createSourceFile(name, source, languageVersion, true) : getSourceFile(name, languageVersion, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = t.createProgram([fileName], options, host);
  const checker = program.getTypeChecker();
  const sourceFile = program.getSourceFile(fileName);
  const located = (node, message) => {
    const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line - offset;
    const range = ranges.find((r) => line >= r.start && line <= r.end);
    const text = sourceFile.text.split('\n')[line + offset]?.trim();
    return range ? `${describeObject(range.obj)}: ${message} (at ${text})` : message;
  };

  // Unknown fields: every property of every object literal must exist on its contextual type. This
  // finds all of them, where TypeScript's excess-property error stops at the first one per literal.
  const errors = [];
  const visit = (node) => {
    if (t.isObjectLiteralExpression(node)) {
      const contextual = checker.getContextualType(node);
      if (contextual) {
        const members = (contextual.isUnion() ? contextual.types : [contextual]).filter((m) => (m.flags & t.TypeFlags.Object) !== 0);
        const open = members.length === 0 || members.some((m) => checker.getIndexInfosOfType(m).length > 0);
        if (!open) {
          for (const property of node.properties) {
            if (!t.isPropertyAssignment(property)) continue;
            const name = t.isStringLiteral(property.name) ? property.name.text : property.name.getText(sourceFile);
            if (!members.some((m) => checker.getPropertyOfType(m, name))) {
              const typeName = members.map((m) => checker.typeToString(m)).join(' | ');
              errors.push(located(property, `unknown field "${name}" in ${typeName}`));
            }
          }
        }
      }
    }
    t.forEachChild(node, visit);
  };
  visit(sourceFile);

  // Other type errors (wrong primitive types, bad enum values); excess-property errors are reported above.
  const EXCESS_PROPERTY = new Set([2353, 2561]);
  for (const d of [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)]) {
    if (EXCESS_PROPERTY.has(d.code)) continue;
    const message = t.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0];
    if (d.file && d.start !== undefined) {
      const node = t.getTokenAtPosition ? t.getTokenAtPosition(d.file, d.start) : null;
      errors.push(node ? located(node, message) : message);
    } else {
      errors.push(message);
    }
  }
  return errors;
}

/** Both checks over a list of objects. */
export function validationErrors(objects) {
  return [...objects.flatMap(schemaErrors), ...unknownFieldErrors(objects)];
}
