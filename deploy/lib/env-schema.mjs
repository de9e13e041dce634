// Reads the server's ONE configuration schema (server/src/core/config/env.schema.ts) and the extra rules
// its loader enforces (app-config.ts), so the deploy policy follows the schema as it changes.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './render.mjs';

export const ENV_SCHEMA_PATH = join(REPO_ROOT, 'server/src/core/config/env.schema.ts');
export const APP_CONFIG_PATH = join(REPO_ROOT, 'server/src/core/config/app-config.ts');

/**
 * Parses the EnvironmentVariables class: each property is a variable; one without an initializer
 * and without `?` is required.
 */
export function parseEnvSchema(source) {
  const start = source.indexOf('class EnvironmentVariables');
  if (start < 0) throw new Error('env.schema.ts: class EnvironmentVariables not found');
  const body = source.slice(start);
  const variables = new Map();
  const property = /^\s+([A-Z][A-Z0-9_]*)([?!])?\s*(?::\s*([^=;\n]+?))?\s*(=\s*[^;\n]+)?;/gm;
  for (const match of body.matchAll(property)) {
    const [, name, optional, , initializer] = match;
    const literal = initializer?.replace(/^=\s*/, '').trim();
    // An integer, or a product of integers (`48 * 1024 * 1024`), is read as its number.
    const numeric =
      literal !== undefined && /^-?[\d_]+(\s*\*\s*[\d_]+)*$/.test(literal)
        ? literal.split('*').reduce((product, factor) => product * Number(factor.trim().replaceAll('_', '')), 1)
        : undefined;
    variables.set(name, { name, optional: optional === '?', hasDefault: Boolean(initializer), default: numeric ?? literal });
  }
  if (variables.size === 0) throw new Error('env.schema.ts: no variables found');
  return variables;
}

/**
 * The conditional rules of loadConfig(): variables required in production, variables required when a
 * flag is on, and pairs that must be set together.
 */
export function parseConditionalRules(source) {
  const requiredInProduction = [...source.matchAll(/if \(config\.isProduction && !config\.([A-Z][A-Z0-9_]*)\)/g)].map((m) => m[1]);
  const requiredWhen = [...source.matchAll(/if \(config\.([A-Z][A-Z0-9_]*) && !config\.([A-Z][A-Z0-9_]*)\)/g)].map((m) => ({ flag: m[1], variable: m[2] }));
  const pairs = [...source.matchAll(/Boolean\(config\.([A-Z][A-Z0-9_]*)\) !== Boolean\(config\.([A-Z][A-Z0-9_]*)\)/g)].map((m) => [m[1], m[2]]);
  return { requiredInProduction, requiredWhen, pairs };
}

/** The schema of the working tree, or null when the server has not been written yet. */
export function loadEnvSchema() {
  if (!existsSync(ENV_SCHEMA_PATH)) return null;
  const variables = parseEnvSchema(readFileSync(ENV_SCHEMA_PATH, 'utf8'));
  const rules = existsSync(APP_CONFIG_PATH)
    ? parseConditionalRules(readFileSync(APP_CONFIG_PATH, 'utf8'))
    : { requiredInProduction: [], requiredWhen: [], pairs: [] };
  return {
    variables,
    required: [...variables.values()].filter((v) => !v.optional && !v.hasDefault).map((v) => v.name),
    ...rules,
  };
}
