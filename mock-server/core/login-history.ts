/**
 * Login History as Setup shows it, per user, in Salesforce's status vocabulary (Success, Failed:
 * Signature Invalid, Restricted IP, …), plus the per-user count of successful logins in the last hour
 * that the login rate limit reads. Both are bounded per user.
 */
const MAX_PER_USER = 200;
const HOUR = 3_600_000;

export interface LoginHistoryEntry {
  loginTime: string;
  username: string;
  status: string;
  application: string;
  loginType: 'Remote Access 2.0';
  sourceIp: string;
  loginUrl: string;
  traceId: string;
}

export class LoginHistory {
  /** Oldest first, so a login is a push; the newest MAX_PER_USER are the history. */
  private readonly entries = new Map<string, LoginHistoryEntry[]>();
  private readonly successes = new Map<string, number[]>();

  record(userId: string, entry: LoginHistoryEntry): void {
    let list = this.entries.get(userId);
    if (list === undefined) {
      list = [];
      this.entries.set(userId, list);
    }
    list.push(entry);
    // Trimmed in batches: dropping the oldest at every login would move the whole list each time.
    if (list.length >= 2 * MAX_PER_USER) list.splice(0, list.length - MAX_PER_USER);
  }

  /** Newest first, at most MAX_PER_USER. */
  forUser(userId: string): readonly LoginHistoryEntry[] {
    return (this.entries.get(userId) ?? []).slice(-MAX_PER_USER).reverse();
  }

  recordSuccess(userId: string, at: number, limit: number | null): void {
    if (limit === null) return;
    const times = this.successes.get(userId) ?? [];
    times.push(at);
    // Only the last `limit` successes can matter to the limit check.
    if (times.length > limit) times.splice(0, times.length - limit);
    this.successes.set(userId, times);
  }

  recentSuccesses(userId: string, now: number): number {
    const times = this.successes.get(userId);
    if (times === undefined) return 0;
    let i = 0;
    while (i < times.length && (times[i] ?? 0) <= now - HOUR) i += 1;
    if (i > 0) times.splice(0, i);
    return times.length;
  }

  clear(): void {
    this.entries.clear();
    this.successes.clear();
  }
}
