/**
 * Query cursors behind `nextRecordsUrl`: the rest of a query's records, kept per MockOrg (a WeakMap,
 * so a mock that is dropped takes its cursors with it) under an 18-character locator with the
 * prefix `01g`, as the REST API's examples show (`/query/01gD0000002HU6KIAW-2000`). A cursor expires
 * after `idleMs` without use (SOAP API Developer Guide, QueryLocator: 15 minutes of inactivity; the
 * knob queryLocatorIdleSeconds); a user holds up to 10 (the oldest is released, same page), and a mock
 * at most MAX_CURSORS in all, so what the cursors hold stays bounded.
 */
import { makeId } from '../../world/salesforce-id.ts';

/** Open cursors per user (SOAP API Developer Guide, QueryLocator). */
export const CURSORS_PER_USER = 10;
/** All cursors of one mock: a bound on memory (each holds up to the records of one query). */
export const MAX_CURSORS = 1_000;

export interface Cursor {
  userId: string;
  totalSize: number;
  records: readonly Record<string, unknown>[];
  lastUsed: number;
}

export class Cursors {
  /** Insertion order is age order: the first entry is the oldest cursor. */
  private readonly byLocator = new Map<string, Cursor>();
  private counter = 0;

  /** Forgets every cursor (a reset of the mock). */
  clear(): void {
    this.byLocator.clear();
  }

  /** Opens a cursor; returns its locator. */
  open(instance: string, cursor: Cursor, now: number, idleMs: number): string {
    this.expire(now, idleMs);
    this.counter += 1;
    const locator = makeId('01g', instance, this.counter);
    const mine = [...this.byLocator].filter(([, c]) => c.userId === cursor.userId);
    if (mine.length >= CURSORS_PER_USER) this.byLocator.delete(mine[0]?.[0] as string);
    if (this.byLocator.size >= MAX_CURSORS) this.byLocator.delete(this.byLocator.keys().next().value as string);
    this.byLocator.set(locator, cursor);
    return locator;
  }

  /** The live cursor of a locator for this user, its idle time restarted; undefined when unknown, released or expired. */
  use(locator: string, userId: string, now: number, idleMs: number): Cursor | undefined {
    const cursor = this.byLocator.get(locator);
    if (cursor === undefined || cursor.userId !== userId) return undefined;
    if (now - cursor.lastUsed >= idleMs) {
      this.byLocator.delete(locator);
      return undefined;
    }
    cursor.lastUsed = now;
    return cursor;
  }

  /** Forgets a cursor whose last page was served. */
  close(locator: string): void {
    this.byLocator.delete(locator);
  }

  private expire(now: number, idleMs: number): void {
    for (const [locator, cursor] of this.byLocator) if (now - cursor.lastUsed >= idleMs) this.byLocator.delete(locator);
  }

  get size(): number {
    return this.byLocator.size;
  }
}

const stores = new WeakMap<object, Cursors>();

/** The cursors of one mock org. */
export function cursorsOf(mock: object): Cursors {
  let store = stores.get(mock);
  if (store === undefined) {
    store = new Cursors();
    stores.set(mock, store);
  }
  return store;
}
