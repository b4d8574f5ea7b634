/**
 * Key material end to end with the mock org: a key made by `keys generate`, its certificate uploaded
 * to an app through the admin API, gets a token; the same key against an app holding another
 * certificate gets `invalid assertion`, and the trace says the certificate does not match.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyBundle } from '../lib/pki/bundle.ts';
import { buildClaims, importPrivateKey, signAssertion, tokenForm } from '../src/client/assertion.ts';
import { startMockOrg } from './adapters/node-server.ts';
import { frozenClock } from './core/clock.ts';
import { NOW, testWorld } from './testing/fixtures.ts';
import { DEFAULT_APPS } from './world/default-world.ts';

describe('a generated key with the mock org', () => {
  it('gets a token once its certificate is uploaded, and invalid assertion from an app with another certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfjwt-keys-mock-'));
    const { files } = generateKeyBundle({ outDir: join(dir, 'keys'), subject: [{ shortName: 'CN', value: 'integration' }], passphrase: 'secret' });
    await using mock = await startMockOrg({ world: testWorld(), tls: false, stateDir: dir, clock: frozenClock(NOW) });
    const world = mock.org.index.world;
    const key = importPrivateKey(readFileSync(files.encryptedKey ?? ''), 'secret');
    const login = async (app: string) => {
      const consumerKey = world.apps.find((a) => a.name === app)?.consumerKey ?? '';
      const assertion = await signAssertion(buildClaims({ consumerKey, username: 'integration@acme.com', audience: 'https://login.salesforce.com', now: NOW }), key);
      const res = await fetch(`${mock.login}/services/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: tokenForm(assertion) });
      return { status: res.status, body: await res.text(), trace: mock.org.journal.get(res.headers.get('x-sfjwt-trace') ?? '') };
    };

    const upload = await fetch(`${mock.admin}/setup/upload-certificate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${mock.adminToken ?? ''}` },
      body: JSON.stringify({ app: DEFAULT_APPS.selfAuthorized, pem: readFileSync(files.certificate ?? '', 'utf8') }),
    });
    expect(upload.status).toBe(200);
    const good = await login(DEFAULT_APPS.selfAuthorized);
    expect(good.status).toBe(200);
    expect((JSON.parse(good.body) as Record<string, unknown>)['access_token']).toMatch(/^00D[A-Za-z0-9]{12}!AQ[A-Za-z0-9._]{94}$/);

    const other = await login(DEFAULT_APPS.adminApproved);
    expect(other.status).toBe(400);
    expect(other.body).toBe('{"error":"invalid_grant","error_description":"invalid assertion"}');
    expect(other.trace?.decidedBy).toBe('signature');
    const step = other.trace?.checks.find((c) => c.check === 'signature');
    expect(step?.actual).toMatch(/^the certificate does not match: the signature verifies with none of the certificates on the app/);
    expect(step?.fix).toContain(`Sign with the private key that matches the certificate on "${DEFAULT_APPS.adminApproved}"`);
  });
});
