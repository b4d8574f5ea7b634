/**
 * POST /services/oauth2/token for the JWT Bearer grant, as a thin async shell around the pure
 * pipeline: read the body (only a token request's, within the size knob), `decide`, `commit`, wait
 * out a forced delay on the org's clock, `render`. Deciding and committing run in one synchronous
 * stretch, so concurrent requests never see the same forced outcome or a half-written state.
 */
import type { IncomingRequest } from '../incoming.ts';
import type { MockOrg, ServeContext } from '../mock-org.ts';
import type { WireResponse } from '../responses.ts';
import { commit } from './commit.ts';
import { decide } from './decide.ts';
import { render } from './render.ts';
import { type Route, readsBody, type TokenRequest } from './request.ts';

/** The answer, or `dropped` when the connection is to be dropped without one (a forced outcome). */
export async function answerToken(org: MockOrg, request: IncomingRequest, sc: ServeContext, route: Route, traceId: string): Promise<WireResponse | 'dropped'> {
  // The body is left unread unless the token endpoint reads it: the node adapter drains it.
  const body = readsBody(request.method, route) ? await request.readBody(org.knobs.maxBodyBytes) : '';
  const input: TokenRequest = {
    method: request.method,
    url: request.url,
    header: (name) => request.header(name),
    body,
    host: route.host,
    path: route.path,
    sitePrefix: route.sitePrefix,
    secure: sc.secure,
    clientIp: sc.clientIp,
    urls: sc.urls,
  };
  const decision = decide(input, org, org, org);
  commit(decision, org, traceId);
  if (decision.delayMs > 0) await org.sleep(decision.delayMs);
  return render(decision);
}
