/**
 * The journal's pages and its budget in characters: a page is newest first, at most `limit` traces
 * and `maxChars` characters of them (never none while traces remain), and its `next` reads the page
 * after it with nothing skipped or repeated. Past `maxChars` in all the oldest traces go, their ids
 * with them, whatever the ring's size; a resize and a clear keep the count of characters right. A
 * stored trace is the one the journal returns, passed through the redactor it was given.
 */
import { describe, expect, it } from 'vitest';
import { Journal } from './journal.ts';
import { Redactor } from './redactor.ts';
import type { Trace } from './trace.ts';

/** A trace of about `chars` JSON characters. */
const trace = (n: number, chars = 100) => ({ id: `trace-${n}`, note: 'x'.repeat(Math.max(0, chars - 30)) }) as unknown as Trace;
const ids = (traces: readonly Trace[]) => traces.map((t) => Number(t.id.slice('trace-'.length)));

function filled(capacity: number, n: number, options: ConstructorParameters<typeof Journal>[1] = {}, chars = 100): Journal {
  const j = new Journal(capacity, options);
  for (let i = 1; i <= n; i += 1) j.add(trace(i, chars));
  return j;
}

describe('Journal.page', () => {
  // A ring of 5 that saw 8 traces holds 8…4.
  it.each([
    ['the newest', 2, undefined, [8, 7], 7],
    ['before 7', 2, 7, [6, 5], 5],
    ['before 5: the last, no next', 2, 5, [4], undefined],
    ['before a number past the newest: from the newest', 10, 100, [8, 7, 6, 5, 4], undefined],
    ['before the oldest held: none', 10, 4, [], undefined],
    ['before 1: none', 10, 1, [], undefined],
  ] as const)('%s', (_name, limit, before, want, next) => {
    const page = filled(5, 8).page(limit, before);
    expect([ids(page.entries), page.next]).toEqual([want, next]);
  });

  it('stops at maxChars, but never gives an empty page while traces remain', () => {
    const j = filled(10, 6, {}, 1_000);
    const page = j.page(10, undefined, 2_500);
    expect([ids(page.entries), page.next]).toEqual([[6, 5], 5]);
    expect(ids(j.page(10, undefined, 10).entries)).toEqual([6]);
  });

  it('read by `next` to the end: every trace once, newest first, while new ones arrive', () => {
    const j = filled(50, 30);
    const seen: number[] = [];
    let before: number | undefined;
    do {
      const page = j.page(7, before);
      seen.push(...ids(page.entries));
      before = page.next;
      // A trace that arrives meanwhile is on no later page: the cursor names traces, not places.
      j.add(trace(100 + seen.length));
    } while (before !== undefined);
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));
  });
});

describe('the budget in characters', () => {
  it('past maxChars the oldest traces go, and their ids with them', () => {
    const j = filled(100, 20, { maxChars: 5_000 }, 1_000);
    expect(j.size).toBeLessThan(6);
    expect(j.heldChars).toBeLessThanOrEqual(5_000);
    expect(ids(j.list())).toEqual(Array.from({ length: j.size }, (_, i) => 20 - i));
    expect(j.get('trace-1')).toBeUndefined();
    expect(j.get('trace-20')?.id).toBe('trace-20');
    expect(j.total).toBe(20);
  });

  it('one trace larger than the budget is still kept, alone', () => {
    const j = filled(10, 3, { maxChars: 500 }, 1_000);
    expect(ids(j.list())).toEqual([3]);
  });

  it('a resize and a clear keep the count of characters right', () => {
    // What a journal that only ever held these traces counts.
    const countOf = (...ns: number[]) => {
      const fresh = new Journal(10);
      for (const n of ns) fresh.add(trace(n, 1_000));
      return fresh.heldChars;
    };
    const j = filled(10, 10, {}, 1_000);
    j.resize(4);
    expect(j.heldChars).toBe(countOf(7, 8, 9, 10));
    j.resize(8);
    j.add(trace(11, 1_000));
    expect([j.size, j.heldChars]).toEqual([5, countOf(7, 8, 9, 10, 11)]);
    j.clear();
    expect([j.size, j.heldChars, j.total]).toEqual([0, 0, 0]);
  });
});

describe('what is stored', () => {
  it('is what add returns and get finds: the trace passed through the redactor', () => {
    const secret = 's3cr3t-value-of-the-app';
    const j = new Journal(5, { redactor: () => new Redactor(new Map([[secret, ['Acme']]])) });
    const stored = j.add({ id: 'trace-1', note: `iss ${secret}` } as unknown as Trace);
    expect(stored).toEqual({ id: 'trace-1', note: 'iss [redacted: the consumer secret of app Acme]' });
    expect(j.get('trace-1')).toBe(stored);
  });
});
