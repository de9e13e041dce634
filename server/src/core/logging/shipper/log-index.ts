import { createHash } from 'node:crypto';
import { indexPattern } from './log-record';

/**
 * The index template and ILM policy for shipped logs: daily indices `${prefix}-logs-YYYY.MM.DD`
 * (a document's index follows from its own @timestamp, so a replay of the same `_id` always meets the
 * original and gets 409 — a data stream would roll over and could take the copy). ECS field types.
 */

const keyword = { type: 'keyword', ignore_above: 1024 };

/** ECS mappings of the fields our logs carry; any other string becomes a keyword (dynamic template). */
export const LOG_MAPPINGS = {
  dynamic_templates: [{ strings_as_keyword: { match_mapping_type: 'string', mapping: keyword } }],
  properties: {
    '@timestamp': { type: 'date' },
    message: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 512 } } },
    tags: keyword,
    reqId: keyword,
    ecs: { properties: { version: keyword } },
    log: { properties: { level: keyword, logger: keyword } },
    service: { properties: { name: keyword, version: keyword, environment: keyword } },
    host: { properties: { hostname: keyword, name: keyword } },
    process: { properties: { pid: { type: 'long' } } },
    event: { properties: { duration: { type: 'long' }, dataset: keyword } },
    http: {
      properties: {
        route: keyword,
        request: { properties: { id: keyword, method: keyword } },
        response: { properties: { status_code: { type: 'short' }, body: { properties: { bytes: { type: 'long' } } } } },
      },
    },
    url: { properties: { path: keyword, full: keyword } },
    user: { properties: { id: keyword, email: keyword } },
    user_agent: { properties: { original: keyword } },
    client: { properties: { address: keyword } },
    error: {
      properties: {
        type: keyword,
        message: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 512 } } },
        stack_trace: { type: 'keyword', index: false, doc_values: false },
      },
    },
  },
} as const;

export function policyName(prefix: string): string {
  return `${prefix}-logs-policy`;
}

export function templateName(prefix: string): string {
  return `${prefix}-logs`;
}

/** Hot until `retentionDays`, then deleted (daily indices: no rollover needed). */
export function ilmPolicyBody(retentionDays: number) {
  const policy = {
    phases: {
      hot: { min_age: '0ms', actions: { set_priority: { priority: 100 } } },
      delete: { min_age: `${retentionDays}d`, actions: { delete: {} } },
    },
  };
  return { policy: { ...policy, _meta: { managed_by: 'xiaoyu-ai', hash: hashOf(policy) } } };
}

export function indexTemplateBody(prefix: string) {
  const template = {
    settings: {
      'index.lifecycle.name': policyName(prefix),
      'index.number_of_shards': 1,
      // 0 replicas on a single node (green), 1 as soon as a second node exists
      'index.auto_expand_replicas': '0-1',
      'index.refresh_interval': '5s',
      'index.mapping.total_fields.limit': 2000,
      'index.mapping.ignore_malformed': true,
    },
    mappings: LOG_MAPPINGS,
  };
  return {
    index_patterns: [indexPattern(prefix)],
    priority: 200,
    template,
    _meta: { managed_by: 'xiaoyu-ai', hash: hashOf(template) },
  };
}

/** A stable digest of a definition, kept in `_meta`, so start-up rewrites it only when it changed. */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}
