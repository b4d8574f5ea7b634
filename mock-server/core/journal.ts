/**
 * The journal: the newest traces in a ring of fixed size, so memory stays flat however many
 * requests arrive. Lookup by trace id is a map read; a trace pushed out of the ring is gone.
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

  clear(capacity = this.capacity): void {
    this.capacity = capacity;
    this.ring = new Array<Trace | undefined>(capacity);
    this.byId.clear();
    this.next = 0;
    this.count = 0;
    this.total = 0;
  }
}
