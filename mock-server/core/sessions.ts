/**
 * Access tokens the mock issued, kept as Salesforce keeps sessions: a session ends after the org's
 * session timeout of inactivity, not a fixed time after issue. Use refreshes it the way Session
 * Settings document: the last active time is updated only once half the timeout has passed since it
 * was last updated (a 30-minute session used after 10 minutes still ends at 30; used after 20, it
 * ends at 50). A session also ends when its token is revoked or its user is deactivated or frozen.
 * Bounded: past `capacity` the oldest session is forgotten (its token then answers INVALID_SESSION_ID,
 * as an expired one does).
 */

export interface Session {
  userId: string;
  orgId: string;
  app: string;
  issuedAt: number;
  /** When the session ends unless it is used: the last active time plus the timeout; moved by `lookup`. */
  expiresAt: number;
  /** The session timeout; absent, it is `expiresAt - issuedAt` as the session was added. */
  timeoutMs?: number;
}

/** A session with what the store needs to refresh it: its timeout and when it was last marked active. */
interface Entry {
  session: Session;
  timeoutMs: number;
  activeAt: number;
}

/** Why a token has no live session: never issued (or forgotten, revoked, ended), or timed out. */
export type NoSession = 'unknown' | 'expired';

export class Sessions {
  private readonly byToken = new Map<string, Entry>();
  /**
   * Tokens in the order they were first added, oldest at `head`: the session to forget is found in
   * O(1). (Asking the map for its first key instead walks over every deleted entry before it, tens
   * of microseconds per grant once the store is full.) A token ended early (revoked, its user
   * deactivated) stays here until its turn comes, and is then skipped.
   */
  private order: (string | undefined)[] = [];
  private head = 0;

  constructor(private readonly capacity = 100_000) {}

  add(token: string, session: Session): void {
    const entry: Entry = { session, timeoutMs: session.timeoutMs ?? session.expiresAt - session.issuedAt, activeAt: session.issuedAt };
    // A token already present keeps its place, as a Map key does. Whether it was new shows in the size,
    // so the token is looked up once rather than by has() and set(): in a full store each costs a cache miss.
    const before = this.byToken.size;
    this.byToken.set(token, entry);
    if (this.byToken.size > before) this.order.push(token);
    // A loop, not one step: a token ended early frees nothing when its turn comes.
    while (this.byToken.size > this.capacity) {
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

  /**
   * The live session of a token, or why there is none. A live session's use is activity: once half
   * its timeout has passed since it was last marked active, it is marked active now and its
   * `expiresAt` moves to now plus the timeout (the Session object is updated in place).
   */
  lookup(token: string, now: number): Session | NoSession {
    const entry = this.byToken.get(token);
    if (entry === undefined) return 'unknown';
    if (now >= entry.session.expiresAt) return 'expired';
    if (now - entry.activeAt >= entry.timeoutMs / 2) {
      entry.activeAt = now;
      entry.session.expiresAt = now + entry.timeoutMs;
    }
    return entry.session;
  }

  /**
   * Ends the session of a token (Revoke OAuth Tokens): what it was, or why there was none to end. An
   * expired session is forgotten too, and answers `expired`, as Salesforce refuses to revoke it.
   */
  revoke(token: string, now: number): Session | NoSession {
    const entry = this.byToken.get(token);
    if (entry === undefined) return 'unknown';
    this.byToken.delete(token);
    return now >= entry.session.expiresAt ? 'expired' : entry.session;
  }

  /** Ends every session of a user (deactivated or frozen); answers how many were live or not yet forgotten. */
  endUser(userId: string): number {
    // A walk over the store: rare (a Setup change), and it keeps every grant free of a second index.
    const id = userId.slice(0, 15);
    let ended = 0;
    for (const [token, entry] of this.byToken) {
      if (entry.session.userId.slice(0, 15) !== id) continue;
      this.byToken.delete(token);
      ended += 1;
    }
    return ended;
  }

  /** Every live session times out now, as if its timeout had passed (its token then answers `expired`); answers how many. */
  expireAll(now: number): number {
    let expired = 0;
    for (const entry of this.byToken.values()) {
      if (now >= entry.session.expiresAt) continue;
      entry.session.expiresAt = now;
      expired += 1;
    }
    return expired;
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
