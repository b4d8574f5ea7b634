/**
 * The web console without a browser: its pages answer under the mock's own names only, every form
 * change runs the Setup module and goes back to its page with what happened, and a form from another
 * site, without the run's form token or (with an admin token) without the console's session cookie is
 * refused with a 403 that says why, changing nothing. The Requests page's live rows answer as soon as
 * a request is journalled.
 */
import { describe, expect, it } from 'vitest';
import { setAdminToken } from '../admin/protection.ts';
import type { MockOrg } from '../core/mock-org.ts';
import { formBody, goodClaims, JWT_GRANT, signAssertion, testOrg } from '../testing/fixtures.ts';
import { formToken, SESSION_COOKIE } from './guard.ts';

const ORIGIN = 'https://login.salesforce.com';
const ctx = (host = 'login.salesforce.com') => ({ host, secure: true, clientIp: '127.0.0.1', urls: { baseUrl: (h: string) => `https://${h}`, origins: (h: string) => [`https://${h}`] } });

const get = (org: MockOrg, path: string, headers: Record<string, string> = {}, host = 'login.salesforce.com') => org.handle(new Request(`https://${host}/__sfjwt/ui${path}`, { headers }), ctx(host));
const post = (org: MockOrg, path: string, fields: Record<string, string>, headers: Record<string, string> = { Origin: ORIGIN }) =>
  org.handle(
    new Request(`${ORIGIN}/__sfjwt/ui${path}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() }),
    ctx(),
  );
const refusal = async (res: Response) => [res.status, /<main[^>]*><h1>[^<]*<\/h1>(?:<p class="flash[^"]*"[^>]*>[^<]*<\/p>)?<p>([^<]*)<\/p>/.exec(await res.text())?.[1]];
const frozen = (org: MockOrg) => org.index.userByUsername('integration@acme.com')?.frozen;

describe('console pages', () => {
  it.each<[string, number]>([
    ['/requests', 200],
    ['/setup/apps', 200],
    ['/setup/apps/Acme%20Integration', 200],
    ['/setup/apps/No%20Such%20App', 404],
    ['/setup/users', 200],
    ['/setup/users/integration%40acme.com', 200],
    ['/setup/users/nobody%40acme.com', 404],
    ['/faults', 200],
    ['/requests/trace-999', 404],
    ['/nothing-here', 404],
  ])('GET %s: %i, a self-contained page', async (path, status) => {
    const { org } = testOrg();
    const res = await get(org, path);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[\w+/=]+'; script-src 'sha256-[\w+/=]+'; connect-src 'self'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/,
    );
    expect(await res.text()).not.toMatch(/\b(?:src|href)="https?:/);
  });

  it('answers under the mock’s own names only (a rebound DNS name reads nothing)', async () => {
    const { org } = testOrg();
    const res = await get(org, '/requests', {}, 'attacker.example');
    expect(res.status).toBe(403);
  });

  it('a trace page marks the deciding check, shows its fix and the assertion without its signature', async () => {
    const { org } = testOrg();
    const claims = goodClaims(org.index.world, { aud: 'https://test.salesforce.com' });
    await org.handle(
      new Request(`${ORIGIN}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims }) }),
      }),
      ctx(),
    );
    const html = await (await get(org, '/requests/trace-1')).text();
    expect(html).toContain('<tr class="decided"><th scope="row">');
    expect(html).toMatch(/<strong>\(deciding check\)<\/strong><br><code class="muted">audience<\/code>/);
    expect(html).toContain('&#34;signature&#34;: &#34;[redacted 256 bytes]&#34;');
    expect(html).toContain('--data-urlencode &#34;assertion=$ASSERTION&#34;');
  });
});

describe('console forms', () => {
  it('a form runs the Setup action and goes back to its page with what it did', async () => {
    const { org } = testOrg();
    const res = await post(org, '/setup/user-state', { csrf: formToken(org), username: 'integration@acme.com', frozen: 'true', back: 'setup/users/integration@acme.com' });
    expect([res.status, res.headers.get('location')]).toEqual([303, '/__sfjwt/ui/setup/users/integration%40acme.com?done=Done%3A%20user%20state.']);
    expect(frozen(org)).toBe(true);
  });

  it('a Setup refusal comes back as the page’s refusal, changing nothing', async () => {
    const { org } = testOrg();
    const res = await post(org, '/setup/user-state', { csrf: formToken(org), username: 'nobody@acme.com', frozen: 'true' });
    expect(res.status).toBe(303);
    expect(decodeURIComponent(res.headers.get('location') ?? '')).toMatch(/^\/__sfjwt\/ui\/setup\/users\?refused=Refused: no user "nobody@acme.com"/);
  });

  it.each<[string, Record<string, string>, Record<string, string> | undefined, string]>([
    ['another site', {}, { Origin: 'https://evil.example' }, 'a form of another site (Origin: https://evil.example) cannot change the mock'],
    ['no Origin and no Sec-Fetch-Site', {}, {}, 'a form of another site (Sec-Fetch-Site: absent) cannot change the mock'],
    ['Sec-Fetch-Site: cross-site', {}, { 'Sec-Fetch-Site': 'cross-site' }, 'a form of another site (Sec-Fetch-Site: cross-site) cannot change the mock'],
    ['no form token', { csrf: '' }, undefined, 'the form token is missing or out of date: reload the page and send the form again'],
    ['a guessed form token', { csrf: 'A'.repeat(43) }, undefined, 'the form token is missing or out of date: reload the page and send the form again'],
  ])('refused: %s', async (_name, override, headers, message) => {
    const { org } = testOrg();
    const res = await post(org, '/setup/user-state', { csrf: formToken(org), username: 'integration@acme.com', frozen: 'true', ...override }, headers);
    expect(await refusal(res)).toEqual([403, message]);
    expect(frozen(org)).toBe(false);
  });

  it('with an admin token: refused without the session cookie; the console link sets it, and then the form passes', async () => {
    const { org } = testOrg();
    setAdminToken(org, 'test-admin-token-0123456789');
    const fields = { csrf: formToken(org), username: 'integration@acme.com', frozen: 'true' };
    expect(await refusal(await post(org, '/setup/user-state', fields))).toEqual([403, 'the console needs the admin token first: open the console link the mock prints (…/__sfjwt/ui/login?token=…)']);
    expect((await get(org, '/login?token=wrong-token-0123456789')).status).toBe(401);
    const login = await get(org, '/login?token=test-admin-token-0123456789');
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]{43}; Path=/__sfjwt/ui; HttpOnly; SameSite=Strict; Secure$`));
    expect(frozen(org)).toBe(false);
    const res = await post(org, '/setup/user-state', fields, { Origin: ORIGIN, Cookie: cookie.split(';')[0] ?? '' });
    expect(res.status).toBe(303);
    expect(frozen(org)).toBe(true);
  });

  it('faults: force, clock and knobs through the harness controls', async () => {
    const { org } = testOrg();
    const csrf = formToken(org);
    expect((await post(org, '/force', { csrf, outcome: 'unknown_error', count: '2', delayMs: '' })).status).toBe(303);
    expect(org.forced.pending()).toEqual([{ outcome: 'unknown_error', left: 2 }]);
    expect((await post(org, '/clock', { csrf, offsetSeconds: '-300' })).status).toBe(303);
    expect(org.clockOffsetMs).toBe(-300_000);
    await post(org, '/knobs', { csrf, knob: 'journalSize', value: '50' });
    expect(org.knobs.journalSize).toBe(50);
    const bad = await post(org, '/knobs', { csrf, knob: 'journalSize', value: '0' });
    expect(decodeURIComponent(bad.headers.get('location') ?? '')).toMatch(/^\/__sfjwt\/ui\/faults\?refused=Refused: /);
  });
});

describe('live requests', () => {
  it('the rows of a long poll come as soon as a request is journalled, with the new total', async () => {
    const { org } = testOrg();
    const waiting = get(org, '/requests/rows?after=0');
    await org.handle(new Request(`${ORIGIN}/services/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password' }), ctx());
    const res = await waiting;
    expect(res.headers.get('x-sfjwt-total')).toBe('1');
    expect(await res.text()).toMatch(
      /^<tr><td><a href="\/__sfjwt\/ui\/requests\/trace-1">12:00:00\.000<\/a><\/td><td>token<\/td><td>login\.salesforce\.com<\/td><td><code>POST \/services\/oauth2\/token<\/code><\/td><td class="fail">unsupportedGrantType<\/td><td>400 unsupported_grant_type: grant type not supported<\/td>/,
    );
  });
});
