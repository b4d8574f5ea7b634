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

  constructor(private readonly capacity = 100_000) {}

  add(token: string, session: Session): void {
    this.byToken.set(token, session);
    if (this.byToken.size > this.capacity) {
      const oldest = this.byToken.keys().next();
      if (oldest.done !== true) this.byToken.delete(oldest.value);
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
  }

  get size(): number {
    return this.byToken.size;
  }
}
