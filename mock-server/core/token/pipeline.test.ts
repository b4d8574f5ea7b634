/**
 * The three steps kept apart: `decide` reads the org and changes nothing, `render` only makes bytes,
 * `commit` alone writes sessions, Login History, the rate counter, the forced queue and the journal.
 * And the shell around them: a forced delay waits on the org's clock, so a manual clock holds the
 * answer back until the test moves it on, with no real waiting.
 */
import { describe, expect, it } from 'vitest';
import { formBody, goodClaims, JWT_GRANT, NOW, signAssertion, testOrg, testWorld, tokenRequest } from '../../testing/fixtures.ts';
import { realHostUrls } from '../../world/hosts.ts';
import { TOKEN_PATH } from '../checks/transport.ts';
import { manualClock } from '../clock.ts';
import { MockOrg, type ServeContext } from '../mock-org.ts';
import { toResponse } from '../responses.ts';
import { commit } from './commit.ts';
import { decide } from './decide.ts';
import { render } from './render.ts';
import type { TokenRequest } from './request.ts';

const SC: ServeContext = { host: 'login.salesforce.com', secure: true, clientIp: '127.0.0.1', urls: realHostUrls() };

function inputFor(org: MockOrg, body: string): TokenRequest {
  const host = org.index.host('login.salesforce.com');
  if (host === undefined) throw new Error('no login host');
  const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded' });
  return {
    method: 'POST',
    url: new URL(`https://login.salesforce.com${TOKEN_PATH}`),
    header: (n) => headers.get(n),
    body,
    host,
    path: TOKEN_PATH,
    sitePrefix: undefined,
    secure: true,
    clientIp: '127.0.0.1',
    urls: SC.urls,
  };
}

const grantBody = async (overrides: Record<string, unknown> = {}) => formBody({ grant_type: JWT_GRANT, assertion: await signAssertion({ claims: goodClaims(testWorld(), overrides) }) });

/** What an org holds, as plain data. */
function stateOf(org: MockOrg, userId: string) {
  return {
    sessions: org.sessions.size,
    journal: org.journal.total,
    history: org.loginHistory.forUser(userId).length,
    logins: org.loginHistory.recentSuccesses(userId, org.now()),
    forced: org.forced.pending(),
  };
}

describe('decide, render and commit', () => {
  it('decide changes no state, however often it runs; commit writes it all once', async () => {
    const { org } = testOrg();
    org.forced.push({ outcome: 'delay', count: 2, delayMs: 10 });
    const input = inputFor(org, await grantBody());
    const userId = org.index.userByUsername('integration@acme.com')?.id ?? '';
    const before = stateOf(org, userId);
    const decision = decide(input, org, org, org);
    decide(input, org, org, org);
    expect(stateOf(org, userId)).toEqual(before);
    expect(before).toEqual({ sessions: 0, journal: 0, history: 0, logins: 0, forced: [{ outcome: 'delay', left: 2 }] });

    const trace = commit(decision, org, 'trace-1');
    expect(stateOf(org, userId)).toEqual({ sessions: 1, journal: 1, history: 1, logins: 1, forced: [{ outcome: 'delay', left: 1 }] });
    expect(org.journal.get('trace-1')).toBe(trace);
    expect(trace).toMatchObject({ id: 'trace-1', time: new Date(NOW).toISOString(), outcome: 'success', decidedBy: null, username: 'integration@acme.com', response: { status: 200 } });
    expect(org.loginHistory.forUser(userId)[0]).toMatchObject({ status: 'Success', traceId: 'trace-1' });
    const token = decision.answer.kind === 'token' ? decision.answer.accessToken : '';
    expect(org.sessions.lookup(token, NOW)).toMatchObject({ userId, issuedAt: NOW });
  });

  it('a failure commits its Login History status and no session', async () => {
    const { org } = testOrg();
    const decision = decide(inputFor(org, await grantBody({ exp: Math.floor(NOW / 1000) - 3_600 })), org, org, org);
    expect(decision.outcome).toBe('expired');
    const userId = decision.facts.user?.id ?? '';
    commit(decision, org, 'trace-9');
    expect(stateOf(org, userId)).toMatchObject({ sessions: 0, journal: 1, history: 1, logins: 0 });
    expect(org.loginHistory.forUser(userId)[0]).toMatchObject({ status: 'Failed: Assertion Expired', traceId: 'trace-9' });
  });

  it('render is pure: the same bytes each time, no state changed, the bytes MockOrg sends', async () => {
    const { org } = testOrg();
    const other = testOrg().org;
    const body = await grantBody();
    const decision = decide(inputFor(org, body), org, org, org);
    const first = render(decision);
    expect(render(decision)).toEqual(first);
    expect([org.sessions.size, org.journal.total]).toEqual([0, 0]);
    // The same seed, the same request through the whole org: the same bytes but for the trace header.
    const sent = await other.handle(tokenRequest(`https://login.salesforce.com${TOKEN_PATH}`, body), SC);
    if (first === 'dropped') throw new Error('not dropped');
    expect(await sent.text()).toBe(first.body);
    expect([...sent.headers].filter(([k]) => k !== 'x-sfjwt-trace')).toEqual([...toResponse(first).headers]);
  });
});

describe('a forced delay', () => {
  const flush = async () => {
    for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
  };

  it('waits on the org clock: answered when the test moves the clock on, not before', async () => {
    const clock = manualClock(NOW);
    const org = new MockOrg({ world: testWorld(), clock, seed: 7 });
    // A minute: with a real timer the test would time out instead of passing.
    org.forced.push({ outcome: 'delay', count: 1, delayMs: 60_000 });
    let answered = false;
    const answer = org.handle(tokenRequest(`https://login.salesforce.com${TOKEN_PATH}`, await grantBody()), SC).then((r) => {
      answered = true;
      return r;
    });
    await flush();
    expect(clock.waiting).toBe(1);
    clock.advance(59_999);
    await flush();
    expect(answered).toBe(false);
    clock.advance(1);
    const res = await answer;
    expect(res.status).toBe(200);
    expect(clock.waiting).toBe(0);
    // The delay used up the forced outcome; the next request is answered at once.
    const next = await org.handle(tokenRequest(`https://login.salesforce.com${TOKEN_PATH}`, await grantBody()), SC);
    expect(next.status).toBe(200);
  });
});
