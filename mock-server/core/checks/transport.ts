/**
 * Transport checks: the host (a `*.lightning.force.com` host redirects to My Domain), the path, the
 * method and TLS. They decide before anything in the body is read.
 */
import { fail, pass, type Check } from '../check.ts';

export const TOKEN_PATH = '/services/oauth2/token';

export const hostCheck: Check = {
  id: 'host',
  title: 'Host takes token requests',
  level: 'MUST',
  confidence: 'OBS+',
  description:
    'Token requests go to login.salesforce.com, test.salesforce.com, the org\'s My Domain or an Experience Cloud site. A *.lightning.force.com host answers 302 to the My Domain host.',
  outcomes: ['redirectToMyDomain'],
  run(ctx) {
    const expected = 'login.salesforce.com, test.salesforce.com, a My Domain (*.my.salesforce.com) or an Experience Cloud site';
    if (ctx.host.kind === 'lightning') {
      return fail('redirectToMyDomain', expected, ctx.host.name, 'Send the token request to the My Domain host (https://<domain>.my.salesforce.com), not the Lightning UI host; most clients do not follow a redirect on POST.');
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
  run(ctx) {
    const expected = `${ctx.sitePrefix ?? ''}${TOKEN_PATH}`;
    const actual = ctx.url.pathname;
    if (ctx.path === TOKEN_PATH) return pass(expected, actual);
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
  run(ctx) {
    const actual = ctx.secure ? 'https' : 'http';
    if (ctx.secure) return pass('https', actual);
    if (!ctx.knobs.requireTls) return pass('https', actual, 'plain http accepted because the requireTls knob is off (serve --http)');
    return fail('httpsRequired', 'https', actual, 'Use an https:// login URL.');
  },
};
