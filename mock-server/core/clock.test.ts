/**
 * Time and randomness. Waits: the system clock really waits, a frozen clock's waits end at once
 * without moving time, a manual clock's end only when the test moves it past them. Randomness for
 * tokens and cookies: the seeded source replays, and the node:crypto one (drawn from a pool of
 * random bytes) gives strings of the asked length over the whole alphabet, evenly.
 */
import { describe, expect, it } from 'vitest';
import { cryptoRandom, frozenClock, manualClock, seededRandom, systemClock } from './clock.ts';

const AT = Date.parse('2026-03-01T12:00:00Z');
const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('waiting on a clock', () => {
  it('the system clock waits real time', async () => {
    const start = performance.now();
    await systemClock.sleep?.(40);
    expect(performance.now() - start).toBeGreaterThanOrEqual(35);
  });

  it('a frozen clock ends a wait at once and stands still', async () => {
    const clock = frozenClock(AT);
    expect(await settled(clock.sleep?.(3_600_000) ?? Promise.reject(new Error('no sleep')))).toBe(true);
    expect(clock.now()).toBe(AT);
  });

  it('a manual clock ends waits when moved past them, earliest first', async () => {
    const clock = manualClock(AT);
    const order: string[] = [];
    const long = clock.sleep(2_000).then(() => order.push('long'));
    const short = clock.sleep(500).then(() => order.push('short'));
    expect(clock.waiting).toBe(2);
    clock.advance(499);
    expect([await settled(long), await settled(short)]).toEqual([false, false]);
    clock.set(AT + 2_000);
    await Promise.all([long, short]);
    expect(order).toEqual(['short', 'long']);
    expect([clock.waiting, clock.now()]).toEqual([0, AT + 2_000]);
    expect(await settled(clock.sleep(0))).toBe(true);
  });
});

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

describe('random sources', () => {
  it('seededRandom gives the same strings for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect(a.string(94, TOKEN_ALPHABET)).toBe(b.string(94, TOKEN_ALPHABET));
    expect(seededRandom(1).string(22, TOKEN_ALPHABET)).not.toBe(seededRandom(2).string(22, TOKEN_ALPHABET));
  });

  for (const alphabet of [TOKEN_ALPHABET, TOKEN_ALPHABET.slice(0, 62), 'abc', 'x']) {
    it(`cryptoRandom draws ${alphabet.length} characters evenly`, () => {
      const counts = new Map<string, number>();
      const n = 3_000;
      for (let i = 0; i < n; i += 1) {
        const s = cryptoRandom.string(94, alphabet);
        expect(s).toHaveLength(94);
        for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
      }
      expect([...counts.keys()].sort()).toEqual([...alphabet].sort());
      const expected = (n * 94) / alphabet.length;
      // Far looser than any real bias (a byte % 62 without rejection would skew the first characters by 4%).
      for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.08);
    });
  }

  it('cryptoRandom handles alphabets longer than 256 characters', () => {
    const big = Array.from({ length: 300 }, (_, i) => String.fromCharCode(0x100 + i)).join('');
    const s = cryptoRandom.string(50, big);
    expect(s).toHaveLength(50);
    for (const c of s) expect(big).toContain(c);
  });
});
