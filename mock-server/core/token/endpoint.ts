/**
 * POST /services/oauth2/token for the JWT Bearer grant (and the approval flows' authorization_code
 * and refresh_token grants, codes.ts), as a thin async shell around the pure
 * pipeline: read the body (only a token request's, within the size knob), `decide`, `commit`, wait
 * out a forced delay on the org's clock, `render`. Deciding and committing run in one synchronous
 * stretch, so concurrent requests never see the same forced outcome or a half-written state.
 */
import type { IncomingRequest } from '../incoming.ts';
import type { MockOrg, ServeContext } from '../mock-org.ts';
import type { WireResponse } from '../responses.ts';
import { answerOtherGrant, OTHER_GRANTS } from './codes.ts';
import { commit } from './commit.ts';
import { decide } from './decide.ts';
import { render } from './render.ts';
import { type Route, readForm, readsBody, type TokenRequest } from './request.ts';

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
  // The approval flows' grants (authorization_code, refresh_token): a POST form over TLS (or with
  // requireTls off) goes to their own answers; anything else is judged as a JWT Bearer request.
  if (request.method === 'POST' && body !== '' && (sc.secure || !org.knobs.requireTls)) {
    const form = readForm(request.url, body, request.header('content-type'), org.knobs.maxFormParameters);
    const grantType = form.params.get('grant_type');
    if (grantType !== null && (OTHER_GRANTS as readonly string[]).includes(grantType)) {
      const trace = org.newTrace(traceId, request, sc, route.host.name, 'token');
      const response = answerOtherGrant(org, input, form.params, trace);
      org.journal.add(trace);
      return response;
    }
  }
  const decision = decide(input, org, org, org);
  commit(decision, org, traceId);
  if (decision.delayMs > 0) await org.sleep(decision.delayMs);
  return render(decision);
}
