/**
 * A consumer secret a client sends never comes back: wherever it lands (iss, as the catalogue's
 * claims.iss-consumer-secret sends it, or sub, aud, a header, a claim's name, the middle of a long
 * value, the path, a parameter's name, the Content-Type) it is absent from the journal, the trace and
 * the admin routes' answers, and so is its start where a check shows a value cut short. The
 * diagnosis stays: the issuer check still says iss is the consumer secret, and the value reads
 * `[redacted: the consumer secret of app …]`. The redactor follows the world: another index, a
 * changed app and a reset each bring the secrets in force. All through MockOrg.handle, in-process.
 */
import { describe, expect, it } from 'vitest';
import { formBody, goodClaims, JWT_GRANT, signAssertion, testOrg, testWorld, tokenRequest } from '../testing/fixtures.ts';
import { DEFAULT_APPS } from '../world/default-world.ts';
import { realHostUrls } from '../world/hosts.ts';
import type { World } from '../world/schema.ts';
import { WorldIndex } from '../world/world-index.ts';
import { TOKEN_PATH } from './checks/transport.ts';
import type { MockOrg, ServeContext } from './mock-org.ts';
import type { Trace } from './trace.ts';

const SC: ServeContext = { host: 'login.salesforce.com', secure: true, clientIp: '127.0.0.1', urls: realHostUrls() };
const LOGIN = 'https://login.salesforce.com';
const WORLD = testWorld();

function secretOf(world: World, app: string = DEFAULT_APPS.selfAuthorized): string {
  const secret = world.apps.find((a) => a.name === app)?.consumerSecret;
  if (secret === undefined) throw new Error(`no secret for ${app}`);
  return secret;
}

const SECRET = secretOf(WORLD);
const REDACTED = `[redacted: the consumer secret of app ${DEFAULT_APPS.selfAuthorized}]`;
const grant = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256' }) =>
  formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ header, claims: goodClaims(WORLD, claims) }) });

interface Sent {
  body: string;
  path?: string;
  contentType?: string;
}

async function send(org: MockOrg, sent: Sent): Promise<Trace> {
  const res = await org.handle(tokenRequest(`${LOGIN}${sent.path ?? TOKEN_PATH}`, sent.body, { headers: { 'Content-Type': sent.contentType ?? 'application/x-www-form-urlencoded' } }), SC);
  const trace = org.journal.get(res.headers.get('x-sfjwt-trace') ?? '');
  if (trace === undefined) throw new Error('no trace');
  return trace;
}

/** Everything the mock shows of its journal: the stored traces and the admin routes' answers. */
async function everythingShown(org: MockOrg, trace: Trace): Promise<string[]> {
  const get = async (path: string) => (await org.handle(new Request(`${LOGIN}/__sfjwt${path}`), SC)).text();
  return [JSON.stringify(org.journal.list()), JSON.stringify(trace), await get('/journal?limit=1000'), await get(`/traces/${trace.id}`)];
}

const cases: [string, (secret: string) => Sent, string][] = [
  ['as iss (the catalogue scenario)', (s) => ({ body: grant({ iss: s }) }), 'issuer'],
  ['as sub', (s) => ({ body: grant({ sub: s }) }), 'user'],
  ['as aud', (s) => ({ body: grant({ aud: s }) }), 'audience'],
  ['as a header value (kid)', (s) => ({ body: grant({}, { alg: 'RS256', kid: s }) }), 'none'],
  ['as the name of a claim', (s) => ({ body: grant({ [s]: 1 }) }), 'none'],
  ['inside a longer value', (s) => ({ body: grant({ note: `Bearer ${s} (from the vault)` }) }), 'none'],
  ['across the 1,024-character cut of a long claim', (s) => ({ body: grant({ note: `${'x'.repeat(1_000)}${s}${'y'.repeat(2_000)}` }) }), 'none'],
  ['with white space, as iss: shown cut short', (s) => ({ body: grant({ iss: `${s} ` }) }), 'issuer'],
  ['as a parameter name: shown cut short in the list of parameters', (s) => ({ body: `${s}=1&other=2` }), 'grant-type'],
  ['in the path', (s) => ({ body: grant({}), path: `/services/oauth2/token/${s}` }), 'path'],
  ['in the Content-Type', (s) => ({ body: grant({}), contentType: `application/x-www-form-urlencoded; key=${s}` }), 'none'],
];

describe('a consumer secret sent by a client', () => {
  it.each(cases)('%s: absent from the journal, the trace and the admin answers', async (_name, build, decidedBy) => {
    const { org } = testOrg();
    const trace = await send(org, build(SECRET));
    expect(trace.decidedBy ?? 'none').toBe(decidedBy);
    const shown = await everythingShown(org, trace);
    for (const text of shown) {
      expect(text.includes(SECRET), 'the secret').toBe(false);
      // The start a check shows of a long value (12 characters by the issuer check, 28 in a list of parameters).
      expect(text.includes(SECRET.slice(0, 12)), 'the start of the secret').toBe(false);
    }
    expect(JSON.stringify(trace)).toMatch(/\[redacted: the (start of the )?consumer secret of app Acme Integration\]/);
  });

  it('as iss: the diagnosis stays, the value is named, not shown', async () => {
    const { org } = testOrg();
    const trace = await send(org, { body: grant({ iss: SECRET }) });
    expect([trace.outcome, trace.decidedBy]).toEqual(['invalidClientId', 'issuer']);
    expect(trace.checks.find((c) => c.check === 'issuer')).toMatchObject({
      verdict: 'fail',
      actual: `iss is the consumer secret of "${DEFAULT_APPS.selfAuthorized}"`,
      fix: 'Use the consumer key, not the consumer secret, as iss (and keep the secret secret).',
    });
    expect(trace.request.assertion?.payload['iss']).toBe(REDACTED);
    expect(trace.request.assertion?.payload['sub']).toBe('integration@acme.com');
    // Redaction is not truncation.
    expect(trace.truncated).toBeUndefined();
  });

  it("every app's secret is known: the External Client App's, sent as sub", async () => {
    const { org } = testOrg();
    const eca = secretOf(WORLD, DEFAULT_APPS.externalClientApp);
    const trace = await send(org, { body: grant({ sub: eca }) });
    expect(trace.request.assertion?.payload['sub']).toBe(`[redacted: the consumer secret of app ${DEFAULT_APPS.externalClientApp}]`);
    for (const text of await everythingShown(org, trace)) expect(text.includes(eca)).toBe(false);
  });

  it('a usual grant is stored as it was made: no value changed, nothing marked', async () => {
    const { org } = testOrg();
    const trace = await send(org, { body: grant({}) });
    expect(trace.outcome).toBe('success');
    expect(JSON.stringify(trace)).not.toMatch(/\[(redacted|truncated):/);
    expect(trace.request.assertion?.payload).toEqual(goodClaims(WORLD));
  });
});

describe('the redactor follows the world', () => {
  const FRESH = '9'.repeat(64);

  it('an app whose secret changed (as a Setup change would): the new secret is redacted from the next trace on', async () => {
    const { org } = testOrg();
    const app = org.index.app(DEFAULT_APPS.selfAuthorized);
    if (app === undefined) throw new Error('no app');
    app.consumerSecret = FRESH;
    const trace = await send(org, { body: grant({ sub: FRESH, note: SECRET }) });
    expect(trace.request.assertion?.payload['sub']).toBe(REDACTED);
    // The old secret is no secret of this world any more.
    expect(trace.request.assertion?.payload['note']).toBe(SECRET);
  });

  it('after a reset the pristine secrets are in force again', async () => {
    const { org } = testOrg();
    const app = org.index.app(DEFAULT_APPS.selfAuthorized);
    if (app === undefined) throw new Error('no app');
    app.consumerSecret = FRESH;
    org.reset();
    const trace = await send(org, { body: grant({ sub: FRESH, note: SECRET }) });
    expect(trace.request.assertion?.payload).toMatchObject({ sub: FRESH, note: REDACTED });
  });

  it('another world: its secrets, not the old ones', async () => {
    const { org } = testOrg();
    const other = structuredClone(WORLD);
    for (const a of other.apps) a.consumerSecret = `${a.name.length}`.padStart(40, '7');
    org.index = new WorldIndex(other);
    const otherSecret = secretOf(other);
    const trace = await send(org, { body: grant({ sub: otherSecret, note: SECRET }) });
    expect(trace.request.assertion?.payload['note']).toBe(SECRET);
    expect(JSON.stringify(trace).includes(otherSecret)).toBe(false);
  });

  it('a secret of fewer than 8 characters: replaced as a whole value or where quoted, not inside words', async () => {
    const world = structuredClone(WORLD);
    const app = world.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized);
    if (app === undefined) throw new Error('no app');
    app.consumerSecret = 'api';
    const { org } = testOrg({ world });
    const trace = await send(org, { body: formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(world, { sub: 'api', scope: 'api refresh_token' }) }) }) });
    expect(trace.request.assertion?.payload).toMatchObject({ sub: REDACTED, scope: 'api refresh_token' });
    const user = trace.checks.find((c) => c.check === 'user');
    expect(user?.actual).toBe(`sub "${REDACTED}": no such user here`);
  });
});

describe('an admin refusal that would echo a secret', () => {
  it.each([
    ['GET', `/__sfjwt/login-history?username=${SECRET}`, undefined],
    ['POST', '/__sfjwt/setup/approve', JSON.stringify({ username: SECRET, app: DEFAULT_APPS.selfAuthorized })],
    ['POST', '/__sfjwt/setup/touch-app', JSON.stringify({ app: SECRET })],
  ])('%s %s answers the refusal with the marker, not the secret', async (method, path, body) => {
    const { org } = testOrg();
    const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
    if (body !== undefined) init.body = body;
    const res = await org.handle(new Request(`${LOGIN}${path}`, init), SC);
    const text = await res.text();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(text).not.toContain(SECRET);
    expect(text).toContain(REDACTED);
    expect(() => JSON.parse(text)).not.toThrow();
  });
});
