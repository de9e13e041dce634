const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Text no store keeps as it is: PostgreSQL rejects NUL in text and jsonb, and a half of a UTF-16 surrogate pair
 * has no UTF-8 form (it is mangled into U+FFFD or rejected by jsonb). Such input is answered 400, never stored.
 */
export function unstorableTextReason(value: string): string | undefined {
  if (value.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(value)) return 'is not well-formed Unicode (a lone surrogate)';
  return undefined;
}
