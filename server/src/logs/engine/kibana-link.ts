import type { LogFilter } from './log-query';

/** The data view id our dashboards define (elk/kibana/dashboards/xiaoyu-logs-data-view.ndjson). */
export const KIBANA_DATA_VIEW_ID = 'xiaoyu-ai-logs';

/** Rison string literal: quotes with '…', escaping ' and ! with !. */
function rison(value: string): string {
  return `'${value.replace(/!/g, '!!').replace(/'/g, "!'")}'`;
}

/** KQL for the same filters the API applies. */
export function toKql(filter: LogFilter): string {
  const q = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const parts: string[] = [];
  if (filter.levels?.length) parts.push(`log.level:(${filter.levels.map(q).join(' or ')})`);
  if (filter.requestId) parts.push(`(http.request.id:${q(filter.requestId)} or reqId:${q(filter.requestId)})`);
  if (filter.route) parts.push(`http.route:${q(filter.route)}`);
  if (filter.userId) parts.push(`user.id:${q(filter.userId)}`);
  if (filter.q?.trim()) parts.push(q(filter.q.trim()));
  return parts.join(' and ');
}

/** A Kibana Discover URL showing the same query and time range. */
export function kibanaDiscoverUrl(kibanaUrl: string, filter: LogFilter, range: { from: string; to: string }): string {
  const base = kibanaUrl.replace(/\/+$/, '');
  const g = `(time:(from:${rison(range.from)},to:${rison(range.to)}))`;
  const a = `(dataSource:(dataViewId:${rison(KIBANA_DATA_VIEW_ID)},type:dataView),query:(language:kuery,query:${rison(toKql(filter))}),sort:!(!('@timestamp',desc)))`;
  return `${base}/app/discover#/?_g=${encodeURIComponent(g)}&_a=${encodeURIComponent(a)}`;
}
