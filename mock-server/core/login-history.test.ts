/**
 * Login History per user: newest first and bounded at 200 entries, on either side of the batch in
 * which the store drops its oldest entries; users do not see each other's logins.
 */
import { describe, expect, it } from 'vitest';
import { LoginHistory, type LoginHistoryEntry } from './login-history.ts';

const entry = (n: number): LoginHistoryEntry => ({
  loginTime: new Date(n * 1000).toISOString(),
  username: 'integration@acme.com',
  status: 'Success',
  application: 'App',
  loginType: 'Remote Access 2.0',
  sourceIp: '127.0.0.1',
  loginUrl: 'login.salesforce.com',
  traceId: `trace-${n}`,
});

const traceIds = (h: LoginHistory, userId: string) => h.forUser(userId).map((e) => e.traceId);

describe('LoginHistory', () => {
  it('lists a user with no logins as empty', () => {
    expect(new LoginHistory().forUser('005x')).toEqual([]);
  });

  it('lists newest first', () => {
    const h = new LoginHistory();
    for (const n of [1, 2, 3]) h.record('005a', entry(n));
    expect(traceIds(h, '005a')).toEqual(['trace-3', 'trace-2', 'trace-1']);
  });

  it.each([199, 200, 201, 399, 400, 401, 1_000])('keeps the newest 200 of %i logins, newest first', (count) => {
    const h = new LoginHistory();
    for (let n = 1; n <= count; n += 1) h.record('005a', entry(n));
    const kept = Math.min(count, 200);
    expect(traceIds(h, '005a')).toEqual(Array.from({ length: kept }, (_, i) => `trace-${count - i}`));
  });

  it('keeps each user to their own logins', () => {
    const h = new LoginHistory();
    h.record('005a', entry(1));
    h.record('005b', entry(2));
    h.record('005a', entry(3));
    expect([traceIds(h, '005a'), traceIds(h, '005b')]).toEqual([['trace-3', 'trace-1'], ['trace-2']]);
  });

  it('a list it gave out does not change with later logins', () => {
    const h = new LoginHistory();
    h.record('005a', entry(1));
    const before = h.forUser('005a');
    h.record('005a', entry(2));
    expect(before.map((e) => e.traceId)).toEqual(['trace-1']);
  });
});
