import { findUnsafeInput, MAX_INPUT_DEPTH } from './unsafe-input';

describe('findUnsafeInput', () => {
  it('accepts ordinary input, including non-Latin text and emoji', () => {
    expect(findUnsafeInput({ topic: '雨夜里的思念 🎵 مرحبا', tags: ['a', 'b'], nested: { n: 1, ok: true, none: null } })).toBeUndefined();
  });

  it('names a string with NUL, with its dotted path', () => {
    expect(findUnsafeInput({ a: { b: ['x', 'y\u0000'] } })).toEqual({ field: 'a.b.1', message: 'a.b.1 contains a NUL character' });
  });

  it('names lone surrogates but accepts proper pairs', () => {
    expect(findUnsafeInput({ topic: 'x\ud800' })?.field).toBe('topic');
    expect(findUnsafeInput({ topic: '\udfffx' })?.field).toBe('topic');
    expect(findUnsafeInput({ topic: '𝄞' })).toBeUndefined();
  });

  it('refuses prototype keys (class-validator would let `constructor` through its whitelist)', () => {
    expect(findUnsafeInput(JSON.parse('{"a":{"__proto__":{"role":"admin"}}}'))?.field).toBe('a.__proto__');
    expect(findUnsafeInput({ constructor: false })?.field).toBe('constructor');
  });

  it('refuses hostile depth without recursion, and accepts depth up to the limit', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
    expect(findUnsafeInput({ notes: deep })?.message).toMatch(/nested more than 32 levels/);
    let fine: unknown = 1;
    for (let i = 0; i < MAX_INPUT_DEPTH - 1; i++) fine = [fine];
    expect(findUnsafeInput({ x: fine })).toBeUndefined();
  });

  it('uses the parameter name as the root for query and path values', () => {
    expect(findUnsafeInput('a\u0000', 'id')).toEqual({ field: 'id', message: 'id contains a NUL character' });
  });
});
