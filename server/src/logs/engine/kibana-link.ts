import { freeTextQuery, type LogFilter } from './log-query';

/** The data view id our dashboards define (elk/kibana/dashboards/xiaoyu-logs-data-view.ndjson). */
export const KIBANA_DATA_VIEW_ID = 'xiaoyu-ai-logs';

/** A value in Rison (the URL notation of Kibana's app state): strings quoted '…' with ' and ! escaped by !. */
export function rison(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/!/g, '!!').replace(/'/g, "!'")}'`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '!t' : '!f';
  if (value === null || value === undefined) return '!n';
  if (Array.isArray(value)) return `!(${value.map(rison).join(',')})`;
  const entries = Object.entries(value as Record<string, unknown>).map(([key, v]) => `${/^[A-Za-z_][\w.-]*$/.test(key) ? key : rison(key)}:${rison(v)}`);
  return `(${entries.join(',')})`;
}

/** KQL for the filters the API applies besides the free text (whose syntax KQL does not share: see kibanaDiscoverUrl). */
export function toKql(filter: LogFilter): string {
  const q = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const parts: string[] = [];
  if (filter.levels?.length) parts.push(`log.level:(${filter.levels.map(q).join(' or ')})`);
  if (filter.requestId) parts.push(`(http.request.id:${q(filter.requestId)} or reqId:${q(filter.requestId)})`);
  if (filter.route) parts.push(`http.route:${q(filter.route)}`);
  if (filter.userId) parts.push(`user.id:${q(filter.userId)}`);
  return parts.join(' and ');
}

/**
 * A Kibana Discover URL showing the same logs over the same time range: the structured filters as KQL, the free text
 * as a query-DSL filter with the very simple_query_string the API runs (`timeout -health` means timeout and not
 * health there; as KQL it would be one phrase).
 */
export function kibanaDiscoverUrl(kibanaUrl: string, filter: LogFilter, range: { from: string; to: string }): string {
  const base = kibanaUrl.replace(/\/+$/, '');
  const q = filter.q?.trim();
  const filters = q
    ? [{ meta: { alias: `text: ${q}`, disabled: false, negate: false, type: 'custom', key: 'query' }, query: freeTextQuery(q), $state: { store: 'appState' } }]
    : [];
  const g = rison({ time: { from: range.from, to: range.to } });
  const a = rison({
    dataSource: { dataViewId: KIBANA_DATA_VIEW_ID, type: 'dataView' },
    filters,
    query: { language: 'kuery', query: toKql(filter) },
    sort: [['@timestamp', 'desc']],
  });
  return `${base}/app/discover#/?_g=${encodeURIComponent(g)}&_a=${encodeURIComponent(a)}`;
}
