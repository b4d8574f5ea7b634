/**
 * The console's Labs page without a browser: a mock without labs says why; Start sets a lab up and
 * the page tells its story and symptom, never a hint before it is asked for; Hint shows them one at
 * a time; the request editor sends the lab's request as a client would (journaled, decided by the
 * checks) and keeps what the trainee typed when it cannot be sent; Check after a fix made on the
 * Users page says solved; the forms need the run's form token like every console form.
 */
import { describe, expect, it } from 'vitest';
import type { MockOrg } from '../core/mock-org.ts';
import { findLab } from '../labs/catalogue.ts';
import { attachLabs } from '../labs/runtime.ts';
import { testKeys, testOrg } from '../testing/fixtures.ts';
import { formToken } from './guard.ts';

const ORIGIN = 'https://login.salesforce.com';
const ctx = { host: 'login.salesforce.com', secure: true, clientIp: '127.0.0.1', urls: { baseUrl: (h: string) => `https://${h}`, origins: (h: string) => [`https://${h}`] } };
const get = async (org: MockOrg, path: string) => (await org.handle(new Request(`${ORIGIN}/__sfjwt/ui${path}`), ctx)).text();
const post = (org: MockOrg, path: string, fields: Record<string, string>) =>
  org.handle(
    new Request(`${ORIGIN}/__sfjwt/ui${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
      body: new URLSearchParams({ csrf: formToken(org), back: 'labs', ...fields }).toString(),
    }),
    ctx,
  );
const flash = (res: Response) => decodeURIComponent((res.headers.get('location') ?? '').replace(/^[^?]*\?(?:done|refused)=/, ''));

function labOrg() {
  const { org } = testOrg();
  attachLabs(org, { privateKeyPem: testKeys().privateKeyPem });
  return org;
}

describe('the Labs page', () => {
  it('on a mock without labs, says why and what to do', async () => {
    const { org } = testOrg();
    expect(await get(org, '/labs')).toContain('<p>this mock runs no labs: labs run on the training ground. Serve the default world');
  });

  it('lists the labs; Start tells the story and symptom, and no hint until asked', async () => {
    const org = labOrg();
    expect(await get(org, '/labs')).toContain('<th scope="row">The nightly sync never logs in</th><td>not started</td>');
    const lab = findLab('frozen-user');
    if (lab === undefined) throw new Error('frozen-user');
    const started = await post(org, '/labs/start', { lab: 'frozen-user' });
    expect([started.status, started.headers.get('location')]).toEqual([303, `/__sfjwt/ui/labs?done=${encodeURIComponent('Lab 11 is set up.')}`]);
    const page = await get(org, '/labs');
    expect(page).toContain(`<h2>Lab 11: ${lab.title}</h2>`);
    expect(page).toContain('<pre>HTTP 400\n{&#34;error&#34;:&#34;invalid_grant&#34;,&#34;error_description&#34;:&#34;user is frozen&#34;}</pre>');
    for (const hint of lab.hints) expect(page).not.toContain(hint.slice(0, 30));
    expect(flash(await post(org, '/labs/hint', {}))).toBe('Hint 1 of 3 is shown.');
    const hinted = await get(org, '/labs');
    expect(hinted).toContain('The answer names the user&#39;s state.');
    expect(hinted).toContain('Show hint 2 of 3');
  });

  it('sends the request, checks it, and after the fix on the Users page says solved', async () => {
    const org = labOrg();
    await post(org, '/labs/start', { lab: '11' });
    const draft = (/<textarea name="draft"[^>]*>([^<]*)<\/textarea>/.exec(await get(org, '/labs'))?.[1] ?? '').replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&#38;/g, '&');
    expect(JSON.parse(draft)).toMatchObject({
      url: 'https://login.salesforce.com/services/oauth2/token',
      jwt: { header: { alg: 'RS256' }, claims: { sub: 'frozen@acme.com', aud: 'https://login.salesforce.com', exp: '{{now + 180}}' } },
    });
    expect(flash(await post(org, '/labs/send', { draft }))).toBe('Sent: HTTP 400.');
    expect(await get(org, '/labs')).toContain('<h3>The answer</h3><pre>HTTP 400\n{&#34;error&#34;:&#34;invalid_grant&#34;,&#34;error_description&#34;:&#34;user is frozen&#34;}</pre>');
    expect(flash(await post(org, '/labs/check', {}))).toBe('Not yet: HTTP 400 invalid_grant: user is frozen.');
    await post(org, '/setup/user-state', { username: 'frozen@acme.com', frozen: 'false' });
    await post(org, '/labs/send', { draft });
    expect(flash(await post(org, '/labs/check', {}))).toBe('Solved: frozen@acme.com logged in with Acme Integration.');
    const page = await get(org, '/labs');
    expect(page).toContain('<th scope="row">After the security review</th><td><span class="pass">solved</span></td>');
    expect(page).toContain('<h3>The answer</h3><pre>HTTP 200\n{&#34;access_token&#34;:&#34;…(redacted)&#34;');
  });

  it.each([
    ['not JSON', '{"url":', /^The request is not JSON: .+\. Nothing was sent\.$/],
    ['not a request', '{"url":"https://login.salesforce.com/services/oauth2/token"}', /^The request is not one the editor can send: form: .+\. Nothing was sent\.$/],
    [
      'an alg it cannot sign',
      JSON.stringify({ url: 'https://login.salesforce.com/services/oauth2/token', form: {}, jwt: { header: { alg: 'ES256' }, claims: {} } }),
      /^the header's alg "ES256" is not one this lab signs with: RS256, RS384, RS512, HS256 or none\. .* Nothing was sent\.$/,
    ],
    [
      'a host of no mock',
      JSON.stringify({ url: 'https://example.com/services/oauth2/token', form: {}, jwt: { header: { alg: 'RS256' }, claims: {} } }),
      /^https:\/\/example\.com is not a host of this mock\./,
    ],
  ])('a draft that is %s is refused, sends nothing and is kept in the editor', async (_what, draft, message) => {
    const org = labOrg();
    await post(org, '/labs/start', { lab: '1' });
    const res = await post(org, '/labs/send', { draft });
    expect(res.headers.get('location')).toMatch(/\?refused=/);
    expect(flash(res)).toMatch(message);
    expect(org.journal.total).toBe(0);
    expect(await get(org, '/labs')).toContain(draft.replace(/"/g, '&#34;').slice(0, 40));
  });

  it('a Labs form without the form token is refused and starts nothing', async () => {
    const org = labOrg();
    const res = await org.handle(
      new Request(`${ORIGIN}/__sfjwt/ui/labs/start`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN }, body: 'lab=1' }),
      ctx,
    );
    expect(res.status).toBe(403);
    expect(await get(org, '/labs')).not.toContain('<h2>Lab 1:');
  });
});
