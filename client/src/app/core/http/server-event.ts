/** The `detail` of a problem sent as a Server-Sent Event's JSON data, if it has one. */
export function readDetail(data: string): string | undefined {
  try {
    const parsed = JSON.parse(data) as { detail?: unknown };
    return typeof parsed.detail === 'string' ? parsed.detail : undefined;
  } catch {
    return undefined;
  }
}
