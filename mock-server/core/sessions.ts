/**
 * Access tokens the mock issued, with the org's session timeout. Bounded: past `capacity` the oldest
 * session is forgotten (its token then answers INVALID_SESSION_ID, as an expired one does).
 */
export interface Session {
  userId: string;
  orgId: string;
  app: string;
  issuedAt: number;
  expiresAt: number;
}

export class Sessions {
  private readonly byToken = new Map<string, Session>();
  /**
   * Tokens in the order they were first added, oldest at `head`: the session to forget is found in
   * O(1). (Asking the map for its first key instead walks over every deleted entry before it, tens
   * of microseconds per grant once the store is full.)
   */
  private order: (string | undefined)[] = [];
  private head = 0;

  constructor(private readonly capacity = 100_000) {}

  add(token: string, session: Session): void {
    // A token already present keeps its place, as a Map key does. Whether it was new shows in the size,
    // so the token is looked up once rather than by has() and set(): in a full store each costs a cache miss.
    const before = this.byToken.size;
    this.byToken.set(token, session);
    if (this.byToken.size > before) this.order.push(token);
    if (this.byToken.size > this.capacity) {
      const oldest = this.order[this.head];
      this.order[this.head] = undefined;
      this.head += 1;
      if (oldest !== undefined) this.byToken.delete(oldest);
      // Drop the forgotten front of the queue now and then, so it never holds more than twice the capacity.
      if (this.head >= Math.max(1_024, this.capacity)) {
        this.order = this.order.slice(this.head);
        this.head = 0;
      }
    }
  }

  /** The live session of a token, or why there is none. */
  lookup(token: string, now: number): Session | 'unknown' | 'expired' {
    const session = this.byToken.get(token);
    if (session === undefined) return 'unknown';
    if (now >= session.expiresAt) return 'expired';
    return session;
  }

  clear(): void {
    this.byToken.clear();
    this.order = [];
    this.head = 0;
  }

  get size(): number {
    return this.byToken.size;
  }
}
