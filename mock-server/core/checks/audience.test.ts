/**
 * `aud` matching, spelling by spelling, through MockOrg.handle: the leniency the audienceLenient knob
 * documents (a trailing slash, the letter case of the host and scheme, a missing https://) and nothing
 * more. Every other spelling a URL parser would read as the same URL — userinfo, a query, a fragment,
 * :443, dot segments, %2e, a tab or newline, ideographic full stops, fullwidth letters, a soft hyphen,
 * a long s — is `audience is invalid`, and with the knob off only the exact URL passes. Each spelling
 * is tried on the login host, the test host, a My Domain and an Experience Cloud site, in both modes,
 * with the exact answer body and the check that decided.
 */
import { describe, expect, it } from 'vitest';
import { consumerKeyOf, formBody, goodClaims, JWT_GRANT, signAssertion, testOrg, testWorld, tokenRequest } from '../../testing/fixtures.ts';
import { SALESFORCE } from '../../testing/salesforce-answers.ts';
import { DEFAULT_APPS } from '../../world/default-world.ts';
import { type HostUrls, realHostUrls } from '../../world/hosts.ts';
import type { MockOrg } from '../mock-org.ts';
import { TOKEN_PATH } from './transport.ts';

const WORLD = testWorld();

interface Target {
  name: string;
  /** The logical host posted to. */
  host: string;
  /** The path of the audience URL: '' or a site's `/prefix`. */
  path: string;
  /** The path of the token endpoint on that host. */
  tokenPath: string;
  claims: Record<string, unknown>;
}

const TARGETS: Target[] = [
  { name: 'the login host', host: 'login.salesforce.com', path: '', tokenPath: TOKEN_PATH, claims: {} },
  { name: 'the test host', host: 'test.salesforce.com', path: '', tokenPath: TOKEN_PATH, claims: { sub: 'integration@acme.com.uat' } },
  // The My Domain as aud is accepted here by the knob, so its spellings are what is tested.
  { name: 'a My Domain', host: 'acme.my.salesforce.com', path: '', tokenPath: TOKEN_PATH, claims: {} },
  { name: 'a site URL', host: 'acme.my.site.com', path: '/customers', tokenPath: `/customers${TOKEN_PATH}`, claims: {} },
];

/** pass: in both modes; lenient: only with audienceLenient on; refused: in both. */
type Expect = 'pass' | 'lenient' | 'refused';

const fullwidth = (s: string) => s.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** Every spelling of the audience `https://${h}${p}`, with what it must get. */
function spellings(h: string, p: string): [string, string, Expect][] {
  const base = `https://${h}${p}`;
  const dot = h.indexOf('.');
  const label = h.slice(0, dot);
  const rest = h.slice(dot + 1);
  const mixed = h.replace(/(^|\.)([a-z])/g, (_m, sep: string, c: string) => `${sep}${c.toUpperCase()}`);
  const rows: [string, string, Expect][] = [
    ['the exact URL', base, 'pass'],
    ['a trailing slash', `${base}/`, 'lenient'],
    ['the host in capitals', `https://${h.toUpperCase()}${p}`, 'lenient'],
    ['the host in mixed case', `https://${mixed}${p}`, 'lenient'],
    ['no scheme', `${h}${p}`, 'lenient'],
    ['no scheme and a trailing slash', `${h}${p}/`, 'lenient'],
    ['the scheme in capitals', `HTTPS://${h}${p}`, 'lenient'],
    ['no scheme, capitals and a trailing slash', `${h.toUpperCase()}${p}/`, 'lenient'],
    ['two trailing slashes', `${base}//`, 'refused'],
    ['userinfo', `https://x@${h}${p}`, 'refused'],
    ['userinfo with a password', `https://x:y@${h}${p}`, 'refused'],
    ['a query', `${base}?a=1`, 'refused'],
    ['an empty query', `${base}?`, 'refused'],
    ['a query after a trailing slash', `${base}/?a=1`, 'refused'],
    ['a fragment', `${base}#x`, 'refused'],
    ['an explicit :443', `https://${h}:443${p}`, 'refused'],
    ['a dot segment', `https://${h}/.${p}`, 'refused'],
    ['a dot segment and a slash', `${base}/./`, 'refused'],
    ['a double-dot segment', `https://${h}/x/..${p}`, 'refused'],
    ['%2e in the path', `https://${h}/%2e${p}`, 'refused'],
    ['%2e for a dot of the host', `https://${label}%2e${rest}${p}`, 'refused'],
    ['a tab inside the host', `https://${h.slice(0, 2)}\t${h.slice(2)}${p}`, 'refused'],
    ['a newline inside the host', `https://${h.slice(0, 2)}\n${h.slice(2)}${p}`, 'refused'],
    ['ideographic full stops', `https://${h.replaceAll('.', '\u3002')}${p}`, 'refused'],
    ['fullwidth letters', `https://${fullwidth(label)}.${rest}${p}`, 'refused'],
    ['a soft hyphen in the host', `https://${h.slice(0, 2)}\u00ad${h.slice(2)}${p}`, 'refused'],
    ['a long s for an s', `https://${h.replace('s', '\u017f')}${p}`, 'refused'],
    ['a trailing dot on the host', `https://${h}.${p}`, 'refused'],
    ['a backslash for the trailing slash', `${base}\\`, 'refused'],
    ['http://', `http://${h}${p}`, 'refused'],
    ['the scheme without its slashes', `https:${h}${p}`, 'refused'],
    ['white space around it', ` ${base} `, 'refused'],
    ['a path added', `${base}/x`, 'refused'],
  ];
  if (p !== '') {
    rows.push(
      ['the site path in capitals', `https://${h}${p.toUpperCase()}`, 'refused'],
      ['the site host without its path', `https://${h}`, 'refused'],
      ['the site path without its slash', `https://${h}${p.slice(1)}`, 'refused'],
    );
  }
  return rows;
}

const orgs = new Map<boolean, MockOrg>();
function orgFor(lenient: boolean): MockOrg {
  let org = orgs.get(lenient);
  if (org === undefined) {
    org = testOrg({ knobs: { audienceLenient: lenient, myDomainAudience: 'accept', loginRatePerHour: null } }).org;
    orgs.set(lenient, org);
  }
  return org;
}

interface Answer {
  status: number;
  body: string;
  decidedBy: string | null | undefined;
  fix: string | undefined;
}

async function post(org: MockOrg, target: Target, aud: unknown, urls: HostUrls = realHostUrls()): Promise<Answer> {
  const assertion = signAssertion({ claims: goodClaims(WORLD, { ...target.claims, aud }) });
  const res = await org.handle(tokenRequest(`https://${target.host}${target.tokenPath}`, formBody({ grant_type: JWT_GRANT, assertion })), {
    host: target.host,
    secure: true,
    clientIp: '127.0.0.1',
    urls,
  });
  const trace = org.journal.get(res.headers.get('x-sfjwt-trace') ?? '');
  return { status: res.status, body: await res.text(), decidedBy: trace?.decidedBy, fix: trace?.checks.find((c) => c.check === 'audience')?.fix };
}

function expectPass(a: Answer): void {
  expect(a.status).toBe(200);
  expect(Object.keys(JSON.parse(a.body) as object)).toContain('access_token');
  expect(a.decidedBy).toBeNull();
}

function expectAudienceInvalid(a: Answer): void {
  expect(a.status).toBe(400);
  expect(a.body).toBe(SALESFORCE.audienceInvalid);
  expect(a.decidedBy).toBe('audience');
}

const CASES = TARGETS.flatMap((t) =>
  [true, false].flatMap((lenient) =>
    spellings(t.host, t.path).map(([spelling, aud, want]) => ({
      title: `${t.name}, ${lenient ? 'lenient' : 'strict'}: ${spelling} ${JSON.stringify(aud)} → ${want === 'pass' || (want === 'lenient' && lenient) ? 'granted' : 'audience is invalid'}`,
      target: t,
      lenient,
      aud,
      granted: want === 'pass' || (want === 'lenient' && lenient),
    })),
  ),
);

describe('aud spellings', () => {
  it.each(CASES.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
    const answer = await post(orgFor(c.lenient), c.target, c.aud);
    if (c.granted) expectPass(answer);
    else expectAudienceInvalid(answer);
  });

  it('an array of spellings passes on its first good entry, leniently or exactly', async () => {
    const login = TARGETS[0] as Target;
    expectPass(await post(orgFor(true), login, ['https://x@login.salesforce.com', 'LOGIN.salesforce.com/']));
    expectAudienceInvalid(await post(orgFor(false), login, ['https://x@login.salesforce.com', 'LOGIN.salesforce.com/']));
    expectPass(await post(orgFor(false), login, ['https://login.salesforce.com?', 'https://login.salesforce.com']));
  });
});

describe("the mock's own base URLs", () => {
  // As served on loopback over plain HTTP: http://127.0.0.1:PORT and http://localhost:PORT.
  const loopback: HostUrls = {
    baseUrl: () => 'http://127.0.0.1:4431',
    origins: () => ['http://127.0.0.1:4431', 'http://localhost:4431'],
  };
  const login = TARGETS[0] as Target;

  it.each([
    ['http://127.0.0.1:4431', true, true],
    ['http://127.0.0.1:4431/', true, false],
    ['HTTP://LOCALHOST:4431', true, false],
    ['http://localhost:4431/', true, false],
    // Only a missing https:// is forgiven: this origin's scheme is http.
    ['127.0.0.1:4431', false, false],
    ['https://127.0.0.1:4431', false, false],
    ['http://127.0.0.1:4431//', false, false],
    ['http://127.0.0.1:04431', false, false],
    ['http://127.0.0.1:4431?', false, false],
    ['http://x@127.0.0.1:4431', false, false],
    ['http://0x7f.0.0.1:4431', false, false],
    ['http://2130706433:4431', false, false],
  ] as const)('%s: lenient %s, strict %s', async (aud, lenient, strict) => {
    const l = await post(orgFor(true), login, aud, loopback);
    const s = await post(orgFor(false), login, aud, loopback);
    lenient ? expectPass(l) : expectAudienceInvalid(l);
    strict ? expectPass(s) : expectAudienceInvalid(s);
  });
});

describe('the fix hints of a refused aud', () => {
  const [login, test] = TARGETS as [Target, Target];
  const SANDBOX_AUD = 'test.salesforce.com is the audience for sandboxes. For this production login host use "https://login.salesforce.com", or send sandbox logins to https://test.salesforce.com.';
  const PRODUCTION_AUD = `login.salesforce.com is the audience for production orgs. For a sandbox use "https://test.salesforce.com" and post to test.salesforce.com or the sandbox's My Domain.`;
  it.each([
    ['https://test.salesforce.com/', login, SANDBOX_AUD],
    ['TEST.salesforce.com', login, SANDBOX_AUD],
    ['https://login.salesforce.com', test, PRODUCTION_AUD],
    ['Login.Salesforce.com/', test, PRODUCTION_AUD],
    ['LoginURL https://login.salesforce.com', login, 'aud is just the URL, such as "https://login.salesforce.com", with nothing before or after it.'],
    [' https://login.salesforce.com', login, 'aud is just the URL, such as "https://login.salesforce.com", with nothing before or after it.'],
    ['https://login.salesforce.com/services/oauth2/token', login, 'aud is the login URL without a path: "https://login.salesforce.com", not the token URL.'],
    ['https://x@login.salesforce.com', login, 'Set aud to "https://login.salesforce.com" for a request posted to login.salesforce.com.'],
  ] as const)('%j', async (aud, target, fix) => {
    const answer = await post(orgFor(true), target, aud);
    expectAudienceInvalid(answer);
    expect(answer.fix).toBe(fix);
  });

  it('a lenient spelling still names its audience: an External Client App takes the My Domain, not login', async () => {
    const eca = { ...(TARGETS[2] as Target), claims: { iss: consumerKeyOf(WORLD, DEFAULT_APPS.externalClientApp) } };
    expectPass(await post(orgFor(true), eca, 'ACME.my.salesforce.com/'));
    const login = await post(orgFor(true), eca, 'LOGIN.salesforce.com/');
    expect([login.status, login.body, login.decidedBy]).toEqual([400, SALESFORCE.appNotFound, 'app-access']);
  });
});
