/** Human-readable figures for the AIOps page. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const sign = bytes < 0 ? '−' : '';
  return `${sign}${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${UNITS[unit]}`;
}

/** A duration in the largest sensible unit: "45 s", "12 min", "3.5 h", "9 days". */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${(s / 3600).toFixed(1)} h`;
  return `${Math.round(s / 86400)} days`;
}

/** A value in a series' unit. */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return '—';
  if (unit === 'bytes') return formatBytes(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en');
  return String(Math.round(value * 1000) / 1000);
}

export function unitOf(metric: string): string {
  if (metric.endsWith('_bytes')) return 'bytes';
  if (metric.endsWith('_seconds')) return 's';
  if (metric.endsWith('_ratio')) return 'ratio';
  return '';
}
