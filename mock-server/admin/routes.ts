/**
 * The admin API, under /__sfjwt on every host: a table of routes, each reading the org (health, the
 * world, the journal and traces, Login History, clock, forced outcomes, knobs) or calling a Setup
 * function with the JSON it was sent (reset, clock, force, knobs, every /setup action). Before a route
 * runs, protection.ts refuses a foreign host name and, for a state change, a request from a web page,
 * without the admin token, or without a JSON body of at most 1 MiB. Routes are looked up as
 * `METHOD /path` in a Map and Setup actions by own key, so a path such as /setup/constructor is an
 * unknown action (404), not a property of some prototype. Answers JSON; never echoes secrets.
 */
import type { IncomingRequest } from '../core/incoming.ts';
import { JOURNAL_PAGE_ENTRIES } from '../core/journal.ts';
import { knobProblem } from '../core/knobs.ts';
import type { MockOrg, ServeContext } from '../core/mock-org.ts';
import { LATEST_API_VERSION } from '../core/rest.ts';
import { runQuery } from '../core/soql/execute.ts';
import { LAB_ENDPOINTS, labRoute } from '../labs/routes.ts';
import { isSetupAction, SETUP_ACTION_NAMES, SETUP_ACTIONS } from '../setup/actions.ts';
import { clearForcedOutcomes, HARNESS_CONTROLS, resetMock } from '../setup/harness.ts';
import type { SetupResult } from '../setup/result.ts';
import { answer, json, problem } from './answers.ts';
import { ADMIN_PREFIX } from './prefix.ts';
import { foreignHostRefusal, readJsonBody, stateChangeRefusal } from './protection.ts';

export { ADMIN_PREFIX };

/** What a route reads: the URL (for a query string) and, for a state change, the JSON body (`{}` when empty). */
interface RouteInput {
  url: URL;
  body: unknown;
  /** The logical host the request landed on (login.salesforce.com, acme.my.salesforce.com, …). */
  host: string;
  /** How the mock is served (its host URLs), for answers that name them. */
  sc: ServeContext;
}

type Route = (org: MockOrg, input: RouteInput) => Response | Promise<Response>;

/** A route that passes the JSON body to a control and answers the value it returns. */
const withBody =
  <T>(control: (org: MockOrg, input: unknown) => SetupResult<T>): Route =>
  (org, { body }) =>
    answer(control(org, body), (value) => value);

const ENDPOINTS = [
  'GET /health',
  'GET /world',
  'GET /journal?limit=N&before=M',
  'GET /traces/:id',
  'GET /login-history?username=U',
  'GET /query?q=SOQL&org=NAME&user=U',
  'POST /reset',
  'GET|PUT /clock {offsetSeconds}',
  'GET|POST|DELETE /force {outcome, count, delayMs}',
  'GET|PATCH /knobs',
  ...SETUP_ACTION_NAMES.map((name) => `POST /setup/${name}`),
  ...LAB_ENDPOINTS,
];

const setClock = withBody(HARNESS_CONTROLS.clock);
const applyKnobs = withBody(HARNESS_CONTROLS.knobs);

/**
 * PATCH / PUT /knobs: a knob that is unknown or out of range is a 400 that names it, the value sent
 * and its range (`{error, knob, value, range, fix}`), and changes nothing.
 */
const setKnobs: Route = (org, input) => {
  const refused = knobProblem(input.body);
  if (refused === undefined) return applyKnobs(org, input);
  const { message, fix, ...named } = refused;
  return json(400, { error: message, ...named, fix });
};

const ROUTES = new Map<string, Route>([
  ['GET /', () => json(200, { endpoints: ENDPOINTS })],
  ['GET /health', (org) => json(200, { status: 'ok', requests: org.journal.total })],
  ['GET /world', (org) => json(200, org.describe())],
  [
    'GET /journal',
    (org, { url }) => {
      // One page, newest first: at most JOURNAL_PAGE_ENTRIES traces and JOURNAL_PAGE_CHARS characters
      // of them, so no answer grows with the journal; `next`, when older traces remain, is the
      // `before` of the page after it.
      const limit = Math.max(1, Math.min(Number(url.searchParams.get('limit') ?? 50) || 50, JOURNAL_PAGE_ENTRIES));
      const sent = url.searchParams.get('before');
      const before = sent === null ? undefined : Number(sent);
      if (before !== undefined && !(Number.isSafeInteger(before) && before >= 1)) {
        return problem(400, 'before must be a whole number from 1 up', 'Pass the "next" of the page before, or leave before out for the newest traces.');
      }
      const page = org.journal.page(limit, before);
      const head = { total: org.journal.total, kept: org.journal.size, entries: page.entries };
      return json(200, page.next === undefined ? head : { ...head, next: page.next });
    },
  ],
  [
    'GET /login-history',
    (org, { url }) => {
      const username = url.searchParams.get('username') ?? '';
      const user = org.index.userByUsername(username);
      if (user === undefined) return problem(404, `no user "${username}"`, 'Pass ?username= with a username of the world.');
      return json(200, { username: user.username, entries: org.loginHistory.forUser(user.id) });
    },
  ],
  [
    'GET /query',
    (org, { url, host }) => {
      // SOQL over an org as its admin sees it (the doctor's evidence on the mock): the REST API's
      // answer and error bytes, every record at once (no cursor), for the org named or the first.
      const name = url.searchParams.get('org');
      const target = name === null ? queriedOrg(org, host, url.searchParams.get('user')) : org.index.world.orgs.find((o) => o.name === name || o.id.slice(0, 15) === name.slice(0, 15));
      if (target === undefined) return problem(404, `no org "${name ?? ''}"`, `Pass ?org= with an org of the world: ${org.index.world.orgs.map((o) => o.name).join(', ')}.`);
      const soql = url.searchParams.get('q');
      if (soql === null || soql.trim() === '') return problem(400, 'q is missing', 'Pass the SOQL query as ?q=.');
      const answered = runQuery(soql, { world: org.index.world, org: target, loginHistory: org.loginHistory }, org.now(), `v${LATEST_API_VERSION}.0`);
      if (!('totalSize' in answered)) return new Response(answered.body, { status: answered.status, headers: { 'Content-Type': 'application/json;charset=UTF-8' } });
      return json(200, { totalSize: answered.totalSize, done: true, records: answered.records });
    },
  ],
  ['POST /reset', (org) => answer(resetMock(org), () => ({ ok: true }))],
  ['GET /clock', (org) => json(200, { offsetSeconds: org.clockOffsetMs / 1000, now: new Date(org.now()).toISOString() })],
  ['PUT /clock', setClock],
  ['POST /clock', setClock],
  ['GET /force', (org) => json(200, { pending: org.forced.pending() })],
  ['POST /force', withBody(HARNESS_CONTROLS.force)],
  ['DELETE /force', (org) => answer(clearForcedOutcomes(org), (value) => value)],
  ['GET /knobs', (org) => json(200, org.knobs)],
  ['PATCH /knobs', setKnobs],
  ['PUT /knobs', setKnobs],
]);

/**
 * The org a query without `org=` reads, as an admin of the org being logged in to would: the org of
 * the host it came to (a My Domain, a site); on login.salesforce.com the production orgs, on
 * test.salesforce.com the sandboxes, the one of them that has the user `user` when one has, else the
 * first of them (else the world's first org).
 */
function queriedOrg(org: MockOrg, hostName: string, user: string | null) {
  const host = org.index.host(hostName);
  const own = host?.org === undefined ? undefined : org.index.org(host.org);
  if (own !== undefined) return own;
  const orgs = org.index.world.orgs.filter((o) => (host?.kind === 'test' ? o.kind === 'sandbox' : o.kind !== 'sandbox'));
  const withUser = user === null ? undefined : org.index.userByUsername(user);
  return orgs.find((o) => o.name === withUser?.org) ?? orgs[0] ?? org.index.world.orgs[0];
}

function trace(org: MockOrg, encoded: string): Response {
  let id: string;
  try {
    id = decodeURIComponent(encoded);
  } catch {
    return problem(404, 'no trace with that id');
  }
  const found = org.journal.get(id);
  return found === undefined ? problem(404, 'no trace with that id (the journal keeps only the newest requests)') : json(200, found);
}

/** A Setup action by its own name (never a prototype's), run with the body. */
function setup(action: string): Route | Response {
  if (!isSetupAction(action)) return problem(404, `no setup action "${action}"`, `Actions: ${SETUP_ACTION_NAMES.join(', ')}.`);
  const run: (org: MockOrg, input: unknown) => SetupResult<object> = SETUP_ACTIONS[action];
  return (org, { body }) => answer(run(org, body), (value) => ({ ok: true, ...value }));
}

/** The route for `METHOD /sub`, or the 404 that says there is none. */
function lookup(method: string, sub: string): Route | Response {
  const route = ROUTES.get(`${method} ${sub}`);
  if (route !== undefined) return route;
  if (method === 'GET' && sub.startsWith('/traces/')) return (org) => trace(org, sub.slice('/traces/'.length));
  if (method === 'POST' && sub.startsWith('/setup/')) return setup(sub.slice('/setup/'.length));
  const lab = labRoute(method, sub);
  if (lab !== undefined) return lab;
  return problem(404, `no admin endpoint ${method} ${sub}`, `GET ${ADMIN_PREFIX}/ lists them.`);
}

/** Answers a request whose path starts with ADMIN_PREFIX; `sc` says how the mock is served (its host names). */
export async function handleAdmin(org: MockOrg, request: IncomingRequest, sc: ServeContext): Promise<Response> {
  return withoutSecrets(org, await route(org, request, sc));
}

async function route(org: MockOrg, request: IncomingRequest, sc: ServeContext): Promise<Response> {
  const url = request.url;
  const sub = url.pathname.slice(ADMIN_PREFIX.length).replace(/\/+$/, '') || '/';
  const method = request.method.toUpperCase();
  const foreign = foreignHostRefusal(org, request, sc, sub);
  if (foreign !== undefined) return foreign;
  const found = lookup(method, sub);
  if (found instanceof Response) return found;
  if (method === 'GET' || method === 'HEAD') return found(org, { url, body: undefined, host: sc.host, sc });
  const refused = stateChangeRefusal(org, request, sc);
  if (refused !== undefined) return refused;
  const read = await readJsonBody(request);
  return read instanceof Response ? read : found(org, { url, body: read.body, host: sc.host, sc });
}

/** Every string of a JSON value through the redactor. */
function redactJson(value: unknown, text: (s: string) => string): unknown {
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map((v) => redactJson(v, text));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [text(k), redactJson(v, text)]));
  return value;
}

/**
 * A refusal echoes what was asked for (`no user "…"`, a knob's value): one holding a consumer secret
 * of the world reads the redactor's marker instead, as the journal does. Answers that succeed carry
 * only the mock's own state, which the journal and `describe()` have already redacted.
 */
async function withoutSecrets(org: MockOrg, response: Response): Promise<Response> {
  if (response.status < 400) return response;
  const redactor = org.redactor();
  const body = await response.text();
  if (!redactor.holds(body)) return new Response(body, { status: response.status, headers: response.headers });
  let clean: string;
  try {
    clean = JSON.stringify(redactJson(JSON.parse(body), (s) => redactor.text(s)));
  } catch {
    clean = redactor.text(body);
  }
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(clean, { status: response.status, headers });
}
