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
import type { MockOrg, ServeContext } from '../core/mock-org.ts';
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
}

type Route = (org: MockOrg, input: RouteInput) => Response;

/** A route that passes the JSON body to a control and answers the value it returns. */
const withBody =
  <T>(control: (org: MockOrg, input: unknown) => SetupResult<T>): Route =>
  (org, { body }) =>
    answer(control(org, body), (value) => value);

const ENDPOINTS = [
  'GET /health',
  'GET /world',
  'GET /journal?limit=N',
  'GET /traces/:id',
  'GET /login-history?username=U',
  'POST /reset',
  'GET|PUT /clock {offsetSeconds}',
  'GET|POST|DELETE /force {outcome, count, delayMs}',
  'GET|PATCH /knobs',
  ...SETUP_ACTION_NAMES.map((name) => `POST /setup/${name}`),
];

const setClock = withBody(HARNESS_CONTROLS.clock);
const setKnobs = withBody(HARNESS_CONTROLS.knobs);

const ROUTES = new Map<string, Route>([
  ['GET /', () => json(200, { endpoints: ENDPOINTS })],
  ['GET /health', (org) => json(200, { status: 'ok', requests: org.journal.total })],
  ['GET /world', (org) => json(200, org.describe())],
  [
    'GET /journal',
    (org, { url }) => {
      const limit = Math.max(1, Math.min(Number(url.searchParams.get('limit') ?? 50) || 50, org.knobs.journalSize));
      return json(200, { total: org.journal.total, kept: org.journal.size, entries: org.journal.list(limit) });
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
  return problem(404, `no admin endpoint ${method} ${sub}`, `GET ${ADMIN_PREFIX}/ lists them.`);
}

/** Answers a request whose path starts with ADMIN_PREFIX; `sc` says how the mock is served (its host names). */
export async function handleAdmin(org: MockOrg, request: IncomingRequest, sc: ServeContext): Promise<Response> {
  const url = request.url;
  const sub = url.pathname.slice(ADMIN_PREFIX.length).replace(/\/+$/, '') || '/';
  const method = request.method.toUpperCase();
  const foreign = foreignHostRefusal(org, request, sc, sub);
  if (foreign !== undefined) return foreign;
  const route = lookup(method, sub);
  if (route instanceof Response) return route;
  if (method === 'GET' || method === 'HEAD') return route(org, { url, body: undefined });
  const refused = stateChangeRefusal(org, request, sc);
  if (refused !== undefined) return refused;
  const read = await readJsonBody(request);
  return read instanceof Response ? read : route(org, { url, body: read.body });
}
