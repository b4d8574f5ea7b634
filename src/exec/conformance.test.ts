/**
 * The conformance checks over traces the mock really made: each case is a scripted client (log in,
 * call the API, wait on the frozen clock, repeat) run against an in-process MockOrg with exec's
 * faults armed, and the report must say exactly what that client did. The expected words are written
 * here, from what a good JWT Bearer client does, not taken from the code under test.
 */
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../mock-server/core/trace.ts';
import { goodClaims, JWT_GRANT, NOW, signAssertion, testOrg } from '../../mock-server/testing/fixtures.ts';
import { type ConformanceResult, conformanceLine, conformanceReport } from './conformance.ts';
import { renderConformanceHtml, renderConformanceJunit, renderConformanceMarkdown } from './conformance-render.ts';
import { armFaults, parseFault } from './faults.ts';
import type { PrintedSecret } from './output-secrets.ts';

const ctx = (host: string) => ({ host, secure: true, clientIp: '127.0.0.1', urls: { baseUrl: (h: string) => `https://${h}`, origins: (h: string) => [`https://${h}`] } });

type Step = 'login' | 'bad-login' | 'frozen-login' | 'api' | 'api-on-login-host' | `wait ${number}`;

/** Runs the client's steps; a failed login keeps the token it had, as a naive client does. */
async function client(steps: readonly Step[], faults: readonly string[] = []) {
  const { org, clock } = testOrg();
  const traces: Trace[] = [];
  org.journal.onAdd((t) => traces.push(t));
  armFaults(org, faults.map(parseFault));
  let token = '';
  for (const step of steps) {
    if (step.startsWith('wait ')) {
      clock.advance(Number(step.slice(5)));
      continue;
    }
    if (step === 'login' || step === 'bad-login') {
      const claims = goodClaims(
        org.index.world,
        step === 'bad-login' ? { aud: 'https://test.salesforce.com', exp: Math.floor(clock.now() / 1000) + 180 } : { exp: Math.floor(clock.now() / 1000) + 180 },
      );
      const body = new URLSearchParams({ grant_type: JWT_GRANT, assertion: signAssertion({ claims }) }).toString();
      const res = await org.handle(
        new Request('https://login.salesforce.com/services/oauth2/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body }),
        ctx('login.salesforce.com'),
      );
      if (res.status === 200) token = ((await res.json()) as { access_token: string }).access_token;
    } else {
      const host = step === 'api' ? 'acme.my.salesforce.com' : 'login.salesforce.com';
      await org.handle(new Request(`https://${host}/services/data/v60.0/limits`, { headers: { Authorization: `Bearer ${token}` } }), ctx(host));
    }
    clock.advance(10);
  }
  return traces;
}

const report = (traces: Trace[], faults: readonly string[] = [], extra: { exitCode?: number; printed?: PrintedSecret[] } = {}) =>
  conformanceReport({
    command: ['node', 'app.mjs'],
    exitCode: extra.exitCode ?? 0,
    startedAt: new Date(NOW).toISOString(),
    finishedAt: new Date(NOW + 5_000).toISOString(),
    faults: faults.map(parseFault),
    traces,
    refused: [],
    printed: extra.printed ?? [],
  });

const resultOf = (r: ReturnType<typeof report>, id: string) => {
  const c = r.checks.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no check ${id}`);
  return [c.result, c.saw] as [ConformanceResult, string];
};

describe('client conformance: what the client did, check by check', () => {
  it.each<[string, Step[], string[], string, [ConformanceResult, string]]>([
    ['a client that logs in once and reuses its token', ['login', 'api', 'api', 'api'], [], 'reuses-token', ['pass', '1 login for 3 API calls']],
    ['a client that logs in for every call', ['login', 'api', 'login', 'api', 'login', 'api'], [], 'reuses-token', ['warning', '3 logins for 3 API calls: it logs in for every call']],
    [
      'a client that logs in again after its session expired',
      ['login', 'api', 'api', 'login', 'api'],
      ['expire-after:1'],
      'logs-in-again',
      ['pass', 'after 401 INVALID_SESSION_ID it logged in again and its next API call succeeded'],
    ],
    ['…and that second login is no lost token', ['login', 'api', 'api', 'login', 'api'], ['expire-after:1'], 'reuses-token', ['pass', '2 logins for 2 API calls']],
    [
      'a client that keeps calling with a revoked token',
      ['login', 'api', 'api', 'api', 'api'],
      ['revoke-after:1'],
      'logs-in-again',
      ['error', 'after 401 INVALID_SESSION_ID it made 2 more calls with the ended session and did not log in again'],
    ],
    ['no ended session: not seen', ['login', 'api'], [], 'logs-in-again', ['not-seen', 'no API call met an ended session']],
    [
      'a refused login retried in a tight loop',
      ['bad-login', 'bad-login', 'bad-login', 'bad-login'],
      [],
      'no-tight-retry',
      ['error', 'it repeated invalid_grant (audience is invalid) 3 times in 0.0 s'],
    ],
    ['a refused login retried once, later', ['bad-login', 'wait 5000', 'bad-login'], [], 'no-tight-retry', ['warning', 'it repeated invalid_grant (audience is invalid) 1 time in 5.0 s']],
    ['a refused login not retried', ['bad-login'], [], 'no-tight-retry', ['pass', 'it did not repeat a refused login (1 login refused)']],
    [
      'the same login refused twice around another is one repeat, the other login none',
      ['bad-login', 'frozen-login', 'bad-login'],
      [],
      'no-tight-retry',
      ['warning', 'it repeated invalid_grant (audience is invalid) 1 time in 0.0 s'],
    ],
    ['a refused login is an error of the client', ['bad-login'], [], 'logins-pass-checks', ['error', '1 of 1 token request refused: invalid_grant (audience is invalid), decided by audience']],
    [
      '…and its assertion lint names the cause',
      ['bad-login'],
      [],
      'assertions-well-formed',
      ['error', 'Sandbox audience sent to a production host (aud https://test.salesforce.com posted to login.salesforce.com)'],
    ],
    ['unknown_error retried at once', ['login', 'login', 'api'], ['unknown_error'], 'backs-off', ['warning', 'it retried after 10 ms and logged in']],
    ['unknown_error retried after a wait', ['login', 'wait 2000', 'login', 'api'], ['unknown_error'], 'backs-off', ['pass', 'it retried after 2010 ms and logged in']],
    ['unknown_error, then it gave up', ['login'], ['unknown_error'], 'backs-off', ['warning', 'it gave up after one unknown_error']],
    ['a forced failure is not the client’s', ['login', 'login', 'api'], ['unknown_error'], 'logins-pass-checks', ['pass', '2 token requests, every one accepted or failed by a fault']],
    ['a dropped connection retried once', ['login', 'wait 1000', 'login', 'api'], ['drop'], 'handles-dropped-connection', ['pass', 'it retried 1 time and logged in']],
    [
      'a dropped connection retried forever',
      ['login', 'login', 'login', 'login', 'login', 'login', 'login', 'login'],
      ['drop:8'],
      'handles-dropped-connection',
      ['error', 'it retried 7 times and stopped'],
    ],
    [
      'the API called on the login host',
      ['login', 'api-on-login-host'],
      [],
      'api-on-instance-url',
      ['error', '1 request to the API went to login.salesforce.com, which answers 401 INVALID_SESSION_ID'],
    ],
    ['the API called on its instance', ['login', 'api'], [], 'api-on-instance-url', ['pass', "1 request to the API, all on the org's own hosts"]],
    [
      'a client that logged in under untrusted-tls',
      ['login', 'api'],
      ['untrusted-tls'],
      'refuses-untrusted-certificate',
      ['error', 'security: it sent 2 requests over a certificate from a CA it was not given: it does not check certificates'],
    ],
    ['a client that reached nothing under untrusted-tls', [], ['untrusted-tls'], 'refuses-untrusted-certificate', ['pass', 'no request reached the mock: it refused the certificate']],
  ])('%s', async (_name, steps, faults, id, expected) => {
    const traces = await client(steps, faults);
    expect(resultOf(report(traces, faults), id)).toEqual(expected);
  });

  it('a printed token is an error that says where, without the token', async () => {
    const r = report(await client(['login', 'api']), [], { printed: [{ stream: 'stdout', line: 2, what: 'an access token', excerpt: 'token [an access token]' }] });
    expect(resultOf(r, 'keeps-secrets-off-output')).toEqual(['error', 'stdout line 2: an access token']);
  });

  it('the summary counts the checks, token requests, logins and API calls', async () => {
    const r = report(await client(['login', 'api', 'api', 'login', 'api'], ['expire-after:1']), ['expire-after:1']);
    expect(conformanceLine(r)).toBe('0 errors, 0 warnings, 7 passed, 4 not seen (2 token requests, 2 logins, 2 API calls)');
    expect(r.faults).toEqual(['every session expires after 1 API call']);
    expect(r.tokenRequests.map((t) => [t.trace, t.outcome, t.decidedBy, t.lint])).toEqual([
      ['trace-1', 'success', null, []],
      ['trace-4', 'success', null, []],
    ]);
  });
});

describe('client conformance reports', () => {
  it('Markdown, HTML and JUnit say the same results; none holds a token or a signature', async () => {
    const traces = await client(['login', 'api', 'api', 'api'], ['revoke-after:1']);
    const r = report(traces, ['revoke-after:1']);
    const md = renderConformanceMarkdown(r);
    expect(md).toContain(
      '| ❌ error | Logs in again when its session ends (INVALID\\_SESSION\\_ID, a revoked token) | after 401 INVALID\\_SESSION\\_ID it made 1 more call with the ended session and did not log in again |',
    );
    const html = renderConformanceHtml(r);
    expect(html).toContain('<tr><td class="result error">❌ error</td><th scope="row">Logs in again when its session ends (INVALID_SESSION_ID, a revoked token)</th>');
    expect(html).not.toMatch(/<script|https?:\/\/(?!login\.salesforce)/);
    const junit = renderConformanceJunit(r);
    expect(junit).toContain('<testsuite name="client conformance" tests="11" failures="1" errors="0" skipped="4"');
    expect(junit).toContain('<failure message="after 401 INVALID_SESSION_ID it made 1 more call with the ended session and did not log in again" type="error">');
    for (const text of [md, html, junit, JSON.stringify(r)]) expect(text).not.toMatch(/00D\w{12,15}!AQ\w{20,}|eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{20,}/);
  });
});
