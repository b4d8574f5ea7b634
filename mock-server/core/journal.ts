/**
 * The journal: the newest traces in a ring of fixed size, so memory stays flat however many
 * requests arrive. Lookup by trace id is a map read; a trace pushed out of the ring is gone. The
 * size can change while it runs (the journalSize knob): the newest traces that fit are kept.
 */
import type { Trace } from './trace.ts';

export class Journal {
  private ring: (Trace | undefined)[];
  private readonly byId = new Map<string, Trace>();
  private next = 0;
  private count = 0;
  /** Requests seen since the last reset, including those the ring no longer holds. */
  total = 0;

  constructor(private capacity: number) {
    this.ring = new Array<Trace | undefined>(capacity);
  }

  add(trace: Trace): void {
    const old = this.ring[this.next];
    if (old !== undefined) this.byId.delete(old.id);
    this.ring[this.next] = trace;
    this.byId.set(trace.id, trace);
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
    this.total += 1;
  }

  get(id: string): Trace | undefined {
    return this.byId.get(id);
  }

  /** Newest first. */
  list(limit = this.capacity): Trace[] {
    const out: Trace[] = [];
    for (let i = 1; i <= Math.min(limit, this.count); i += 1) {
      const t = this.ring[(this.next - i + this.capacity) % this.capacity];
      if (t !== undefined) out.push(t);
    }
    return out;
  }

  get size(): number {
    return this.count;
  }

  /** A ring of `capacity`, holding the newest traces that fit; `total` is kept. */
  resize(capacity: number): void {
    if (capacity === this.capacity) return;
    const kept = this.list(capacity);
    for (const dropped of this.list().slice(kept.length)) this.byId.delete(dropped.id);
    this.capacity = capacity;
    this.ring = new Array<Trace | undefined>(capacity);
    // Oldest first into slots 0…n-1, so the next trace goes after the newest.
    for (const [i, t] of kept.reverse().entries()) this.ring[i] = t;
    this.count = kept.length;
    this.next = kept.length % capacity;
  }

  clear(capacity = this.capacity): void {
    this.capacity = capacity;
    this.ring = new Array<Trace | undefined>(capacity);
    this.byId.clear();
    this.next = 0;
    this.count = 0;
    this.total = 0;
  }
}
