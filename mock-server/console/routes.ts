/**
 * The web console under /__sfjwt/ui: pages are GETs (Requests, a request's trace, App Manager, an
 * app, Users, a user, Faults, Labs), read under the mock's own host names only, as the admin API is. A
 * form posts `application/x-www-form-urlencoded` to the same paths as the admin API's controls
 * (`setup/<action>`, `force`, `clock`, `knobs`, `reset`), is checked by guard.ts, runs the one Setup
 * module or harness control, and answers 303 back to the page it came from with what happened.
 */
import { ADMIN_MAX_BODY_BYTES, adminTokenOf, foreignHostRefusal } from '../admin/protection.ts';
import type { IncomingRequest } from '../core/incoming.ts';
import type { MockOrg, ServeContext } from '../core/mock-org.ts';
import { isSetupAction, SETUP_ACTIONS } from '../setup/actions.ts';
import { clearForcedOutcomes, HARNESS_CONTROLS, resetMock } from '../setup/harness.ts';
import type { SetupResult } from '../setup/result.ts';
import { CONSOLE_PREFIX, formRefusal, sessionCookie } from './guard.ts';
import { labsForm, labsPage } from './labs-page.ts';
import { esc, type Flash, page } from './page.ts';
import { newRows, requestsPage, tracePage } from './requests.ts';
import { appPage, appsPage, faultsPage, userPage, usersPage } from './setup-pages.ts';

export { CONSOLE_PREFIX };

const redirect = (to: string, cookie?: string) =>
  new Response(null, { status: 303, headers: { Location: to, 'Cache-Control': 'no-store', ...(cookie === undefined ? {} : { 'Set-Cookie': cookie }) } });

function flashOf(url: URL): Flash | undefined {
  const message = url.searchParams.get('done') ?? url.searchParams.get('refused');
  return message === null ? undefined : { ok: url.searchParams.has('done'), message };
}

function getPage(org: MockOrg, url: URL, sub: string, sc: ServeContext, signal?: AbortSignal): Response | Promise<Response> {
  const flash = flashOf(url);
  const decoded = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (sub === '/') return redirect(`${CONSOLE_PREFIX}/requests`);
  if (sub === '/login') {
    const cookie = sessionCookie(org, url.searchParams.get('token') ?? '', sc.secure);
    if (cookie !== undefined) return redirect(`${CONSOLE_PREFIX}/requests`, cookie);
    return page({
      title: 'Log in to the console',
      current: undefined,
      status: adminTokenOf(org) === undefined ? 200 : 401,
      body:
        adminTokenOf(org) === undefined
          ? `<p>This mock has no admin token: the console needs no log-in. <a href="${CONSOLE_PREFIX}/requests">Requests</a>.</p>`
          : `<p>The console changes the mock only with the admin token the mock printed when it started. Open the console link it printed, or give the token here.</p><form class="row" method="get" action="${CONSOLE_PREFIX}/login"><label>Admin token<input name="token" type="password" autocomplete="off" required></label><button type="submit">Log in</button></form>`,
    });
  }
  if (sub === '/requests') return requestsPage(org, url);
  if (sub === '/requests/rows') return newRows(org, url, signal);
  if (sub.startsWith('/requests/')) return tracePage(org, decoded(sub.slice('/requests/'.length)));
  if (sub === '/setup/apps') return appsPage(org, flash);
  if (sub.startsWith('/setup/apps/')) return appPage(org, decoded(sub.slice('/setup/apps/'.length)), flash);
  if (sub === '/setup/users') return usersPage(org, flash);
  if (sub.startsWith('/setup/users/')) return userPage(org, decoded(sub.slice('/setup/users/'.length)), flash);
  if (sub === '/faults') return faultsPage(org, flash);
  if (sub === '/labs') return labsPage(org, flash);
  return page({ title: 'No such page', current: undefined, status: 404, body: `<p>The console has no page ${esc(sub)}. <a href="${CONSOLE_PREFIX}/requests">Requests</a>.</p>` });
}

/** The form's fields as a Setup input: `true`/`false` for the user's state, numbers where a number is asked for. */
function input(fields: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of fields) {
    if (k === 'csrf' || k === 'back') continue;
    if (k === 'active' || k === 'frozen') out[k] = v === 'true';
    else if (['count', 'delayMs', 'offsetSeconds'].includes(k)) out[k] = v.trim() === '' ? undefined : Number(v);
    else out[k] = v;
  }
  return out;
}

function ipRanges(fields: URLSearchParams): Record<string, unknown> {
  const start = fields.get('start')?.trim() ?? '';
  const end = fields.get('end')?.trim() ?? '';
  return { username: fields.get('username') ?? '', ranges: start === '' && end === '' ? [] : [{ start, end }] };
}

function knobChange(fields: URLSearchParams): Record<string, unknown> {
  const value = (fields.get('value') ?? '').trim();
  const parsed = value === 'true' ? true : value === 'false' ? false : value === 'null' ? null : /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  return { [(fields.get('knob') ?? '').trim()]: parsed };
}

function control(org: MockOrg, sub: string, fields: URLSearchParams): { result: SetupResult<unknown>; did: string } | undefined {
  if (sub.startsWith('/setup/')) {
    const action = sub.slice('/setup/'.length);
    if (!isSetupAction(action)) return undefined;
    const run: (org: MockOrg, input: unknown) => SetupResult<unknown> = SETUP_ACTIONS[action];
    // One range from the form's two fields, or none (the Clear button sends neither).
    const given = action === 'login-ip-ranges' ? ipRanges(fields) : input(fields);
    return { result: run(org, given), did: `Done: ${action.replace(/-/g, ' ')}.` };
  }
  if (sub === '/force') return { result: HARNESS_CONTROLS.force(org, input(fields)), did: 'Forced: the next token answers are queued.' };
  if (sub === '/force/clear') return { result: clearForcedOutcomes(org), did: 'The pending forced answers are dropped.' };
  if (sub === '/clock') return { result: HARNESS_CONTROLS.clock(org, input(fields)), did: "The mock's clock is moved." };
  if (sub === '/knobs') return { result: HARNESS_CONTROLS.knobs(org, knobChange(fields)), did: 'The knob is changed.' };
  if (sub === '/reset') return { result: resetMock(org), did: 'Back to the starting world: journal, sessions and history cleared.' };
  return undefined;
}

/** Where a form goes back to: a console page it named, else the page of its kind. */
function backTo(fields: URLSearchParams, sub: string): string {
  const segments = (fields.get('back') ?? '').split('/');
  // Any name (an app's has spaces, quotes, brackets): each segment is encoded, and none may climb out of the console.
  if (segments.every((s) => s !== '' && s !== '.' && s !== '..' && !/[\u0000-\u001f]/.test(s))) return `${CONSOLE_PREFIX}/${segments.map(encodeURIComponent).join('/')}`;
  return `${CONSOLE_PREFIX}/${sub.startsWith('/setup/') ? 'setup/users' : 'faults'}`;
}

export async function handleConsole(org: MockOrg, request: IncomingRequest, sc: ServeContext, signal?: AbortSignal): Promise<Response> {
  const url = request.url;
  const sub = url.pathname.slice(CONSOLE_PREFIX.length).replace(/\/+$/, '') || '/';
  const method = request.method.toUpperCase();
  const foreign = foreignHostRefusal(org, request, sc, '/ui');
  if (foreign !== undefined) return foreign;
  if (method === 'GET' || method === 'HEAD') return getPage(org, url, sub, sc, signal);
  if (method !== 'POST') return page({ title: 'Not allowed', current: undefined, status: 405, body: '<p>The console takes GET for pages and POST for its forms.</p>' });
  const text = await request.readBody(ADMIN_MAX_BODY_BYTES);
  if (text === 'too-large') return page({ title: 'Too large', current: undefined, status: 413, body: `<p>A console form is at most ${ADMIN_MAX_BODY_BYTES} bytes.</p>` });
  const fields = new URLSearchParams((request.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded') ? text : '');
  const refused = formRefusal(org, request, sc, fields);
  if (refused !== undefined) return page({ title: 'Refused', current: undefined, status: 403, body: `<p>${esc(refused)}</p>` });
  if (sub.startsWith('/labs/')) {
    const did = await labsForm(org, sub, fields, sc);
    if (did === undefined) return page({ title: 'No such form', current: undefined, status: 404, body: `<p>The console has no form ${esc(sub)}.</p>` });
    return redirect(`${backTo(fields, sub)}?${did.ok ? 'done' : 'refused'}=${encodeURIComponent(did.message)}`);
  }
  const ran = control(org, sub, fields);
  if (ran === undefined) return page({ title: 'No such form', current: undefined, status: 404, body: `<p>The console has no form ${esc(sub)}.</p>` });
  const to = backTo(fields, sub);
  const message = ran.result.ok ? ran.did : `Refused: ${ran.result.message}${ran.result.fix === undefined ? '' : ` ${ran.result.fix}`}`;
  return redirect(`${to}?${ran.result.ok ? 'done' : 'refused'}=${encodeURIComponent(message)}`);
}
