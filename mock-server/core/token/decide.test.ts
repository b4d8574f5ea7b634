/**
 * `decide` on its own: a request whose body is already read, a world, a state and a frozen clock in;
 * the outcome, the deciding check, the facts the checks found and the answer out, with no org and no
 * transport. Each row changes one thing about a correct request.
 */
import type { KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { consumerKeyOf, formBody, goodClaims, JWT_GRANT, NOW, otherPrivateKey, signAssertion, testWorld } from '../../testing/fixtures.ts';
import { DEFAULT_APPS } from '../../world/default-world.ts';
import { realHostUrls } from '../../world/hosts.ts';
import { WorldIndex } from '../../world/world-index.ts';
import { CHECKS } from '../check-catalogue.ts';
import { TOKEN_PATH } from '../checks/transport.ts';
import { frozenClock, seededRandom } from '../clock.ts';
import type { Forced } from '../forced.ts';
import { resolveKnobs } from '../knobs.ts';
import { decide } from './decide.ts';
import type { TokenRequest, TokenState, TokenWorld } from './request.ts';

const WORLD = testWorld();
const world: TokenWorld = { index: new WorldIndex(structuredClone(WORLD)), knobs: resolveKnobs(WORLD.knobs) };
const clock = frozenClock(NOW);
const FORM = 'application/x-www-form-urlencoded';

function state(options: { forced?: Forced; logins?: number } = {}): TokenState {
  return { forced: { peek: () => options.forced }, loginHistory: { recentSuccesses: () => options.logins ?? 0 }, random: seededRandom(7) };
}

async function grantBody(overrides: Record<string, unknown> = {}, key?: KeyObject): Promise<string> {
  const assertion = await signAssertion(key === undefined ? { claims: goodClaims(WORLD, overrides) } : { claims: goodClaims(WORLD, overrides), key });
  return formBody({ grant_type: JWT_GRANT, assertion });
}

function request(changes: Partial<TokenRequest> & { hostName?: string; headers?: Record<string, string> } = {}): TokenRequest {
  const { hostName = 'login.salesforce.com', headers = { 'content-type': FORM }, ...rest } = changes;
  const host = world.index.host(hostName);
  if (host === undefined) throw new Error(`no host ${hostName}`);
  const h = new Headers(headers);
  return {
    method: 'POST',
    url: new URL(`https://${hostName}${TOKEN_PATH}`),
    header: (n) => h.get(n),
    body: '',
    host,
    path: TOKEN_PATH,
    sitePrefix: undefined,
    secure: true,
    clientIp: '127.0.0.1',
    urls: realHostUrls(),
    ...rest,
  };
}

interface Row {
  name: string;
  request: () => Promise<TokenRequest>;
  state?: TokenState;
  outcome: string;
  decidedBy: string | null;
  answer: string;
  /** The facts found, by name, with the user's username and the app's name where found. */
  facts: string[];
  user?: string;
  app?: string;
}

const ALL_FACTS = ['app', 'assertion', 'audienceIsLoginHost', 'org', 'user'];
const rows: Row[] = [
  {
    name: 'a correct request',
    request: async () => request({ body: await grantBody() }),
    outcome: 'success',
    decidedBy: null,
    answer: 'token',
    facts: ALL_FACTS,
    user: 'integration@acme.com',
    app: DEFAULT_APPS.selfAuthorized,
  },
  { name: 'the Lightning host', request: async () => request({ hostName: 'acme.lightning.force.com' }), outcome: 'redirectToMyDomain', decidedBy: 'host', answer: 'redirect', facts: [] },
  { name: 'another path', request: async () => request({ path: '/services/oauth2/token/' }), outcome: 'notFound', decidedBy: 'path', answer: 'not-found', facts: [] },
  { name: 'a GET', request: async () => request({ method: 'GET' }), outcome: 'mustUsePost', decidedBy: 'method', answer: 'error', facts: [] },
  { name: 'no grant_type', request: async () => request({ body: 'foo=bar' }), outcome: 'unsupportedGrantType', decidedBy: 'grant-type', answer: 'error', facts: [] },
  { name: 'a body over the limit', request: async () => request({ body: 'too-large' }), outcome: 'payloadTooLarge', decidedBy: 'grant-type', answer: 'too-large', facts: [] },
  {
    name: 'an unknown consumer key',
    request: async () => request({ body: await grantBody({ iss: 'nope' }) }),
    outcome: 'invalidClientId',
    decidedBy: 'issuer',
    answer: 'error',
    facts: ['assertion', 'audienceIsLoginHost', 'org', 'user'],
    user: 'integration@acme.com',
  },
  {
    name: 'another key',
    request: async () => request({ body: await grantBody({}, otherPrivateKey()) }),
    outcome: 'signatureInvalid',
    decidedBy: 'signature',
    answer: 'error',
    facts: ALL_FACTS,
    user: 'integration@acme.com',
    app: DEFAULT_APPS.selfAuthorized,
  },
  {
    name: 'an unknown user',
    request: async () => request({ body: await grantBody({ sub: 'nobody@acme.com' }) }),
    outcome: 'notApproved',
    decidedBy: 'user',
    answer: 'error',
    facts: ['app', 'assertion', 'audienceIsLoginHost'],
    app: DEFAULT_APPS.selfAuthorized,
  },
  {
    name: 'a site audience',
    request: async () =>
      request({
        hostName: 'acme.my.site.com',
        url: new URL('https://acme.my.site.com/customers/services/oauth2/token'),
        sitePrefix: '/customers',
        body: await grantBody({ aud: 'https://acme.my.site.com/customers' }),
      }),
    outcome: 'success',
    decidedBy: null,
    answer: 'token',
    facts: [...ALL_FACTS, 'community'].sort(),
    user: 'integration@acme.com',
    app: DEFAULT_APPS.selfAuthorized,
  },
  {
    name: 'the login rate reached',
    request: async () => request({ body: await grantBody() }),
    state: state({ logins: 3_600 }),
    outcome: 'rateExceeded',
    decidedBy: 'rate-limit',
    answer: 'error',
    facts: ALL_FACTS,
    user: 'integration@acme.com',
    app: DEFAULT_APPS.selfAuthorized,
  },
  {
    name: 'a forced drop',
    request: async () => request({ body: await grantBody() }),
    state: state({ forced: { outcome: 'drop', count: 1, delayMs: 0 } }),
    outcome: 'dropped',
    decidedBy: 'forced',
    answer: 'dropped',
    facts: [],
  },
  {
    name: 'a forced unknown_error',
    request: async () => request({ body: await grantBody() }),
    state: state({ forced: { outcome: 'unknown_error', count: 1, delayMs: 0 } }),
    outcome: 'unknownError',
    decidedBy: 'forced',
    answer: 'error',
    facts: ALL_FACTS,
    user: 'integration@acme.com',
    app: DEFAULT_APPS.selfAuthorized,
  },
  {
    name: 'a forced delay',
    request: async () => request({ body: await grantBody() }),
    state: state({ forced: { outcome: 'delay', count: 1, delayMs: 1_500 } }),
    outcome: 'success',
    decidedBy: null,
    answer: 'token',
    facts: ALL_FACTS,
    user: 'integration@acme.com',
    app: DEFAULT_APPS.selfAuthorized,
  },
];

describe('decide', () => {
  it.each(rows.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const decision = decide(await row.request(), world, row.state ?? state(), clock);
    expect(decision.outcome).toBe(row.outcome);
    expect(decision.decidedBy).toBe(row.decidedBy);
    expect(decision.answer.kind).toBe(row.answer);
    expect(Object.keys(decision.facts).sort()).toEqual(row.facts);
    expect(decision.facts.user?.username).toBe(row.user);
    expect(decision.facts.app?.name).toBe(row.app);
    expect(decision.now).toBe(NOW);
  });

  it('records every check in order, and the facts each found reach the checks after it', async () => {
    const decision = decide(request({ body: await grantBody() }), world, state(), clock);
    expect(decision.steps.map((s) => [s.check, s.verdict])).toEqual(CHECKS.map((c) => [c.id, 'pass']));
    expect(decision.facts.assertion?.payload['iss']).toBe(consumerKeyOf(WORLD));
    expect(decision.facts.org?.name).toBe('acme');
    expect(decision.facts.audienceIsLoginHost).toBe(true);
  });

  it('a grant says what to commit: the session, the Login History status, the rate window', async () => {
    const decision = decide(request({ body: await grantBody() }), world, state(), clock);
    const token = decision.answer.kind === 'token' ? decision.answer.accessToken : '';
    expect(token).toMatch(/^00D5g0000000001!AQ[A-Za-z0-9._]{94}$/);
    expect(decision.changes).toEqual({
      takeForced: false,
      loginHistory: 'Success',
      session: { token, session: { userId: decision.facts.user?.id, orgId: decision.facts.org?.id, app: DEFAULT_APPS.selfAuthorized, issuedAt: NOW, expiresAt: NOW + 7_200_000 }, rateLimit: 3_600 },
    });
  });

  it.each([
    ['a forced delay', { outcome: 'delay', count: 1, delayMs: 1_500 }, 1_500, true],
    ['a forced error', { outcome: 'unknown_error', count: 1, delayMs: 1_500 }, 0, true],
    ['nothing forced', undefined, 0, false],
  ] as const)('%s: delay and use of the forced outcome', async (_n, forced, delayMs, takeForced) => {
    const decision = decide(request({ body: await grantBody() }), world, forced === undefined ? state() : state({ forced }), clock);
    expect([decision.delayMs, decision.changes.takeForced]).toEqual([delayMs, takeForced]);
  });

  it('a request the endpoint does not take leaves a forced outcome for the next one', () => {
    const decision = decide(request({ path: '/nope' }), world, state({ forced: { outcome: 'drop', count: 1, delayMs: 0 } }), clock);
    expect([decision.outcome, decision.changes.takeForced]).toEqual(['notFound', false]);
  });

  it('the same inputs give the same decision', async () => {
    const body = await grantBody();
    const a = decide(request({ body }), world, state(), clock);
    const b = decide(request({ body }), world, state(), clock);
    expect(b.answer).toEqual(a.answer);
    expect(b.steps).toEqual(a.steps);
  });
});
