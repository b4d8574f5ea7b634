/**
 * The journal's ring: newest first, bounded, looked up by id; resized while it runs (the journalSize
 * knob) it keeps the newest traces that fit, forgets the ids of those it drops, keeps its total, and
 * goes on filling in order from there.
 */
import { describe, expect, it } from 'vitest';
import { Journal } from './journal.ts';
import type { Trace } from './trace.ts';

const trace = (n: number) => ({ id: `trace-${n}` }) as Trace;
const ids = (j: Journal) => j.list().map((t) => t.id);

function filled(capacity: number, n: number): Journal {
  const j = new Journal(capacity);
  for (let i = 1; i <= n; i += 1) j.add(trace(i));
  return j;
}

describe('Journal.resize', () => {
  it.each([
    ['smaller, full and wrapped', 4, 7, 2, ['trace-7', 'trace-6']],
    ['smaller, not full', 10, 3, 2, ['trace-3', 'trace-2']],
    ['smaller than it holds, by one', 5, 5, 4, ['trace-5', 'trace-4', 'trace-3', 'trace-2']],
    ['larger, wrapped', 3, 5, 6, ['trace-5', 'trace-4', 'trace-3']],
    ['to the same size', 3, 5, 3, ['trace-5', 'trace-4', 'trace-3']],
    ['to 1', 3, 2, 1, ['trace-2']],
    ['empty', 3, 0, 1, []],
  ])('%s: keeps the newest that fit, and the total', (_name, capacity, n, to, kept) => {
    const j = filled(capacity, n);
    j.resize(to);
    expect(ids(j)).toEqual(kept);
    expect(j.size).toBe(kept.length);
    expect(j.total).toBe(n);
    for (let i = 1; i <= n; i += 1) expect(j.get(`trace-${i}`)?.id, `trace-${i}`).toBe(kept.includes(`trace-${i}`) ? `trace-${i}` : undefined);
  });

  it('then fills in order: never more than the new size, newest first', () => {
    const j = filled(4, 7);
    j.resize(2);
    j.add(trace(8));
    expect(ids(j)).toEqual(['trace-8', 'trace-7']);
    expect(j.get('trace-6')).toBeUndefined();
    j.resize(5);
    for (let i = 9; i <= 12; i += 1) j.add(trace(i));
    expect(ids(j)).toEqual(['trace-12', 'trace-11', 'trace-10', 'trace-9', 'trace-8']);
    expect(j.get('trace-7')).toBeUndefined();
    expect(j.total).toBe(12);
  });
});
