/**
 * The journal: the newest traces in a ring, bounded twice so memory stays flat however many requests
 * arrive and whatever they hold: at most `capacity` traces (the journalSize knob) and at most
 * `maxChars` JSON characters of them all (the oldest go first). Each trace is stored as
 * `boundTrace` makes it: redacted of the world's secrets and within the size limits of one trace
 * (~3.5 KB for a usual request, at most ~40 KB for the largest a client can make). Lookup by trace
 * id is a map read; a trace pushed out is gone. The size can change while it runs: the newest traces
 * that fit are kept. Reading is by pages, newest first, each bounded in entries and characters, with
 * a cursor (`before`) for the next: the ring holds traces number total-size+1 … total, so a cursor
 * is a number and a page starts at once, however large the ring.
 */
import { NO_SECRETS, type Redactor } from './redactor.ts';
import type { Trace } from './trace.ts';
import { boundTrace } from './trace-limits.ts';

/**
 * JSON characters all kept traces may take. 64 MiB holds the default 1,000 traces at their largest
 * (~40 KB each) and ~18,000 usual ones (~3.5 KB); without it, journalSize traces at their largest
 * would be ~400 MB at a journalSize of 10,000. Past it the oldest go, whatever journalSize says.
 */
export const JOURNAL_MAX_CHARS = 64 * 1_048_576;
/** At most this many traces in one page of the journal route. */
export const JOURNAL_PAGE_ENTRIES = 1_000;
/** At most this many JSON characters of traces in one page (always at least one trace). */
export const JOURNAL_PAGE_CHARS = 4 * 1_048_576;

export interface JournalOptions {
  /** The redactor of the world's secrets as they are now; asked for at every trace stored. */
  redactor?: () => Redactor;
  maxChars?: number;
}

export interface JournalPage {
  /** Newest first. */
  entries: Trace[];
  /** When older traces remain: the `before` that reads the next page. */
  next?: number;
}

export class Journal {
  private ring: (Trace | undefined)[];
  private chars: Uint32Array;
  private readonly byId = new Map<string, Trace>();
  private next = 0;
  private count = 0;
  private held = 0;
  private readonly redactor: () => Redactor;
  private readonly maxChars: number;
  /** Requests seen since the last reset, including those the ring no longer holds. */
  total = 0;
  private readonly listeners = new Set<(trace: Trace) => void>();

  constructor(
    private capacity: number,
    options: JournalOptions = {},
  ) {
    this.ring = new Array<Trace | undefined>(capacity);
    this.chars = new Uint32Array(capacity);
    this.redactor = options.redactor ?? (() => NO_SECRETS);
    this.maxChars = options.maxChars ?? JOURNAL_MAX_CHARS;
  }

  /** Stores the trace as the journal keeps it (redacted, within the size limits) and returns that. */
  add(trace: Trace): Trace {
    const { trace: kept, chars } = boundTrace(trace, this.redactor());
    const slot = this.next;
    const old = this.ring[slot];
    if (old !== undefined) {
      this.byId.delete(old.id);
      this.held -= this.chars[slot] ?? 0;
    }
    this.ring[slot] = kept;
    this.chars[slot] = chars;
    this.held += chars;
    this.byId.set(kept.id, kept);
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
    this.total += 1;
    while (this.held > this.maxChars && this.count > 1) this.dropOldest();
    for (const listener of this.listeners) listener(kept);
    return kept;
  }

  /**
   * Calls `listener` with every trace as it is stored (redacted, within the size limits), whatever
   * the ring later drops; answers the function that stops the calls.
   */
  onAdd(listener: (trace: Trace) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private dropOldest(): void {
    const slot = (this.next - this.count + this.capacity) % this.capacity;
    const old = this.ring[slot];
    if (old !== undefined) this.byId.delete(old.id);
    this.held -= this.chars[slot] ?? 0;
    this.ring[slot] = undefined;
    this.chars[slot] = 0;
    this.count -= 1;
  }

  get(id: string): Trace | undefined {
    return this.byId.get(id);
  }

  /** Newest first. */
  list(limit = this.capacity): Trace[] {
    return this.page(limit, undefined, Number.POSITIVE_INFINITY).entries;
  }

  /**
   * Up to `limit` traces older than trace number `before` (all when absent), newest first, and no
   * more than `maxChars` JSON characters of them unless that leaves none.
   */
  page(limit: number, before?: number, maxChars = JOURNAL_PAGE_CHARS): JournalPage {
    const entries: Trace[] = [];
    // The i-th newest trace (from 1) is number total - i + 1.
    const first = before === undefined ? 1 : Math.max(1, this.total + 2 - before);
    let taken = 0;
    let i = first;
    for (; i <= this.count && entries.length < limit; i += 1) {
      const slot = (this.next - i + this.capacity) % this.capacity;
      const size = this.chars[slot] ?? 0;
      if (entries.length > 0 && taken + size > maxChars) break;
      const t = this.ring[slot];
      if (t !== undefined) entries.push(t);
      taken += size;
    }
    return i <= this.count && entries.length > 0 ? { entries, next: this.total - i + 2 } : { entries };
  }

  get size(): number {
    return this.count;
  }

  /** JSON characters the kept traces take, about. */
  get heldChars(): number {
    return this.held;
  }

  /** A ring of `capacity`, holding the newest traces that fit; `total` is kept. */
  resize(capacity: number): void {
    if (capacity === this.capacity) return;
    const keep = Math.min(capacity, this.count);
    const kept: Trace[] = [];
    const sizes: number[] = [];
    for (let i = 1; i <= this.count; i += 1) {
      const slot = (this.next - i + this.capacity) % this.capacity;
      const t = this.ring[slot];
      if (t === undefined) continue;
      if (i <= keep) {
        kept.push(t);
        sizes.push(this.chars[slot] ?? 0);
      } else this.byId.delete(t.id);
    }
    this.capacity = capacity;
    this.ring = new Array<Trace | undefined>(capacity);
    this.chars = new Uint32Array(capacity);
    this.held = 0;
    // Oldest first into slots 0…n-1, so the next trace goes after the newest.
    for (let j = 0; j < kept.length; j += 1) {
      const from = kept.length - 1 - j;
      this.ring[j] = kept[from];
      this.chars[j] = sizes[from] ?? 0;
      this.held += sizes[from] ?? 0;
    }
    this.count = kept.length;
    this.next = kept.length % capacity;
  }

  clear(capacity = this.capacity): void {
    this.capacity = capacity;
    this.ring = new Array<Trace | undefined>(capacity);
    this.chars = new Uint32Array(capacity);
    this.byId.clear();
    this.next = 0;
    this.count = 0;
    this.held = 0;
    this.total = 0;
  }
}
