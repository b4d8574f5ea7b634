/**
 * POST /services/oauth2/token for the JWT Bearer grant: runs every check in order, lets the first
 * failure choose the wire response, records the whole trace, Login History and, on success, a new
 * session. Pure but for the org state it is given: no I/O besides reading the request body.
 */
import { myDomainHost } from '../world/hosts.ts';
import type { MockOrg, ServeContext } from './mock-org.ts';
import { REQUEST_CHECKS, TRANSPORT_CHECKS } from './check-catalogue.ts';
import { isFormContentType } from './checks/index.ts';
import type { Check, CheckResult, TokenContext } from './check.ts';
import type { IncomingRequest } from './incoming.ts';
import { sleep } from './clock.ts';
import { LOGIN_SUCCESS, OUTCOMES, type OutcomeName } from './outcomes.ts';
import { negotiateFormat, notFoundPage, oauthResponse, payloadTooLarge, redirect, type WireOptions, type WireResponse } from './responses.ts';
import { redactSignature, redactToken, traceStep, type Trace, type TraceStep } from './trace.ts';

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

function runChecks(checks: readonly Check[], ctx: TokenContext, steps: TraceStep[]): { check: Check; result: Extract<CheckResult, { verdict: 'fail' }> } | undefined {
  let first: { check: Check; result: Extract<CheckResult, { verdict: 'fail' }> } | undefined;
  for (const check of checks) {
    const result = check.run(ctx);
    steps.push(traceStep(check, result));
    if (result.verdict === 'fail' && first === undefined) first = { check, result };
  }
  return first;
}

/** The answer, or `dropped` when the connection is to be dropped without one (a forced outcome). */
export async function handleToken(org: MockOrg, request: IncomingRequest, sc: ServeContext, path: string, sitePrefix: string | undefined, trace: Trace): Promise<WireResponse | 'dropped'> {
  const now = org.now();
  const url = request.url;
  const knobs = org.knobs;
  const host = org.index.host(sc.host);
  if (host === undefined) throw new Error(`adapter passed an unknown host ${sc.host}`);
  const ctx: TokenContext = {
    method: request.method,
    url,
    header: (name) => request.header(name),
    host,
    path,
    sitePrefix,
    secure: sc.secure,
    clientIp: sc.clientIp,
    urls: sc.urls,
    world: org.index,
    knobs,
    now,
    recentLogins: (userId) => org.loginHistory.recentSuccesses(userId, now),
    body: undefined,
    params: undefined,
    assertion: undefined,
    app: undefined,
    audienceIsLoginHost: undefined,
    user: undefined,
    org: undefined,
    community: undefined,
  };
  const wire: WireOptions = { browserId: org.random.string(22, TOKEN_ALPHABET.slice(0, 62)), now: new Date(now) };
  const steps = trace.checks;
  const decide = (name: OutcomeName, by: Trace['decidedBy']): void => {
    trace.decidedBy = by;
    trace.outcome = name;
  };

  const transportFailure = runChecks(TRANSPORT_CHECKS, ctx, steps);
  if (transportFailure !== undefined && (transportFailure.check.id === 'host' || transportFailure.check.id === 'path')) {
    decide(transportFailure.result.outcome, transportFailure.check.id);
    for (const check of REQUEST_CHECKS) steps.push({ check: check.id, title: check.title, verdict: 'skip', reason: 'not a token request' });
    // The body is left unread: the node adapter drains it, and nothing else needs it.
    if (transportFailure.check.id === 'host' && host.org !== undefined) {
      const target = org.index.org(host.org);
      const location = target === undefined ? url.pathname : `${sc.urls.baseUrl(myDomainHost(target))}${url.pathname}${url.search}`;
      return redirect(location, wire);
    }
    return notFoundPage(wire);
  }

  const forced = org.forced.take();
  if (forced?.outcome === 'drop') {
    trace.decidedBy = 'forced';
    trace.outcome = 'dropped';
    steps.unshift({ check: 'forced', title: 'Outcome forced by the admin API', verdict: 'fail', actual: 'connection dropped' });
    return 'dropped';
  }
  if (forced?.outcome === 'delay') await sleep(forced.delayMs);

  const body = ctx.method === 'GET' || ctx.method === 'HEAD' ? '' : await request.readBody(knobs.maxBodyBytes);
  if (body === 'too-large') {
    decide('payloadTooLarge', 'grant-type');
    steps.push({ check: 'grant-type', title: 'Request body within the size limit', verdict: 'fail', outcome: 'payloadTooLarge', expected: `at most ${knobs.maxBodyBytes} bytes`, actual: 'a larger body', fix: 'A JWT Bearer request is a few kilobytes: send only grant_type and assertion.' });
    return payloadTooLarge(wire);
  }
  ctx.body = body;
  const params = new URLSearchParams(url.search);
  if (isFormContentType(request.header('content-type'))) {
    // Java servlet semantics (INF): query parameters come first, then the body's; the first value wins.
    for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
  }
  ctx.params = params;
  if (knobs.honourFormat) wire.format = negotiateFormat(params.get('format'), request.header('accept'));

  const requestFailure = runChecks(REQUEST_CHECKS, ctx, steps);
  const failure = transportFailure ?? requestFailure;
  if (ctx.assertion !== undefined) {
    trace.request.assertion = { header: ctx.assertion.header, payload: ctx.assertion.payload, signature: redactSignature(ctx.assertion.signature) };
  }
  if (ctx.user !== undefined) trace.username = ctx.user.username;
  if (ctx.app !== undefined) trace.app = ctx.app.name;
  const history = (status: string) => {
    if (ctx.user === undefined) return;
    org.loginHistory.record(ctx.user.id, {
      loginTime: new Date(now).toISOString(),
      username: ctx.user.username,
      status,
      application: ctx.app?.name ?? 'N/A',
      loginType: 'Remote Access 2.0',
      sourceIp: ctx.clientIp,
      loginUrl: host.name,
      traceId: trace.id,
    });
  };

  if (forced !== undefined && forced.outcome !== 'delay') {
    const answer = forced.outcome === 'unknown_error' ? { status: 400, error: OUTCOMES.unknownError.error, error_description: OUTCOMES.unknownError.description } : forced.outcome;
    trace.decidedBy = 'forced';
    trace.outcome = forced.outcome === 'unknown_error' ? 'unknownError' : 'other';
    steps.unshift({ check: 'forced', title: 'Outcome forced by the admin API', verdict: 'fail', actual: `${answer.error}: ${answer.error_description}` });
    trace.response = { status: answer.status, error: answer.error, errorDescription: answer.error_description };
    return oauthResponse(answer.status, [['error', answer.error], ['error_description', answer.error_description]], wire);
  }

  if (failure !== undefined) {
    const outcome = OUTCOMES[failure.result.outcome];
    decide(failure.result.outcome, failure.check.id);
    if (outcome.kind !== 'oauth-error') throw new Error(`check ${failure.check.id} chose a non-OAuth outcome after the transport checks`);
    if ('loginHistory' in outcome) history(outcome.loginHistory);
    trace.response = { status: outcome.status, error: outcome.error, errorDescription: outcome.description };
    return oauthResponse(outcome.status, [['error', outcome.error], ['error_description', outcome.description]], wire);
  }

  // Every check passed: ctx.user, ctx.org and ctx.app are set.
  const user = ctx.user;
  const userOrg = ctx.org;
  const app = ctx.app;
  if (user === undefined || userOrg === undefined || app === undefined) throw new Error('checks passed without identifying user, org and app');
  const token = `${userOrg.id.slice(0, 15)}!AQ${org.random.string(94, TOKEN_ALPHABET)}`;
  const timeout = knobs.sessionTimeoutSeconds ?? userOrg.sessionTimeoutSeconds;
  org.sessions.add(token, { userId: user.id, orgId: userOrg.id, app: app.name, issuedAt: now, expiresAt: now + timeout * 1000 });
  org.loginHistory.recordSuccess(user.id, now, knobs.loginRatePerHour);
  history(LOGIN_SUCCESS);
  trace.decidedBy = null;
  trace.outcome = 'success';
  trace.response = { status: 200, accessToken: redactToken(token) };
  const fields: [string, string][] = [['access_token', token]];
  if (knobs.issuedAtAndSignature) fields.push(['signature', Buffer.from(org.random.string(32, TOKEN_ALPHABET)).toString('base64')]);
  fields.push(
    ['scope', app.scopes.filter((s) => s !== 'refresh_token').join(' ')],
    ['instance_url', sc.urls.baseUrl(myDomainHost(userOrg))],
    ['id', `${sc.urls.baseUrl(host.name)}${sitePrefix ?? ''}/id/${userOrg.id}/${user.id}`],
    ['token_type', 'Bearer'],
  );
  if (knobs.issuedAtAndSignature) fields.push(['issued_at', String(now)]);
  if (ctx.community !== undefined) fields.push(['sfdc_community_url', ctx.community.url], ['sfdc_community_id', ctx.community.id]);
  return oauthResponse(200, fields, wire);
}
