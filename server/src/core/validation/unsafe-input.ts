import { unstorableTextReason } from './unstorable-text';

/** Deeper than any request this API documents; parsing and validating deeper input only costs stack. */
export const MAX_INPUT_DEPTH = 32;

/** Keys that reach an object's prototype once assigned (class-validator's whitelist also lets `constructor` through). */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface UnsafeInput {
  field: string;
  message: string;
}

/**
 * The first part of a request value (body, query or path) no handler should see: text with NUL or lone surrogates,
 * a prototype key, or nesting deeper than MAX_INPUT_DEPTH. Iterative, so hostile depth cannot overflow the stack.
 */
export function findUnsafeInput(value: unknown, root = ''): UnsafeInput | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length) {
    const { value: current, path, depth } = stack.pop()!;
    const label = path || 'the request';
    if (typeof current === 'string') {
      const reason = unstorableTextReason(current);
      if (reason) return { field: path || 'body', message: `${label} ${reason}` };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return { field: path || 'body', message: `${label} is nested more than ${MAX_INPUT_DEPTH} levels deep` };
    for (const key of Object.keys(current)) {
      const field = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) return { field, message: `${field} is not an allowed name` };
      const reason = unstorableTextReason(key);
      if (reason) return { field, message: `the name of ${field} ${reason}` };
      stack.push({ value: (current as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return undefined;
}
