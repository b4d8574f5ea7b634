/**
 * The admin API, under the reserved path /__sfjwt on every host: the journal and traces, Login
 * History, reset, a clock offset, forced outcomes, knobs, and the Setup actions an admin or user
 * would take (approve an app, assign a profile or permission set, upload or remove a certificate,
 * change an app, freeze or deactivate a user, lock an org, record logins already made this hour).
 * Answers JSON; never echoes secrets.
 */
import { z } from 'zod';
import { KnobsSchema } from './knobs.ts';
import { ForcedSchema } from './forced.ts';
import type { MockOrg } from './mock-org.ts';

export const ADMIN_PREFIX = '/__sfjwt';

const json = (status: number, body: unknown) => {
  let text: string;
  try {
    text = JSON.stringify(body, null, 2);
  } catch (error) {
    // A bug guard: traces are bounded in depth, but the admin API must answer whatever it holds.
    return new Response(JSON.stringify({ error: `cannot render the answer: ${String(error)}` }), { status: 500, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
  }
  return new Response(text, { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } });
};

const problem = (status: number, message: string, fix?: string) => json(status, fix === undefined ? { error: message } : { error: message, fix });

const Username = z.strictObject({ username: z.string().min(1) });
const SetupSchemas = {
  approve: z.strictObject({ username: z.string().min(1), app: z.string().min(1) }),
  revoke: z.strictObject({ username: z.string().min(1), app: z.string().min(1) }),
  'assign-profile': z.strictObject({ username: z.string().min(1), profile: z.string().min(1) }),
  'assign-permission-set': z.strictObject({ username: z.string().min(1), permissionSet: z.string().min(1) }),
  'upload-certificate': z.strictObject({ app: z.string().min(1), pem: z.string().min(1) }),
  'remove-certificate': z.strictObject({ app: z.string().min(1), sha256: z.string().min(1) }),
  'touch-app': z.strictObject({ app: z.string().min(1) }),
  'user-state': Username.extend({ active: z.boolean().optional(), frozen: z.boolean().optional() }),
  'org-state': z.strictObject({ org: z.string().min(1), status: z.enum(['active', 'locked']) }),
  /** Successful logins the user already made this hour (a scenario's priorLogins), for the rate limit. */
  'record-logins': Username.extend({ count: z.int().min(1).max(100_000) }),
} as const;

async function readJson<T>(request: Request, schema: z.ZodType<T>): Promise<T | Response> {
  let body: unknown;
  try {
    const text = await request.text();
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return problem(400, 'the body is not valid JSON', 'Send a JSON object with Content-Type: application/json.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    return problem(400, parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

function setupAction(org: MockOrg, action: keyof typeof SetupSchemas, input: Record<string, unknown>): Response {
  const index = org.index;
  const user = typeof input['username'] === 'string' ? index.userByUsername(input['username']) : undefined;
  const app = typeof input['app'] === 'string' ? index.app(input['app']) : undefined;
  if ('username' in input && user === undefined) return problem(404, `no user "${String(input['username'])}"`, 'GET /__sfjwt/world lists the users.');
  if ('app' in input && app === undefined) return problem(404, `no app "${String(input['app'])}"`, 'GET /__sfjwt/world lists the apps.');
  switch (action) {
    case 'approve':
      if (user !== undefined && app !== undefined && !user.approvedApps.includes(app.name)) user.approvedApps.push(app.name);
      break;
    case 'revoke':
      if (user !== undefined && app !== undefined) user.approvedApps = user.approvedApps.filter((a) => a !== app.name);
      break;
    case 'assign-profile':
      if (user !== undefined) user.profile = String(input['profile']);
      break;
    case 'assign-permission-set':
      if (user !== undefined && !user.permissionSets.includes(String(input['permissionSet']))) user.permissionSets.push(String(input['permissionSet']));
      break;
    case 'upload-certificate': {
      if (app === undefined) break;
      try {
        const info = index.uploadCertificate(app, String(input['pem']));
        return json(200, { ok: true, app: app.name, sha256: info.sha256 });
      } catch (error) {
        return problem(400, error instanceof Error ? error.message : String(error));
      }
    }
    case 'remove-certificate':
      if (app !== undefined && !index.removeCertificate(app, String(input['sha256']))) return problem(404, `no certificate with that fingerprint on "${app.name}"`);
      break;
    case 'touch-app':
      if (app !== undefined) app.lastModified = new Date(org.now()).toISOString();
      break;
    case 'user-state':
      if (user !== undefined && typeof input['active'] === 'boolean') user.active = input['active'];
      if (user !== undefined && typeof input['frozen'] === 'boolean') user.frozen = input['frozen'];
      break;
    case 'record-logins':
      // A second ago, as an in-process target records them: inside the hour the rate limit counts.
      if (user !== undefined) for (let i = 0; i < Number(input['count']); i += 1) org.loginHistory.recordSuccess(user.id, org.now() - 1000, org.knobs.loginRatePerHour);
      return json(200, { ok: true, username: user?.username, recentSuccesses: user === undefined ? 0 : org.loginHistory.recentSuccesses(user.id, org.now()) });
    case 'org-state': {
      const target = index.org(String(input['org']));
      if (target === undefined) return problem(404, `no org "${String(input['org'])}"`);
      target.status = input['status'] === 'locked' ? 'locked' : 'active';
      break;
    }
  }
  return json(200, { ok: true });
}

export async function handleAdmin(org: MockOrg, request: Request, path: string): Promise<Response> {
  const url = new URL(request.url);
  const sub = path.slice(ADMIN_PREFIX.length).replace(/\/+$/, '') || '/';
  const method = request.method.toUpperCase();
  const route = `${method} ${sub}`;
  if (route === 'GET /') {
    return json(200, {
      endpoints: [
        'GET /health', 'GET /world', 'GET /journal?limit=N', 'GET /traces/:id', 'GET /login-history?username=U', 'POST /reset',
        'GET|PUT /clock {offsetSeconds}', 'GET|POST|DELETE /force {outcome, count, delayMs}', 'GET|PATCH /knobs',
        ...Object.keys(SetupSchemas).map((k) => `POST /setup/${k}`),
      ],
    });
  }
  if (route === 'GET /health') return json(200, { status: 'ok', requests: org.journal.total });
  if (route === 'GET /world') return json(200, org.describe());
  if (route === 'GET /journal') {
    const limit = Math.max(1, Math.min(Number(url.searchParams.get('limit') ?? 50) || 50, org.knobs.journalSize));
    return json(200, { total: org.journal.total, kept: org.journal.size, entries: org.journal.list(limit) });
  }
  if (method === 'GET' && sub.startsWith('/traces/')) {
    let id: string;
    try {
      id = decodeURIComponent(sub.slice('/traces/'.length));
    } catch {
      return problem(404, 'no trace with that id');
    }
    const trace = org.journal.get(id);
    return trace === undefined ? problem(404, 'no trace with that id (the journal keeps only the newest requests)') : json(200, trace);
  }
  if (route === 'GET /login-history') {
    const username = url.searchParams.get('username') ?? '';
    const user = org.index.userByUsername(username);
    if (user === undefined) return problem(404, `no user "${username}"`, 'Pass ?username= with a username of the world.');
    return json(200, { username: user.username, entries: org.loginHistory.forUser(user.id) });
  }
  if (route === 'POST /reset') {
    org.reset();
    return json(200, { ok: true });
  }
  if (route === 'GET /clock') return json(200, { offsetSeconds: org.clockOffsetMs / 1000, now: new Date(org.now()).toISOString() });
  if (route === 'PUT /clock' || route === 'POST /clock') {
    const input = await readJson(request, z.strictObject({ offsetSeconds: z.number().min(-1e9).max(1e9) }));
    if (input instanceof Response) return input;
    org.clockOffsetMs = input.offsetSeconds * 1000;
    return json(200, { offsetSeconds: input.offsetSeconds, now: new Date(org.now()).toISOString() });
  }
  if (route === 'GET /force') return json(200, { pending: org.forced.pending() });
  if (route === 'POST /force') {
    const input = await readJson(request, ForcedSchema);
    if (input instanceof Response) return input;
    org.forced.push(input);
    return json(200, { pending: org.forced.pending() });
  }
  if (route === 'DELETE /force') {
    org.forced.clear();
    return json(200, { pending: [] });
  }
  if (route === 'GET /knobs') return json(200, org.knobs);
  if (route === 'PATCH /knobs' || route === 'PUT /knobs') {
    const input = await readJson(request, KnobsSchema.partial());
    if (input instanceof Response) return input;
    org.setKnobs(input);
    return json(200, org.knobs);
  }
  if (method === 'POST' && sub.startsWith('/setup/')) {
    const action = sub.slice('/setup/'.length);
    if (!(action in SetupSchemas)) return problem(404, `no setup action "${action}"`, `Actions: ${Object.keys(SetupSchemas).join(', ')}.`);
    const key = action as keyof typeof SetupSchemas;
    const input = await readJson(request, SetupSchemas[key] as z.ZodType<Record<string, unknown>>);
    if (input instanceof Response) return input;
    return setupAction(org, key, input);
  }
  return problem(404, `no admin endpoint ${route}`, `GET ${ADMIN_PREFIX}/ lists them.`);
}
