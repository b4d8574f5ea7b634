/**
 * Transport checks: the host (a `*.lightning.force.com` host redirects to My Domain), the path, the
 * method and TLS. They decide before anything in the body is read: a request that fails the host or
 * the path is not a token request, and its body is never read.
 */
import type { LogicalHost } from '../../world/hosts.ts';
import { type Check, fail, pass } from '../check.ts';

export const TOKEN_PATH = '/services/oauth2/token';

/** What the host check passes: every host but the Lightning UI host takes token requests. */
export const takesTokenRequests = (host: LogicalHost): boolean => host.kind !== 'lightning';

/** What the path check passes (the path under a site's prefix). */
export const isTokenPath = (path: string): boolean => path === TOKEN_PATH;

export const hostCheck: Check = {
  id: 'host',
  title: 'Host takes token requests',
  level: 'MUST',
  confidence: 'OBS+',
  description: "Token requests go to login.salesforce.com, test.salesforce.com, the org's My Domain or an Experience Cloud site. A *.lightning.force.com host answers 302 to the My Domain host.",
  outcomes: ['redirectToMyDomain'],
  knobs: [],
  rootCause: { title: 'The Lightning UI host redirects', fix: 'Post to the My Domain host (https://<domain>.my.salesforce.com) or login/test.salesforce.com.' },
  confirm: 'the answer is a 302 whose Location is the My Domain host: the URL host is *.lightning.force.com.',
  run(ctx) {
    const expected = 'login.salesforce.com, test.salesforce.com, a My Domain (*.my.salesforce.com) or an Experience Cloud site';
    if (!takesTokenRequests(ctx.host)) {
      return fail(
        'redirectToMyDomain',
        expected,
        ctx.host.name,
        'Send the token request to the My Domain host (https://<domain>.my.salesforce.com), not the Lightning UI host; most clients do not follow a redirect on POST.',
      );
    }
    return pass(expected, ctx.host.name);
  },
};

export const pathCheck: Check = {
  id: 'path',
  title: 'Path is /services/oauth2/token',
  level: 'MUST',
  confidence: 'OBS1',
  description: 'The token endpoint is /services/oauth2/token (under the site prefix on an Experience Cloud site); any other path gets an HTML "URL No Longer Exists" page, not JSON.',
  outcomes: ['notFound'],
  knobs: [],
  rootCause: { title: 'Not the token endpoint', fix: 'Post to <login URL>/services/oauth2/token.' },
  confirm: 'the body is an HTML page, not JSON: the URL path is not exactly /services/oauth2/token.',
  run(ctx) {
    const expected = `${ctx.sitePrefix ?? ''}${TOKEN_PATH}`;
    const actual = ctx.url.pathname;
    if (isTokenPath(ctx.path)) return pass(expected, actual);
    const fix = actual.toLowerCase().includes('oauth2/token')
      ? `Post to exactly ${expected} (no trailing slash, lower case).`
      : `Post to ${expected}; the token URL is the login URL followed by ${TOKEN_PATH}.`;
    return fail('notFound', expected, actual, fix);
  },
};

export const methodCheck: Check = {
  id: 'method',
  title: 'Method is POST',
  level: 'MUST',
  confidence: 'INF',
  description: 'The token request is an HTTP POST; parameters in a GET URL are not read.',
  outcomes: ['mustUsePost'],
  knobs: [],
  rootCause: { title: 'Not a POST', fix: 'POST the parameters form-encoded.' },
  confirm: "the request was sent with another method than POST (look at the client's log or a proxy).",
  run(ctx) {
    if (ctx.method === 'POST') return pass('POST', ctx.method);
    return fail('mustUsePost', 'POST', ctx.method, 'Send the token request as POST with the parameters in an application/x-www-form-urlencoded body.');
  },
};

export const tlsCheck: Check = {
  id: 'tls',
  title: 'Request is over HTTPS',
  level: 'MUST',
  confidence: 'INF',
  description: 'Salesforce serves the token endpoint over HTTPS only.',
  outcomes: ['httpsRequired'],
  knobs: ['requireTls'],
  rootCause: { title: 'Plain http://', fix: 'Use https://.' },
  confirm: 'the URL starts with http://.',
  run(ctx) {
    const actual = ctx.secure ? 'https' : 'http';
    if (ctx.secure) return pass('https', actual);
    if (!ctx.knobs.requireTls) return pass('https', actual, 'plain http accepted because the requireTls knob is off (serve --http)');
    return fail('httpsRequired', 'https', actual, 'Use an https:// login URL.');
  },
};
