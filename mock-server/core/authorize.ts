/**
 * The OAuth 2.0 user-agent flow, as a trainee meets it in a real org: `GET /services/oauth2/authorize?
 * response_type=token&client_id=…&redirect_uri=…` on the login, test or My Domain host checks the app
 * and its callback URL (an unknown app or a callback URL the app does not list is an error page, never
 * a redirect), then serves a login page; a good username and password lead to the Allow page naming
 * the app and the scopes asked; Allow sends the browser to the callback URL with the token in the
 * fragment, as Salesforce does, and Deny with `error=access_denied`. An approval that grants the
 * `refresh_token` (`offline_access`) scope is the prior approval the JWT Bearer flow needs: it is
 * recorded through the Setup module (the user's approved apps, hence OauthToken), with Login History.
 *
 * The pages are the mock's own, self-contained and accessible; a flow in progress is a random id
 * in a hidden field (no cookie), bounded in number and time. The password is compared, never stored
 * elsewhere, never journalled. `response_type=code` is the web-server flow: the same pages, then a
 * code in the callback URL's query (with PKCE's code_challenge kept for the exchange, token/codes.ts).
 */
import { sameSecret } from '../../lib/same-secret.ts';
import { approveApp } from '../setup/actions.ts';
import type { LogicalHost } from '../world/hosts.ts';
import { myDomainHost } from '../world/hosts.ts';
import type { App, Org, User } from '../world/schema.ts';
import type { IncomingRequest } from './incoming.ts';
import type { MockOrg, ServeContext } from './mock-org.ts';
import { OUTCOMES } from './outcomes.ts';
import { htmlResponse, payloadTooLarge, redirect, type WireResponse, wireOptions } from './responses.ts';
import { GRANT_ERRORS, issueCode } from './token/codes.ts';
import { newAccessToken, newSession, newSignature, TOKEN_ALPHABET } from './token/grant.ts';
import type { Trace } from './trace.ts';

export const AUTHORIZE_PATH = '/services/oauth2/authorize';

/** How long a flow may wait between its pages, and how many may wait at once (a harness bound). */
const FLOW_TTL_MS = 15 * 60_000;
const MAX_FLOWS = 1_000;

/** Salesforce's labels of the scopes on the Allow page ("OAuth Tokens and Scopes"). */
export const SCOPE_LABELS: Readonly<Record<string, string>> = {
  api: 'Manage user data via APIs (api)',
  web: 'Manage user data via Web browsers (web)',
  full: 'Full access (full)',
  id: 'Access the identity URL service (id, profile, email, address, phone)',
  openid: 'Access unique user identifiers (openid)',
  refresh_token: 'Perform requests at any time (refresh_token, offline_access)',
  chatter_api: 'Access Chatter REST API resources (chatter_api)',
  visualforce: 'Manage user data via Visualforce pages (visualforce)',
};

/** The login page's answer to a username or password it does not accept (Salesforce's text). */
export const BAD_LOGIN_MESSAGE = "Please check your username and password. If you still can't log in, contact your Salesforce administrator.";

/**
 * The error answers of the authorize endpoint: code and description as Salesforce's OAuth error table
 * words them; those the token endpoint gives too are its own (the outcomes, the code grants').
 */
export const AUTHORIZE_ERRORS = {
  invalidClient: [OUTCOMES.invalidClientId.error, OUTCOMES.invalidClientId.description],
  redirectMissing: ['redirect_uri_missing', 'redirect_uri not provided'],
  redirectMismatch: GRANT_ERRORS.redirectMismatch,
  unsupportedResponseType: ['unsupported_response_type', 'response type not supported'],
  invalidScope: ['invalid_scope', 'the requested scope is not allowed'],
  accessDenied: ['access_denied', 'end-user denied authorization'],
  inactiveUser: ['inactive_user', 'user is inactive'],
  inactiveOrg: [OUTCOMES.inactiveOrg.error, OUTCOMES.inactiveOrg.description],
} as const satisfies Record<string, readonly [string, string]>;

interface Flow {
  id: string;
  /** token: the user-agent flow (the token in the fragment); code: the web-server flow (a code in the query). */
  responseType: 'token' | 'code';
  /** PKCE: the code_challenge and its method, for the code flow. */
  codeChallenge?: { value: string; method: 'S256' | 'plain' };
  app: string;
  redirectUri: string;
  state: string | null;
  /** The scopes asked for, as the app has them (offline_access read as refresh_token). */
  scopes: string[];
  host: string;
  createdAt: number;
  /** The `prompt` values asked for (`consent`: the Allow page even after an earlier approval). */
  prompt: string[];
  /** Set once the user has logged in on the login page. */
  userId?: string;
}

const flows = new WeakMap<object, Map<string, Flow>>();

function flowsOf(mock: object): Map<string, Flow> {
  let store = flows.get(mock);
  if (store === undefined) {
    store = new Map();
    flows.set(mock, store);
  }
  return store;
}

/** Forgets the flows in progress, as `reset()` does. */
export function clearAuthorizeFlows(mock: object): void {
  flows.delete(mock);
}

/** Whether the request is for the authorize endpoint: GET or POST on a login, test or My Domain host. */
export function isAuthorizeRequest(method: string, host: LogicalHost, path: string): boolean {
  return path === AUTHORIZE_PATH && (method === 'GET' || method === 'POST') && (host.kind === 'login' || host.kind === 'test' || host.kind === 'my-domain');
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One self-contained page: no external asset, a main landmark, readable on a laptop. */
function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title><style>
body{font-family:system-ui,sans-serif;background:#f3f3f3;color:#181818;margin:0}main{max-width:26rem;margin:3rem auto;background:#fff;padding:1.5rem 2rem;border-radius:.5rem;box-shadow:0 1px 3px #0003}
h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .3rem;font-weight:600}input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #747474;border-radius:.25rem}
button{margin:1rem .5rem 0 0;padding:.55rem 1.2rem;font-size:1rem;border-radius:.25rem;border:1px solid #0b5cab;background:#0b5cab;color:#fff;cursor:pointer}button.secondary{background:#fff;color:#0b5cab}
button:focus,input:focus{outline:3px solid #1b96ff;outline-offset:1px}.error{color:#ba0517;font-weight:600}ul{padding-left:1.2rem}
</style></head><body><main>${body}</main></body></html>`;
}

function loginPage(flow: Flow, error?: string, username = ''): string {
  return page(
    'Login | Salesforce',
    `<h1>Log in</h1>${error === undefined ? '' : `<p class="error" role="alert" id="error">${escapeHtml(error)}</p>`}<form method="post" action="${AUTHORIZE_PATH}">
<input type="hidden" name="flow" value="${flow.id}"><input type="hidden" name="action" value="login">
<label for="username">Username</label><input id="username" name="username" type="email" autocomplete="username" required value="${escapeHtml(username)}"${error === undefined ? '' : ' aria-describedby="error"'}>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log In</button></form>`,
  );
}

function allowPage(flow: Flow, app: App, user: User): string {
  const asked = flow.scopes.map((s) => `<li>${escapeHtml(SCOPE_LABELS[s] ?? s)}</li>`).join('');
  return page(
    'Allow Access? | Salesforce',
    `<h1>Allow Access?</h1><p><strong>${escapeHtml(app.name)}</strong> is asking to:</p><ul>${asked}</ul><p>Logged in as ${escapeHtml(user.username)}.</p>
<form method="post" action="${AUTHORIZE_PATH}"><input type="hidden" name="flow" value="${flow.id}">
<button type="submit" name="action" value="allow">Allow</button><button type="submit" name="action" value="deny" class="secondary">Deny</button></form>`,
  );
}

function errorPage(code: string, description: string): string {
  return page(
    'OAuth Error | Salesforce',
    `<h1>OAuth Error</h1><p>We can't authorize you because of an OAuth error. For more information, contact your Salesforce administrator.</p><p class="error"><code>${escapeHtml(code)}</code>: ${escapeHtml(description)}</p>`,
  );
}

/** The callback URL with `params` in its fragment (the user-agent flow) or its query (the web-server flow). */
function callbackUrl(flow: Pick<Flow, 'redirectUri' | 'responseType'>, params: readonly [string, string][]): string {
  const encoded = new URLSearchParams(params as [string, string][]).toString();
  if (flow.responseType === 'token') return `${flow.redirectUri}#${encoded}`;
  return `${flow.redirectUri}${flow.redirectUri.includes('?') ? '&' : '?'}${encoded}`;
}

/** The orgs whose users log in on this host: a My Domain's own org; login: production; test: sandboxes. */
function orgsOfHost(mock: MockOrg, host: LogicalHost): Org[] {
  if (host.org !== undefined) return mock.index.world.orgs.filter((o) => o.name === host.org);
  return mock.index.world.orgs.filter((o) => (host.kind === 'test' ? o.kind === 'sandbox' : o.kind !== 'sandbox'));
}

const appIn = (app: App, org: Org) => app.org === org.name || app.installedIn?.includes(org.name) === true;

/** Answers the authorize endpoint (GET: the start; POST: the login and Allow pages' forms) and fills in `trace`. */
export async function answerAuthorize(mock: MockOrg, request: IncomingRequest, sc: ServeContext, host: LogicalHost, trace: Trace): Promise<WireResponse> {
  const now = mock.now();
  const wire = wireOptions(mock.random, now);
  const store = flowsOf(mock);
  for (const [id, f] of store) if (now - f.createdAt > FLOW_TTL_MS) store.delete(id);
  const answer = (response: WireResponse, outcome: Trace['outcome'] = 'other') => {
    trace.response.status = response.status;
    trace.outcome = outcome;
    return response;
  };
  const fail = (status: number, [code, description]: readonly [string, string]) => {
    trace.response.error = code;
    trace.response.errorDescription = description;
    return answer(htmlResponse(status, errorPage(code, description), wire));
  };
  const toCallback = (flow: Flow, params: [string, string][], outcome: Trace['outcome']) =>
    answer(redirect(callbackUrl(flow, flow.state === null ? params : [...params, ['state', flow.state]]), wire), outcome);
  /** An error sent back to the callback URL, as Salesforce sends those it can. */
  const callbackError = (flow: Flow, pair: readonly [string, string]) => {
    trace.response.error = pair[0];
    trace.response.errorDescription = pair[1];
    return toCallback(flow, errorParams(pair), 'other');
  };

  if (request.method === 'GET') {
    const q = request.url.searchParams;
    const app = mock.index.appByConsumerKey(q.get('client_id') ?? '');
    if (app === undefined) return fail(400, AUTHORIZE_ERRORS.invalidClient);
    trace.app = app.name;
    const redirectUri = q.get('redirect_uri');
    if (redirectUri === null || redirectUri === '') return fail(400, AUTHORIZE_ERRORS.redirectMissing);
    if (!app.callbackUrls.includes(redirectUri)) return fail(400, AUTHORIZE_ERRORS.redirectMismatch);
    const responseType = q.get('response_type');
    const flow: Flow = {
      id: mock.random.string(32, TOKEN_ALPHABET.slice(0, 62)),
      responseType: responseType === 'code' ? 'code' : 'token',
      app: app.name,
      redirectUri,
      state: q.get('state'),
      prompt: (q.get('prompt') ?? '').split(/[\s+]+/).filter((p) => p !== ''),
      scopes: [],
      host: host.name,
      createdAt: now,
    };
    if (responseType !== 'token' && responseType !== 'code') {
      return callbackError(flow, AUTHORIZE_ERRORS.unsupportedResponseType);
    }
    // The scopes asked for (all of the app's when none are), each one the app must have.
    const asked = (q.get('scope') ?? '')
      .split(/[\s+]+/)
      .filter((s) => s !== '')
      .map((s) => (s === 'offline_access' ? 'refresh_token' : s));
    const unknown = asked.filter((s) => !(app.scopes as readonly string[]).includes(s));
    if (unknown.length > 0) {
      return callbackError(flow, AUTHORIZE_ERRORS.invalidScope);
    }
    flow.scopes = [...new Set(asked.length > 0 ? asked : app.scopes)];
    const challenge = q.get('code_challenge');
    if (flow.responseType === 'code' && challenge !== null && challenge !== '') {
      const method = q.get('code_challenge_method') ?? 'S256';
      if (method !== 'S256' && method !== 'plain') return callbackError(flow, ['invalid_request', 'invalid code_challenge_method']);
      flow.codeChallenge = { value: challenge, method };
    }
    if (store.size >= MAX_FLOWS) store.delete(store.keys().next().value as string);
    store.set(flow.id, flow);
    return answer(htmlResponse(200, loginPage(flow, undefined, q.get('login_hint') ?? ''), wire));
  }

  // POST: a form of one of the pages.
  const body = await request.readBody(64 * 1024);
  if (body === 'too-large') return answer(payloadTooLarge(wire));
  const form = new URLSearchParams(body);
  const flow = store.get(form.get('flow') ?? '');
  if (flow === undefined || flow.host !== host.name) return fail(400, ['invalid_request', 'the authorization request has expired or is unknown: start again']);
  const app = mock.index.world.apps.find((a) => a.name === flow.app);
  if (app === undefined) return fail(400, AUTHORIZE_ERRORS.invalidClient);
  trace.app = app.name;
  const action = form.get('action');

  /** Allowed (or approved before): the token or the code, and the approval recorded. */
  const grantAccess = (flow: Flow, user: User, org: Org): WireResponse => {
    // Allowed: an approval with refresh_token (offline_access) is the prior approval the JWT flow needs.
    if (flow.scopes.includes('refresh_token')) approveApp(mock, { username: user.username, app: app.name });
    recordLogin(mock, user, app, 'Success', sc, host, now, trace.id);
    if (flow.responseType === 'code') {
      // The web-server flow: a code the token endpoint exchanges once, within 15 minutes (codes.ts).
      const code = issueCode(mock, {
        app: app.name,
        userId: user.id,
        orgId: org.id,
        redirectUri: flow.redirectUri,
        scopes: flow.scopes,
        host: host.name,
        ...(flow.codeChallenge === undefined ? {} : { codeChallenge: flow.codeChallenge }),
        issuedAt: now,
      });
      return toCallback(flow, [['code', code]], 'success');
    }
    const token = newAccessToken(org, mock.random);
    mock.sessions.add(token, newSession({ user, org, app }, mock.knobs, now));
    trace.response.accessToken = `${token.split('!')[0]}![redacted]`;
    return toCallback(
      flow,
      [
        ['access_token', token],
        ['instance_url', sc.urls.baseUrl(myDomainHost(org))],
        ['id', `${sc.urls.baseUrl(host.name)}/id/${org.id}/${user.id}`],
        ['issued_at', String(now)],
        ['signature', newSignature(mock.random)],
        ['scope', flow.scopes.join(' ')],
        ['token_type', 'Bearer'],
      ],
      'success',
    );
  };

  if (action === 'login') {
    const username = form.get('username') ?? '';
    const user = mock.index.userByUsername(username);
    const org = user === undefined ? undefined : orgsOfHost(mock, host).find((o) => o.name === user.org);
    if (user === undefined || org === undefined || user.password === undefined || !sameSecret(form.get('password') ?? '', user.password)) {
      if (user !== undefined && org !== undefined) recordLogin(mock, user, app, 'Invalid Password', sc, host, now, trace.id);
      return answer(htmlResponse(200, loginPage(flow, BAD_LOGIN_MESSAGE, username), wire));
    }
    trace.username = user.username;
    if (org.status === 'locked') return callbackError(flow, AUTHORIZE_ERRORS.inactiveOrg);
    if (!user.active) {
      recordLogin(mock, user, app, 'User is inactive', sc, host, now, trace.id);
      return callbackError(flow, AUTHORIZE_ERRORS.inactiveUser);
    }
    if (user.frozen) {
      recordLogin(mock, user, app, 'User is frozen', sc, host, now, trace.id);
      return answer(htmlResponse(200, loginPage(flow, BAD_LOGIN_MESSAGE, username), wire));
    }
    if (!appIn(app, org)) return fail(400, AUTHORIZE_ERRORS.invalidClient);
    flow.userId = user.id;
    // A user who approved the app before goes straight back, unless the client asks for the Allow page again (prompt=consent).
    if (user.approvedApps.includes(app.name) && !flow.prompt.includes('consent')) {
      store.delete(flow.id);
      return grantAccess(flow, user, org);
    }
    return answer(htmlResponse(200, allowPage(flow, app, user), wire));
  }

  const user = flow.userId === undefined ? undefined : mock.index.userById(flow.userId);
  const org = user === undefined ? undefined : mock.index.org(user.org);
  if (user === undefined || org === undefined || (action !== 'allow' && action !== 'deny')) return fail(400, ['invalid_request', 'log in first: the Allow page comes after the login page']);
  trace.username = user.username;
  store.delete(flow.id);
  if (action === 'deny') return callbackError(flow, AUTHORIZE_ERRORS.accessDenied);

  return grantAccess(flow, user, org);
}

const errorParams = ([error, description]: readonly [string, string]): [string, string][] => [
  ['error', error],
  ['error_description', description],
];

function recordLogin(mock: MockOrg, user: User, app: App, status: string, sc: ServeContext, host: LogicalHost, now: number, traceId: string): void {
  mock.loginHistory.record(user.id, {
    loginTime: new Date(now).toISOString(),
    username: user.username,
    status,
    application: app.name,
    loginType: 'Remote Access 2.0',
    sourceIp: sc.clientIp,
    loginUrl: host.name,
    traceId,
  });
}
