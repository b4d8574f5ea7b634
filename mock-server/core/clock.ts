/**
 * Time and randomness are injected so that every run can be replayed: a clock (milliseconds since
 * the epoch, and a way to wait on it) and a seeded random source for tokens and cookies. The system
 * clock really waits; a frozen clock stands still and its waits take no time; a manual clock's waits
 * end only when a test moves it on. Without a seed, randomness comes from node:crypto.
 */
import { randomFillSync, randomInt } from 'node:crypto';

export interface Clock {
  now(): number;
  /** Resolves once `ms` have passed on this clock. Without it, waits take real time. */
  sleep?(ms: number): Promise<void>;
}

/** Waits `ms` of real time. */

/** Waits `ms` of real time. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const systemClock: Clock = { now: () => Date.now(), sleep };

/** A clock that stands still until moved: for tests. Time does not pass while it waits, so a wait ends at once. */
export function frozenClock(at: number | Date | string): Clock & { set(t: number | Date | string): void; advance(ms: number): void } {
  let t = new Date(at).getTime();
  return {
    now: () => t,
    sleep: () => Promise.resolve(),
    set: (next) => {
      t = new Date(next).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface ManualClock extends Clock {
  sleep(ms: number): Promise<void>;
  set(t: number | Date | string): void;
  /** Moves time on, ending every wait that is due by then. */
  advance(ms: number): void;
  /** How many waits are still pending. */
  readonly waiting: number;
}

/** A clock that stands still until a test moves it, and whose waits end only then: for testing delays without waiting. */
export function manualClock(at: number | Date | string): ManualClock {
  let t = new Date(at).getTime();
  let timers: { due: number; resolve: () => void }[] = [];
  const fire = () => {
    const due = timers.filter((x) => x.due <= t).sort((a, b) => a.due - b.due);
    timers = timers.filter((x) => x.due > t);
    for (const x of due) x.resolve();
  };
  return {
    now: () => t,
    sleep: (ms) => (ms <= 0 ? Promise.resolve() : new Promise<void>((resolve) => timers.push({ due: t + ms, resolve }))),
    set: (next) => {
      t = new Date(next).getTime();
      fire();
    },
    advance: (ms) => {
      t += ms;
      fire();
    },
    get waiting() {
      return timers.length;
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
