/**
 * `aud` must be an audience of the host the POST landed on: login.salesforce.com on the login host
 * and a production My Domain or site, test.salesforce.com on the test host and a sandbox's, a site's
 * URL on that site. The mock's own base URL for a host counts as that host (clients use the URL
 * they were pointed at). A My Domain `aud` is a knob for connected apps and fine for External Client Apps.
 * A value matches a URL exactly, or (knob audienceLenient) but for one trailing slash, the letter case
 * of scheme and host and a missing https://, read by a small grammar of its own and never by a URL parser.
 */
import { LOGIN_HOST, type LogicalHost, myDomainHost, siteHost, TEST_HOST } from '../../world/hosts.ts';
import type { Org } from '../../world/schema.ts';
import { type Check, fail, found, show, skip, type TokenContext } from '../check.ts';

type AudienceKind = 'login' | 'test' | 'my-domain' | 'site';

interface Audience {
  kind: AudienceKind;
  org?: Org;
  site?: { id: string };
  /** The URLs that denote this audience: the real one first, then the mock's. */
  urls: string[];
}

/** Lower-cases A-Z only: Unicode case folding would map the Kelvin sign to "k" and so on, and a host is ASCII. */
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));

/**
 * Whether the `aud` value denotes `url`, one of the audience URLs this module builds (`scheme://host[:port][/path]`).
 * Exact text always matches. Lenient matching (the audienceLenient knob) forgives exactly what it
 * documents and nothing more, with no URL parser (a WHATWG parser would also grant userinfo, a query, a
 * fragment, `:443`, dot segments, `%2e`, tabs, ideographic full stops, fullwidth letters, soft hyphens…):
 * the scheme prefix in any letter case, or none at all when the URL's scheme is https; the host
 * (and port) equal but for ASCII letter case; then the URL's path exactly, case-sensitive (a site's
 * path prefix), followed by at most one slash. Two trailing slashes are not "a trailing slash".
 */
export function audienceMatches(aud: string, url: string, lenient: boolean): boolean {
  if (aud === url) return true;
  if (!lenient) return false;
  const sep = url.indexOf('://');
  const scheme = url.slice(0, sep + 3);
  const slash = url.indexOf('/', sep + 3);
  const host = slash === -1 ? url.slice(sep + 3) : url.slice(sep + 3, slash);
  const path = slash === -1 ? '' : url.slice(slash);
  let rest: string;
  if (asciiLower(aud.slice(0, scheme.length)) === scheme) rest = aud.slice(scheme.length);
  else if (scheme === 'https://') rest = aud;
  else return false;
  const end = rest.indexOf('/');
  if (asciiLower(end === -1 ? rest : rest.slice(0, end)) !== asciiLower(host)) return false;
  const tail = end === -1 ? '' : rest.slice(end);
  return tail === path || tail === `${path}/`;
}

function audiencesOf(host: LogicalHost, ctx: TokenContext): Audience[] {
  const base = (name: string) => [`https://${name}`, ...ctx.urls.origins(name)];
  const login: Audience = { kind: 'login', urls: base(LOGIN_HOST) };
  const test: Audience = { kind: 'test', urls: base(TEST_HOST) };
  if (host.kind === 'login') return [login];
  if (host.kind === 'test') return [test];
  const org = host.org === undefined ? undefined : ctx.world.org(host.org);
  if (org === undefined) return [];
  const own = org.kind === 'sandbox' ? test : login;
  if (host.kind === 'site') {
    const sites = org.sites.map((s) => ({ kind: 'site' as const, org, site: { id: s.id }, urls: base(siteHost(org)).map((u) => `${u}/${s.urlPathPrefix}`) }));
    return [...sites, own];
  }
  return [own, { kind: 'my-domain', org, urls: base(myDomainHost(org)) }];
}

function fixFor(aud: string, host: LogicalHost, accepted: readonly Audience[]): string {
  const first = accepted[0]?.urls[0] ?? `https://${host.name}`;
  if (/\s/.test(aud)) return `aud is just the URL, such as "${first}", with nothing before or after it.`;
  if (aud.includes('/services/')) return `aud is the login URL without a path: "${first}", not the token URL.`;
  // The hints read the aud as leniently as the knob's default would, whatever the knob says now.
  if (audienceMatches(aud, `https://${TEST_HOST}`, true) && host.kind !== 'test')
    return `test.salesforce.com is the audience for sandboxes. For this ${host.kind === 'login' ? 'production login host' : 'org'} use "${first}", or send sandbox logins to https://test.salesforce.com.`;
  if (audienceMatches(aud, `https://${LOGIN_HOST}`, true) && host.kind !== 'login')
    return `login.salesforce.com is the audience for production orgs. For a sandbox use "https://test.salesforce.com" and post to test.salesforce.com or the sandbox's My Domain.`;
  return `Set aud to "${first}" for a request posted to ${host.name}.`;
}

export const audienceCheck: Check = {
  id: 'audience',
  title: 'aud is an audience of the host',
  level: 'MUST',
  confidence: 'OBS+',
  description: "aud is https://login.salesforce.com for production (posted to login or the org's My Domain), https://test.salesforce.com for sandboxes, or the site URL on an Experience Cloud site.",
  outcomes: ['audienceInvalid', 'notApproved'],
  knobs: ['audienceLenient', 'myDomainAudience'],
  rootCause: { title: 'aud is not an audience of this host', fix: 'aud = https://login.salesforce.com for production, https://test.salesforce.com for sandboxes.' },
  confirm: 'npx sfjwt inspect <JWT> --host <the host posted to> checks aud against that host: login.salesforce.com for production, test.salesforce.com for sandboxes.',
  run(ctx, { assertion, app }) {
    if (assertion === undefined) return skip('no decodable assertion');
    const raw = assertion.payload['aud'];
    const accepted = audiencesOf(ctx.host, ctx);
    const expected = accepted.map((a) => a.urls[0]).join(' or ');
    const values = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
    if (values.length === 0) {
      return fail('audienceInvalid', expected, raw === undefined ? 'no aud claim' : `aud is ${show(raw)}`, `Add the aud claim: "${accepted[0]?.urls[0] ?? ''}".`);
    }
    const lenient = ctx.knobs.audienceLenient;
    for (const value of values) {
      const match = accepted.find((a) => a.urls.some((u) => audienceMatches(value, u, lenient)));
      if (match === undefined) continue;
      if (match.kind === 'my-domain' && app?.kind !== 'external-client-app' && ctx.knobs.myDomainAudience !== 'accept') {
        const outcome = ctx.knobs.myDomainAudience === 'not-approved' ? 'notApproved' : 'audienceInvalid';
        const own = accepted[0]?.urls[0] ?? '';
        return fail(
          outcome,
          expected,
          `aud is the My Domain URL ${show(value)}`,
          `A connected app takes "${own}" as aud even when you post to the My Domain host; keep posting to My Domain but set aud to "${own}".`,
        );
      }
      const audienceIsLoginHost = match.kind === 'login' || match.kind === 'test';
      const facts = match.site === undefined ? { audienceIsLoginHost } : { audienceIsLoginHost, community: { url: match.urls[1] ?? value, id: match.site.id } };
      return found(facts, expected, show(value));
    }
    return fail('audienceInvalid', expected, `aud ${show(values.length === 1 ? values[0] : values)}`, fixFor(values[0] ?? '', ctx.host, accepted));
  },
};
