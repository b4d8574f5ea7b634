/**
 * msw handlers, so a vitest or jest suite intercepts https://login.salesforce.com/... and every other
 * host of the world in-process: `setupServer(...salesforceHandlers(org))`. Requests to hosts the world
 * does not have pass through to the next handler.
 */
import { http } from 'msw';
import type { MockOrg } from '../core/mock-org.ts';
import { realHostUrls } from '../world/hosts.ts';

export interface MswOptions {
  /** The caller IP the mock sees (default 127.0.0.1): to rehearse login IP ranges. */
  clientIp?: string;
}

export function salesforceHandlers(org: MockOrg, options: MswOptions = {}) {
  return [
    // A RegExp, not '*': msw decodes string patterns, which fails on paths with a malformed escape.
    http.all(/.*/, async ({ request }) => {
      const url = new URL(request.url);
      if (org.index.host(url.hostname) === undefined) return undefined;
      const secure = url.protocol === 'https:';
      return org.handle(request, { host: url.hostname.toLowerCase(), secure, clientIp: options.clientIp ?? '127.0.0.1', urls: realHostUrls(secure ? 'https' : 'http') });
    }),
  ];
}
