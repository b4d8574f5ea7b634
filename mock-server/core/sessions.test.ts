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

  it('answers expired for a session idle past its timeout, and clear() forgets everything', () => {
    const store = new Sessions();
    // Issued at 0 with a 1,000 ms timeout; unused, it ends at 1,000.
    store.add('x', { ...session(0), issuedAt: 0, expiresAt: 1_000 });
    expect(store.lookup('x', 499)).toEqual({ ...session(0), issuedAt: 0, expiresAt: 1_000 });
    expect(store.lookup('x', 1_000)).toBe('expired');
    store.clear();
    expect(store.size).toBe(0);
    expect(store.lookup('x', 0)).toBe('unknown');
  });

  // Timeout 30 minutes (Session Settings' own example): the minutes of each use, then the minute asked and the answer.
  it.each<[string, number[], number, 'live' | 'expired']>([
    ['unused: live at 29', [], 29, 'live'],
    ['unused: ended at 30', [], 30, 'expired'],
    ['used at 10 (before half): still ends at 30', [10], 30, 'expired'],
    ['used at 20 (past half): live at 49', [20], 49, 'live'],
    ['used at 20: ends at 50', [20], 50, 'expired'],
    ['used at 15 (exactly half): ends at 45', [15], 45, 'expired'],
    ['used at 15: live at 44', [15], 44, 'live'],
    ['used at 20 and 30 (30 is under half past 20): ends at 50', [20, 30], 50, 'expired'],
    ['used at 20 and 40: live at 69, as 40 refreshed it', [20, 40], 69, 'live'],
    ['used at 31 (already ended): stays ended', [31], 32, 'expired'],
  ])('inactivity: %s', (_name, uses, at, answer) => {
    const min = 60_000;
    const store = new Sessions();
    store.add('t', { userId: '005', orgId: '00D', app: 'App', issuedAt: 0, expiresAt: 30 * min });
    for (const u of uses) store.lookup('t', u * min);
    const looked = store.lookup('t', at * min);
    expect(typeof looked === 'string' ? looked : 'live').toBe(answer);
  });

  it('revoke ends one session (expired ones answer expired), endUser every session of a user (15- or 18-character Id)', () => {
    const store = new Sessions();
    store.add('a', { userId: '005000000000001AAA', orgId: '00D', app: 'App', issuedAt: 0, expiresAt: 1_000 });
    store.add('b', { userId: '005000000000001AAA', orgId: '00D', app: 'App', issuedAt: 0, expiresAt: 1_000 });
    store.add('c', { userId: '005000000000002AAA', orgId: '00D', app: 'App', issuedAt: 0, expiresAt: 1_000 });
    store.add('d', { userId: '005000000000002AAA', orgId: '00D', app: 'App', issuedAt: 0, expiresAt: 1_000 });
    expect(store.revoke('d', 1_000)).toBe('expired');
    expect(store.revoke('d', 0)).toBe('unknown');
    expect(store.revoke('c', 0)).toMatchObject({ userId: '005000000000002AAA' });
    expect(store.lookup('c', 0)).toBe('unknown');
    expect(store.endUser('005000000000001')).toBe(2);
    expect([store.lookup('a', 0), store.lookup('b', 0), store.size]).toEqual(['unknown', 'unknown', 0]);
  });

  it('stays within capacity when sessions ended early come up for eviction', () => {
    const store = new Sessions(2);
    store.add('a', session(1));
    store.add('b', session(2));
    store.revoke('a', 0);
    store.add('c', session(3));
    store.add('d', session(4));
    expect(store.size).toBe(2);
    expect([store.lookup('b', 0), store.lookup('c', 0), store.lookup('d', 0)]).toEqual(['unknown', session(3), session(4)]);
  });
});
