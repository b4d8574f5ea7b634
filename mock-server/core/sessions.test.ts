/**
 * The session store forgets the oldest session first once full, in O(1): the same sessions survive
 * as with a Map that drops its first key, including tokens added twice (which keep their place).
 */
import { describe, expect, it } from 'vitest';
import { type Session, Sessions } from './sessions.ts';

const session = (n: number): Session => ({ userId: `005${n}`, orgId: '00D', app: 'App', issuedAt: n, expiresAt: Number.MAX_SAFE_INTEGER });

/** The plain definition: a Map in insertion order whose first key goes when it grows past capacity. */
class Reference {
  readonly map = new Map<string, Session>();
  constructor(private readonly capacity: number) {}
  add(token: string, s: Session): void {
    this.map.set(token, s);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }
}

describe('Sessions', () => {
  it('forgets the oldest session first once past capacity', () => {
    const store = new Sessions(3);
    for (let i = 1; i <= 5; i += 1) store.add(`t${i}`, session(i));
    expect(store.size).toBe(3);
    expect(store.lookup('t1', 0)).toBe('unknown');
    expect(store.lookup('t2', 0)).toBe('unknown');
    expect(store.lookup('t3', 0)).toEqual(session(3));
    expect(store.lookup('t5', 0)).toEqual(session(5));
  });

  it('keeps a token added again in its first place, as a Map key does', () => {
    const store = new Sessions(2);
    store.add('a', session(1));
    store.add('b', session(2));
    store.add('a', session(3));
    store.add('c', session(4));
    expect(store.lookup('a', 0)).toBe('unknown');
    expect(store.lookup('b', 0)).toEqual(session(2));
    expect(store.lookup('c', 0)).toEqual(session(4));
  });

  it('holds the same sessions as the Map definition through many adds, repeats and evictions', () => {
    for (const capacity of [0, 1, 2, 7, 1_500]) {
      const store = new Sessions(capacity);
      const ref = new Reference(capacity);
      let seed = capacity + 1;
      const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
      for (let i = 0; i < 6_000; i += 1) {
        const token = `t${next() % (capacity * 3 + 3)}`;
        const s = session(i);
        store.add(token, s);
        ref.add(token, s);
        expect(store.size).toBe(ref.map.size);
      }
      for (const [token, s] of ref.map) expect(store.lookup(token, 0)).toBe(s);
    }
  });

  it('answers expired for a session past its timeout, and clear() forgets everything', () => {
    const store = new Sessions();
    store.add('x', { ...session(1), expiresAt: 1_000 });
    expect(store.lookup('x', 999)).toEqual({ ...session(1), expiresAt: 1_000 });
    expect(store.lookup('x', 1_000)).toBe('expired');
    store.clear();
    expect(store.size).toBe(0);
    expect(store.lookup('x', 0)).toBe('unknown');
  });
});
