/**
 * `text` cut to at most `maxChars` characters, with an ellipsis when cut. Counted in code points, so that an emoji or
 * a rare CJK character is never split in half (half of a surrogate pair is refused by PostgreSQL's jsonb).
 */
export function shorten(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length > maxChars ? `${chars.slice(0, maxChars - 1).join('')}…` : text;
}
