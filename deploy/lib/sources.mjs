// Files outside the rendered manifests that the deploy policy holds them to: the Filebeat configuration of elk/,
// the client's nginx template, the server's per-route body limits (@BodyLimit in server/src) and Logstash's inputs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './render.mjs';

export const FILEBEAT_CONFIG_PATH = join(REPO_ROOT, 'elk/filebeat/filebeat.kubernetes.yml');
export const CLIENT_NGINX_TEMPLATE_PATH = join(REPO_ROOT, 'client/nginx/xiaoyu.conf.template');
export const SERVER_SOURCE_DIR = join(REPO_ROOT, 'server/src');
export const NETWORK_POLICY_PATH = join(REPO_ROOT, 'deploy/base/networkpolicy.yaml');
export const LOGSTASH_PIPELINE_PATH = join(REPO_ROOT, 'elk/logstash/pipeline/logstash.conf');
export const LOGSTASH_SETTINGS_PATH = join(REPO_ROOT, 'elk/logstash/config/logstash.yml');

const readIfPresent = (path) => (existsSync(path) ? readFileSync(path, 'utf8') : null);

/** Every `@BodyLimit('64mb')` in the TypeScript sources under `dir` (spec files left out), as { where, limit }. */
export function findBodyLimits(dir = SERVER_SOURCE_DIR) {
  const found = [];
  if (!existsSync(dir)) return found;
  const walk = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        const text = readFileSync(full, 'utf8');
        for (const m of text.matchAll(/@BodyLimit\(\s*(['"`])([^'"`]+)\1\s*\)/g)) {
          const line = text.slice(0, m.index).split('\n').length;
          found.push({ where: `${relative(REPO_ROOT, full)}:${line}`, limit: m[2] });
        }
      }
    }
  };
  walk(dir);
  return found;
}

/**
 * What the size and log-collection checks read besides the manifests: the parsed Filebeat configuration, the
 * client's nginx template and the server's @BodyLimit routes. A file that does not exist is null (its check is skipped).
 */
export function loadDeploySources() {
  const filebeatText = readIfPresent(FILEBEAT_CONFIG_PATH);
  return {
    filebeat: filebeatText === null ? null : parse(filebeatText),
    clientNginxTemplate: readIfPresent(CLIENT_NGINX_TEMPLATE_PATH),
    bodyLimits: findBodyLimits(),
  };
}

/** The texts the port-comment check compares: base/networkpolicy.yaml and Logstash's pipeline and settings. */
export function loadLogstashSources() {
  return {
    networkPolicy: readIfPresent(NETWORK_POLICY_PATH),
    pipeline: readIfPresent(LOGSTASH_PIPELINE_PATH),
    settings: readIfPresent(LOGSTASH_SETTINGS_PATH),
  };
}
