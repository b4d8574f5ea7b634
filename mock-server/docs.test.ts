/**
 * The README documents every check id and every knob with its default; this keeps the two from
 * drifting apart. It also runs the README's msw and `await using` examples for real.
 */
import { readFileSync } from 'node:fs';
import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import { approveApp, CHECKS, defaultWorld, frozenClock, KNOBS, MockOrg, salesforceHandlers, setUserState, startMockOrg } from './index.ts';
import { formBody, goodClaims, JWT_GRANT, signAssertion, testKeys, testStateDir, tokenRequest } from './testing/fixtures.ts';
import { NOW } from './testing/now.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it.each(CHECKS.map((c) => [c.id]))('documents the check %s', (id) => {
    expect(readme).toContain(`| \`${id}\` |`);
  });

  it.each(KNOBS.map((k) => [k.name, k]))('documents the knob %s with its default and confidence', (_name, knob) => {
    expect(readme).toContain(`| \`${knob.name}\` | \`${JSON.stringify(knob.default)}\` | ${knob.confidence} |`);
  });

  it('msw example: intercepts login.salesforce.com and records the deciding check', async () => {
    const org = new MockOrg({ world: defaultWorld({ certificatePem: testKeys().certificatePem }) });
    const server = setupServer(...salesforceHandlers(org));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const res = await fetch('https://login.salesforce.com/services/oauth2/token', { method: 'POST', body: new URLSearchParams({ grant_type: 'password' }) });
      expect(res.status).toBe(400);
      expect(await res.text()).toBe('{"error":"unsupported_grant_type","error_description":"grant type not supported"}');
      expect(org.journal.list(1)[0]?.decidedBy).toBe('grant-type');
    } finally {
      server.close();
    }
  });

  it('Setup example: approving the app lets the user in; freezing the user shuts them out', async () => {
    const org = new MockOrg({ world: defaultWorld({ certificatePem: testKeys().certificatePem }), clock: frozenClock(NOW) });
    const grant = (sub: string) =>
      org.handle(tokenRequest('https://login.salesforce.com/services/oauth2/token', formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(org.index.world, { sub }) }) })), {
        host: 'login.salesforce.com',
        secure: true,
        clientIp: '127.0.0.1',
        urls: { baseUrl: (h) => `https://${h}`, origins: (h) => [`https://${h}`] },
      });
    expect(await (await grant('unapproved@acme.com')).text()).toBe('{"error":"invalid_grant","error_description":"user hasn\'t approved this consumer"}');
    expect(approveApp(org, { username: 'unapproved@acme.com', app: 'Acme Integration' })).toEqual({ ok: true, value: {} });
    expect((await grant('unapproved@acme.com')).status).toBe(200);
    expect(setUserState(org, { username: 'integration@acme.com', frozen: true })).toEqual({ ok: true, value: {} });
    expect(await (await grant('integration@acme.com')).text()).toBe('{"error":"invalid_grant","error_description":"user is frozen"}');
  });

  it('await using example: the server is closed when the block ends', async () => {
    let login = '';
    {
      await using mock = await startMockOrg({ port: 0, tls: false, stateDir: testStateDir() });
      login = mock.login;
      expect((await fetch(`${login}/__sfjwt/health`)).status).toBe(200);
    }
    await expect(fetch(`${login}/__sfjwt/health`)).rejects.toThrow();
  });
});
