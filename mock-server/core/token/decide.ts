/**
 * The token endpoint's decision, pure and synchronous over a request whose body is already read:
 * the transport checks (a request the endpoint does not take is answered at once), the forced
 * outcome, the body's size, then every request check in order with the facts each found handed to
 * the next. The first failure chooses the answer; a forced error replaces it; otherwise the grant.
 * Nothing here changes state: the result says what `commit` is to write. It reads the clock once
 * and draws from the injected random source (the cookie, then the token), as a seeded org replays.
 */
import { myDomainHost } from '../../world/hosts.ts';
import type { TokenContext, TokenFacts } from '../check.ts';
import { DECIDED_OUTSIDE_CHECKS, REQUEST_CHECKS, TRANSPORT_CHECKS } from '../check-catalogue.ts';
import { LOGIN_SUCCESS, OUTCOMES, type OutcomeName } from '../outcomes.ts';
import { negotiateFormat, newBrowserId, type WireOptions } from '../responses.ts';
import type { TraceStep } from '../trace.ts';
import { type Changes, type Decision, NO_CHANGES, type TokenAnswer } from './decision.ts';
import { planForced } from './forced-plan.ts';
import { grant } from './grant.ts';
import { readForm, type TokenRequest, type TokenState, type TokenWorld } from './request.ts';
import { NO_FACTS, runChecks, skipAll } from './run-checks.ts';

const SPENT_FORCED: Changes = { ...NO_CHANGES, takeForced: true };
const NOT_FOUND: TokenAnswer = { kind: 'not-found', status: 404 };

/** The wire answer of each OAuth error outcome, made once rather than per request. */
const ERROR_ANSWERS = new Map<OutcomeName, TokenAnswer>(
  (Object.keys(OUTCOMES) as OutcomeName[]).flatMap((name) => {
    const o = OUTCOMES[name];
    return o.kind === 'oauth-error' ? [[name, { kind: 'error', status: o.status, error: o.error, description: o.description }] as const] : [];
  }),
);

/** The answer to a request the token endpoint does not take: the Lightning host redirects to the org's My Domain, anything else is the HTML 404 page. */
function notTaken(request: TokenRequest, world: TokenWorld, wrongHost: boolean): TokenAnswer {
  const from = wrongHost ? request.host.org : undefined;
  if (from === undefined) return NOT_FOUND;
  const target = world.index.org(from);
  const { pathname, search } = request.url;
  return { kind: 'redirect', status: 302, location: target === undefined ? pathname : `${request.urls.baseUrl(myDomainHost(target))}${pathname}${search}` };
}

export function decide(request: TokenRequest, world: TokenWorld, state: TokenState, clock: { now(): number }): Decision {
  const now = clock.now();
  const knobs = world.knobs;
  const browserId = newBrowserId(state.random);
  const body = request.body === 'too-large' ? '' : request.body;
  const form = readForm(request.url, body, request.header('content-type'), knobs.maxFormParameters);
  const ctx: TokenContext = {
    method: request.method,
    url: request.url,
    header: request.header,
    host: request.host,
    path: request.path,
    sitePrefix: request.sitePrefix,
    secure: request.secure,
    clientIp: request.clientIp,
    urls: request.urls,
    world: world.index,
    knobs,
    now,
    recentLogins: (userId) => state.loginHistory.recentSuccesses(userId, now),
    body,
    params: form.params,
  };
  const steps: TraceStep[] = [];
  // Said in the trace, never silently: parameters past the limit were not read.
  const formLimit = form.cut ? { read: form.read, note: `the form held more than ${form.read} parameters: the rest were ignored (the maxFormParameters knob)` } : undefined;
  const made = (rest: Pick<Decision, 'outcome' | 'decidedBy' | 'answer'> & Partial<Decision>): Decision => {
    const decision: Decision = {
      request,
      now,
      steps,
      facts: NO_FACTS,
      delayMs: 0,
      changes: NO_CHANGES,
      ...rest,
      wire: rest.wire ?? { browserId, now: new Date(now) },
    };
    return formLimit === undefined ? decision : { ...decision, formLimit };
  };

  // Host and path first: a request the token endpoint does not take is answered as such, and
  // nothing after (not even a forced outcome) looks at it.
  const transport = runChecks(TRANSPORT_CHECKS, ctx, NO_FACTS, steps).failure;
  if (transport !== undefined && (transport.check.id === 'host' || transport.check.id === 'path')) {
    skipAll(REQUEST_CHECKS, 'not a token request', steps);
    return made({ outcome: transport.result.outcome, decidedBy: transport.check.id, answer: notTaken(request, world, transport.check.id === 'host') });
  }

  const forced = planForced(state.forced.peek());
  const changes = forced === undefined ? NO_CHANGES : SPENT_FORCED;
  if (forced?.kind === 'drop') return made({ outcome: 'dropped', decidedBy: 'forced', answer: { kind: 'dropped', status: 0 }, steps: [forced.step, ...steps], changes });
  const delayMs = forced?.kind === 'delay' ? forced.delayMs : 0;

  if (request.body === 'too-large') {
    const by = DECIDED_OUTSIDE_CHECKS.payloadTooLarge;
    steps.push({
      check: by,
      title: 'Request body within the size limit',
      verdict: 'fail',
      outcome: 'payloadTooLarge',
      expected: `at most ${knobs.maxBodyBytes} bytes`,
      actual: 'a larger body',
      fix: 'A JWT Bearer request is a few kilobytes: send only grant_type and assertion.',
    });
    return made({ outcome: 'payloadTooLarge', decidedBy: by, answer: { kind: 'too-large', status: 413 }, delayMs, changes });
  }

  const checked = runChecks(REQUEST_CHECKS, ctx, NO_FACTS, steps);
  const facts: TokenFacts = checked.facts;
  const wire: WireOptions = knobs.honourFormat ? { browserId, now: new Date(now), format: negotiateFormat(ctx.params.get('format'), request.header('accept')) } : { browserId, now: new Date(now) };
  // The answers below list facts, wire and delayMs rather than spread one shared object: on every
  // grant, `{ ...shared, outcome, … }` made V8 build fresh hidden classes for the keys added after
  // the spread (four, each an inline-cache miss and garbage).

  if (forced?.kind === 'answer') {
    steps.unshift(forced.step);
    return made({ facts, wire, delayMs, outcome: forced.outcome, decidedBy: 'forced', answer: forced.answer, changes });
  }

  const failure = transport ?? checked.failure;
  if (failure !== undefined) {
    const answer = ERROR_ANSWERS.get(failure.result.outcome);
    if (answer === undefined) throw new Error(`check ${failure.check.id} chose a non-OAuth outcome after the transport checks`);
    const outcome = OUTCOMES[failure.result.outcome];
    const loginHistory = 'loginHistory' in outcome && facts.user !== undefined ? outcome.loginHistory : undefined;
    return made({ facts, wire, delayMs, outcome: failure.result.outcome, decidedBy: failure.check.id, answer, changes: loginHistory === undefined ? changes : { ...changes, loginHistory } });
  }

  // Every check passed, so the checks identified the user, the org and the app.
  const { user, org, app } = facts;
  if (user === undefined || org === undefined || app === undefined) throw new Error('checks passed without identifying user, org and app');
  const granted = grant(request, facts, { user, org, app }, knobs, state.random, now);
  return made({ facts, wire, delayMs, outcome: 'success', decidedBy: null, answer: granted.answer, changes: { ...changes, loginHistory: LOGIN_SUCCESS, session: granted.session } });
}
