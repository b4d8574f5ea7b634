/**
 * The nesting guard: a tree answers at once, a value past the limit gets the path to it, and values
 * built in code that share or loop back on objects end too (a loop is too deep; sharing is not).
 */
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, tooDeepAt } from './json-depth.ts';

const nested = (n: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < n; i += 1) v = [v];
  return v;
};

describe('tooDeepAt', () => {
  it.each([
    ['a scalar', 1, undefined],
    ['lists ending at the limit', { a: nested(MAX_JSON_DEPTH) }, undefined],
    ['lists one past the limit', { a: nested(MAX_JSON_DEPTH + 1) }, ['a', ...Array.from({ length: MAX_JSON_DEPTH }, () => 0)]],
    ['100,000 nested lists', JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), Array.from({ length: MAX_JSON_DEPTH + 1 }, () => 0)],
  ])('%s', (_name, value, path) => {
    expect(tooDeepAt(value)).toEqual(path);
  });

  it('ends on a value that refers to itself, as too deep', () => {
    const loop: Record<string, unknown> = { x: 1 };
    loop['a'] = loop;
    loop['b'] = loop;
    expect(tooDeepAt(loop)).toEqual(Array.from({ length: MAX_JSON_DEPTH + 1 }, () => 'a'));
  });

  it('ends on an object shared so often that its paths number 2^60, and finds it shallow', () => {
    const root: Record<string, unknown> = {};
    let cur = root;
    for (let i = 0; i < 60; i += 1) {
      const next: Record<string, unknown> = {};
      cur['a'] = next;
      cur['b'] = next;
      cur = next;
    }
    expect(tooDeepAt(root)).toBeUndefined();
  });
});
