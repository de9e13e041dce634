import type { NewAlert, SilenceRow } from '../aiops.repository';

/** The fields a silence can match on: alert name, component, severity, source, or any label. */
export function silenceMatches(silence: SilenceRow, alert: NewAlert): boolean {
  return Object.entries(silence.matchers).every(([field, value]) => {
    if (field === 'name' || field === 'component' || field === 'severity' || field === 'source') return alert[field] === value;
    return alert.labels[field] === value;
  });
}

export function silencing(silences: SilenceRow[], alert: NewAlert): string | null {
  return silences.find((s) => silenceMatches(s, alert))?.id ?? null;
}
