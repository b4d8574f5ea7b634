/**
 * Time and randomness are injected so that every run can be replayed: a clock (milliseconds since
 * the epoch) and a seeded random source for tokens and cookies. Without a seed, randomness comes
 * from node:crypto.
 */
import { randomFillSync, randomInt } from 'node:crypto';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that stands still until moved: for tests. */
export function frozenClock(at: number | Date | string): Clock & { set(t: number | Date | string): void; advance(ms: number): void } {
  let t = new Date(at).getTime();
  return {
    now: () => t,
    set: (next) => {
      t = new Date(next).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface Random {
  /** A string of `length` characters drawn from `alphabet`. */
  string(length: number, alphabet: string): string;
}

/** mulberry32: small, fast and good enough for mock tokens; the same seed gives the same sequence. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    string(length, alphabet) {
      let out = '';
      for (let i = 0; i < length; i += 1) out += alphabet[Math.floor(next() * alphabet.length)];
      return out;
    },
  };
}

// Random bytes drawn from node:crypto a few kilobytes at a time: one call per ~40 tokens, not per character.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

function randomByte(): number {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const b = pool[poolAt] ?? 0;
  poolAt += 1;
  return b;
}

export const cryptoRandom: Random = {
  string(length, alphabet) {
    const n = alphabet.length;
    let out = '';
    if (n > 256) {
      for (let i = 0; i < length; i += 1) out += alphabet[randomInt(n)];
      return out;
    }
    // Rejection sampling keeps every character equally likely: bytes at or above the largest multiple
    // of n are drawn again.
    const limit = 256 - (256 % n);
    while (out.length < length) {
      const b = randomByte();
      if (b < limit) out += alphabet[b % n];
    }
    return out;
  },
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
