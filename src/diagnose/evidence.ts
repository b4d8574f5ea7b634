/**
 * The org's own evidence, read the way an admin reads it: a few SOQL queries (User, UserLogin,
 * Login History around the failed attempt, the user's permission sets, the apps' policies and the
 * profiles and permission sets they admit, the user's OAuth approvals), through a session the user
 * already has (never the credentials being diagnosed): an access token with its instance URL, or the
 * mock's admin API. Each query is listed with what it showed. `weighEvidence` then marks the doctor's
 * root cause **confirmed** when the org says so (Login History "Failed: Signature Invalid" for that
 * user at that minute, no user with that username, an app that admits neither the user's profile nor
 * a permission set, …), with the evidence quoted, or leaves it **inferred** (wire and probes only).
 * Without evidence, `confirmingQuery` names the single query that would confirm a cause.
 */

import { CHECKS } from '../../mock-server/core/check-catalogue.ts';
import { OUTCOMES, type OutcomeName } from '../../mock-server/core/outcomes.ts';
import type { FetchLike } from '../client/https-fetch.ts';
import type { DoctorReport, RootCause, RootCauseCheck } from './doctor.ts';

/** Rows of a query, or why the org refused it. */
export type QueryResult = { ok: true; records: Record<string, unknown>[] } | { ok: false; error: string };

/** Where the evidence is read: `query` runs one SOQL query. */
export interface EvidenceSource {
  /** For the report: "access token for https://acme.my.salesforce.com", "the mock's admin API at …". */
  label: string;
  query(soql: string): Promise<QueryResult>;
  /**
   * The name of the app with this consumer key, where the source can tell (the mock's world can; a
   * real org's SOQL does not expose consumer keys, so there the app comes from --app or Login History).
   */
  appOfConsumerKey?(consumerKey: string): Promise<string | undefined>;
}

/** One query the doctor ran, with what it showed (a line for a person). */
export interface EvidenceQuery {
  purpose: string;
  soql: string;
  showed: string;
}

export interface OrgEvidence {
  source: string;
  queries: EvidenceQuery[];
  /** What the queries found, for weighing. */
  facts: EvidenceFacts;
}

export interface EvidenceFacts {
  user?: { id: string; username: string; isActive: boolean; profile: string | null };
  /** A user whose e-mail is the username given (when no user has it as username). */
  userByEmail?: { username: string };
  frozen?: boolean;
  /** Login History of the user around the attempt, newest first. */
  loginHistory: { time: string; status: string; application: string }[];
  /**
   * The entry of the attempt itself: the oldest from a minute before it on (the doctor's probes log in
   * after it), else the newest.
   */
  attempt?: { time: string; status: string; application: string };
  /** The app the request was for, when known (given, or named by Login History). */
  app?: { name: string; adminApproved: boolean; admitsUser: boolean; approvedByUser: boolean };
  /** The apps the user may use: admitted by profile or permission set, or approved by the user. */
  usableApps: string[];
}

/** At most this many queries per diagnosis. */
export const MAX_EVIDENCE_QUERIES = 8;

/** A SOQL string literal: quotes and backslashes escaped. */
export function soqlString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** A datetime literal of SOQL (UTC, no milliseconds). */
function soqlDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

/** An access token with its instance URL (REST API `query`), e.g. from `sf org display`. */
export function restEvidenceSource(options: { instanceUrl: string; accessToken: string; fetch: FetchLike; apiVersion?: string }): EvidenceSource {
  const base = options.instanceUrl.replace(/\/+$/, '');
  const version = options.apiVersion ?? 'v60.0';
  return {
    label: `an access token for ${base}`,
    query: (soql) =>
      queried(options.fetch, base, `${base}/services/data/${version}/query?q=${encodeURIComponent(soql)}`, { Authorization: `Bearer ${options.accessToken}`, Accept: 'application/json' }),
  };
}

/**
 * The mock's admin API (`GET /__sfjwt/query`): the mock's own admin login, in the org being logged in
 * to (the login host's environment, the org that has `user` in it), or `org` when given.
 */
export function mockEvidenceSource(options: { admin: string; fetch: FetchLike; org?: string; user?: string }): EvidenceSource {
  const root = options.admin.replace(/\/+$/, '');
  return {
    label: `the mock's admin API at ${root}`,
    query(soql) {
      const scope = options.org !== undefined ? `&org=${encodeURIComponent(options.org)}` : options.user !== undefined ? `&user=${encodeURIComponent(options.user)}` : '';
      return queried(options.fetch, root, `${root}/query?q=${encodeURIComponent(soql)}${scope}`, { Accept: 'application/json' });
    },
    async appOfConsumerKey(consumerKey) {
      try {
        const res = await options.fetch(`${root}/world`, { headers: { Accept: 'application/json' } });
        const world = (await res.json()) as { apps?: { name: string; consumerKey: string }[] };
        return world.apps?.find((a) => a.consumerKey === consumerKey)?.name;
      } catch {
        return undefined;
      }
    },
  };
}

/** One query sent to `url` (of the source at `base`): its rows, or why there are none (no answer at all included). */
async function queried(fetch: FetchLike, base: string, url: string, headers: Record<string, string>): Promise<QueryResult> {
  let res: Response;
  try {
    res = await fetch(url, { headers });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { ok: false, error: `no answer from ${base} (${cause?.code ?? (error as Error).message})` };
  }
  return readQueryAnswer(res);
}

async function readQueryAnswer(res: Response): Promise<QueryResult> {
  const body = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, error: `${res.status} with a body that is not JSON` };
  }
  if (res.ok && typeof json === 'object' && json !== null && Array.isArray((json as { records?: unknown }).records))
    return { ok: true, records: (json as { records: Record<string, unknown>[] }).records };
  const first = Array.isArray(json) ? (json[0] as { errorCode?: unknown; message?: unknown } | undefined) : undefined;
  if (first !== undefined) return { ok: false, error: `${res.status} ${text(first.errorCode)}: ${text(first.message).trim().split('\n').pop() ?? ''}` };
  const problem = json as { error?: unknown };
  return { ok: false, error: `${res.status} ${text(problem.error) || body.slice(0, 200)}` };
}

/**
 * Reads the org's evidence about `username` logging in through `app` (when known) at about `at`:
 * at most MAX_EVIDENCE_QUERIES queries, each listed with what it showed.
 */
export async function gatherEvidence(source: EvidenceSource, subject: { username: string; at: number; app?: string | undefined; consumerKey?: string | undefined }): Promise<OrgEvidence> {
  const queries: EvidenceQuery[] = [];
  const facts: EvidenceFacts = { loginHistory: [], usableApps: [] };
  const run = async (purpose: string, soql: string, showed: (records: Record<string, unknown>[]) => string): Promise<Record<string, unknown>[] | undefined> => {
    if (queries.length >= MAX_EVIDENCE_QUERIES) return undefined;
    const result = await source.query(soql);
    queries.push({ purpose, soql, showed: result.ok ? showed(result.records) : `refused: ${result.error}` });
    return result.ok ? result.records : undefined;
  };

  const users = await run('Does a user have this username?', `SELECT Id, Username, IsActive, Profile.Name FROM User WHERE Username = ${soqlString(subject.username)}`, (r) =>
    r.length === 0
      ? `no user has the username ${subject.username}`
      : `user ${text(r[0]?.['Id'])}, ${r[0]?.['IsActive'] === true ? 'active' : 'inactive'}, profile ${text((r[0]?.['Profile'] as Record<string, unknown> | null)?.['Name']) || 'unknown'}`,
  );
  if (users === undefined) return { source: source.label, queries, facts };
  const row = users[0];
  if (row === undefined) {
    const byEmail = await run('Is it the e-mail address of a user instead?', `SELECT Username FROM User WHERE Email = ${soqlString(subject.username)} LIMIT 5`, (r) =>
      r.length === 0 ? 'no user has it as e-mail address either' : `it is the e-mail address of ${r.map((u) => text(u['Username'])).join(', ')}`,
    );
    const found = byEmail?.[0];
    if (found !== undefined) facts.userByEmail = { username: text(found['Username']) };
    return { source: source.label, queries, facts };
  }
  const userId = text(row['Id']);
  facts.user = { id: userId, username: text(row['Username']), isActive: row['IsActive'] === true, profile: text((row['Profile'] as Record<string, unknown> | null)?.['Name']) || null };

  const logins = await run(
    'What did Login History record for the attempt?',
    `SELECT LoginTime, Status, Application FROM LoginHistory WHERE UserId = ${soqlString(userId)} AND LoginTime >= ${soqlDateTime(subject.at - 10 * 60_000)} ORDER BY LoginTime DESC LIMIT 10`,
    (r) => (r.length === 0 ? 'no login of the user in the ten minutes before the attempt' : r.map((e) => `${text(e['LoginTime'])} "${text(e['Status'])}" (${text(e['Application'])})`).join('; ')),
  );
  facts.loginHistory = (logins ?? []).map((e) => ({ time: text(e['LoginTime']), status: text(e['Status']), application: text(e['Application']) }));
  const since = facts.loginHistory.filter((e) => Date.parse(e.time.replace(/\+0000$/, 'Z')) >= subject.at - 60_000);
  const attempt = since[since.length - 1] ?? facts.loginHistory[0];
  if (attempt !== undefined) facts.attempt = attempt;

  const frozen = await run('Is the user frozen?', `SELECT IsFrozen FROM UserLogin WHERE UserId = ${soqlString(userId)}`, (r) => (r[0]?.['IsFrozen'] === true ? 'frozen' : 'not frozen'));
  if (frozen?.[0] !== undefined) facts.frozen = frozen[0]['IsFrozen'] === true;

  const assignments = await run(
    "Which permission sets (the profile's included) does the user hold?",
    `SELECT PermissionSetId, PermissionSet.Label FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(userId)}`,
    (r) => r.map((a) => text((a['PermissionSet'] as Record<string, unknown> | null)?.['Label']) || text(a['PermissionSetId'])).join(', ') || 'none',
  );
  const held = (assignments ?? []).map((a) => text(a['PermissionSetId']).slice(0, 15));
  const apps = await run('Which connected apps are there, with their policy?', 'SELECT Id, Name, OptionsAllowAdminApprovedUsersOnly FROM ConnectedApplication', (r) =>
    r.map((a) => `${text(a['Name'])} (${a['OptionsAllowAdminApprovedUsersOnly'] === true ? 'admin approved users are pre-authorized' : 'all users may self-authorize'})`).join(', '),
  );
  const access =
    held.length === 0
      ? []
      : await run(
          "Which apps admit the user's profile or permission sets?",
          `SELECT ParentId, SetupEntityId FROM SetupEntityAccess WHERE SetupEntityType = 'ConnectedApplication' AND ParentId IN (${held.map(soqlString).join(', ')})`,
          (r) => {
            const names = r.map((e) => text((apps ?? []).find((a) => text(a['Id']).slice(0, 15) === text(e['SetupEntityId']).slice(0, 15))?.['Name']) || text(e['SetupEntityId']));
            return names.length === 0 ? 'none' : [...new Set(names)].join(', ');
          },
        );
  const tokens = await run('Which apps has the user approved (OAuth tokens)?', `SELECT AppName, UseCount, LastUsedDate FROM OauthToken WHERE UserId = ${soqlString(userId)}`, (r) =>
    r.length === 0 ? 'none' : r.map((t) => `${text(t['AppName'])} (used ${text(t['UseCount'])} times)`).join(', '),
  );
  const admittedIds = new Set((access ?? []).map((e) => text(e['SetupEntityId']).slice(0, 15)));
  const approvedNames = new Set((tokens ?? []).map((t) => text(t['AppName'])));
  const appRows = (apps ?? []).map((a) => {
    const name = text(a['Name']);
    const adminApproved = a['OptionsAllowAdminApprovedUsersOnly'] === true;
    return { name, adminApproved, admitsUser: admittedIds.has(text(a['Id']).slice(0, 15)), approvedByUser: approvedNames.has(name) };
  });
  facts.usableApps = appRows.filter((a) => a.admitsUser || (!a.adminApproved && a.approvedByUser)).map((a) => a.name);
  const byKey = subject.app === undefined && subject.consumerKey !== undefined ? await source.appOfConsumerKey?.(subject.consumerKey) : undefined;
  const appName = subject.app ?? byKey ?? [facts.attempt, ...facts.loginHistory].find((e) => e !== undefined && e.application !== '' && e.application !== 'N/A')?.application;
  const app = appRows.find((a) => a.name.toLowerCase() === appName?.toLowerCase());
  if (app !== undefined) facts.app = app;
  return { source: source.label, queries, facts };
}

/** The check a Login History status speaks for (Failed: Signature Invalid → signature, User is frozen → user-state, …). */
export function checkOfLoginStatus(status: string): RootCauseCheck | undefined {
  const outcome = (Object.keys(OUTCOMES) as OutcomeName[]).find((n) => {
    const o = OUTCOMES[n];
    return 'loginHistory' in o && o.loginHistory === status;
  });
  if (outcome === undefined) return undefined;
  return CHECKS.find((c) => c.outcomes.includes(outcome))?.id;
}

/** The single query that would confirm `check` for `username`, or undefined where no org query can. */
export function confirmingQuery(check: RootCauseCheck, username: string): EvidenceQuery | undefined {
  const u = soqlString(username);
  switch (check) {
    case 'user':
      return {
        purpose: 'Does a user have this username?',
        soql: `SELECT Id, IsActive FROM User WHERE Username = ${u}`,
        showed: 'no row: the username is unknown (or belongs to the other environment)',
      };
    case 'app-access':
      return {
        purpose: 'Has the user approved the app?',
        soql: `SELECT AppName, UseCount FROM OauthToken WHERE User.Username = ${u}`,
        showed: "no row for the app: the user never approved it (an admin-approved app needs the user's profile or a permission set admitted instead)",
      };
    case 'user-state':
      return {
        purpose: 'Is the user frozen?',
        soql: `SELECT IsFrozen FROM UserLogin WHERE User.Username = ${u}`,
        showed: 'IsFrozen true (an inactive user: SELECT IsActive FROM User WHERE Username = …)',
      };
    case 'signature':
    case 'audience':
    case 'expiry':
    case 'ip-restriction':
    case 'rate-limit':
    case 'tls':
    case 'method':
      return {
        purpose: 'What did Login History record for the attempt?',
        soql: "SELECT LoginTime, Status, Application FROM LoginHistory WHERE UserId = '<the user's Id>' ORDER BY LoginTime DESC LIMIT 5",
        showed: `the status of the failed login at that minute (Failed: Signature Invalid, Failed: Audience Invalid, …); the Id from SELECT Id FROM User WHERE Username = ${u}`,
      };
    default:
      return undefined;
  }
}

/** The root cause, confirmed or contradicted by the org's evidence where it speaks, with the evidence quoted. */
export function weighEvidence(report: DoctorReport, evidence: OrgEvidence, subject: { username: string }): DoctorReport {
  const cause = report.rootCause;
  const { facts } = evidence;
  const confirmed = (check: RootCauseCheck, title: string, quotes: string[], fix: string, base?: RootCause | null): RootCause => ({
    check,
    title,
    // What Salesforce answered stays first; the inferred cause's own evidence only when the org agrees with it.
    evidence: [...(base?.evidence ?? cause?.evidence.slice(0, 1) ?? []), ...quotes.map((q) => `the org: ${q}`)],
    fix,
    alternatives: [],
    confidence: 'confirmed',
  });
  const withEvidence = (rootCause: RootCause | null): DoctorReport => ({ ...report, rootCause, evidence: { source: evidence.source, queries: evidence.queries } });
  if (cause === null) return withEvidence(null);

  // 1. Login History's word on this attempt, when it names a failure.
  const failed = facts.attempt?.status === 'Success' ? undefined : facts.attempt;
  const said = failed === undefined ? undefined : checkOfLoginStatus(failed.status);
  if (failed !== undefined && said !== undefined) {
    const same = said === cause.check;
    const text = CHECKS.find((c) => c.id === said)?.rootCause;
    return withEvidence(
      confirmed(
        said,
        same ? cause.title : (text?.title ?? said),
        [`Login History at ${failed.time}: "${failed.status}" (${failed.application})`],
        same ? cause.fix : (text?.fix ?? cause.fix),
        same ? cause : null,
      ),
    );
  }
  // 2. No such user.
  if (facts.user === undefined && evidence.queries.length > 0 && !evidence.queries[0]?.showed.startsWith('refused')) {
    const quotes = [`no user has the username ${subject.username}`];
    if (facts.userByEmail !== undefined) quotes.push(`${subject.username} is the e-mail address of ${facts.userByEmail.username}`);
    const fix =
      facts.userByEmail !== undefined
        ? `Send the username ${facts.userByEmail.username} as sub, not the e-mail address.`
        : 'Check the username: a sandbox user has the sandbox name after it (user@acme.com.uat) and logs in at test.salesforce.com or the sandbox My Domain.';
    return withEvidence(confirmed('user', 'The username is not a user of this org', quotes, fix, cause.check === 'user' ? cause : null));
  }
  if (facts.user !== undefined) {
    // 3. The user's state.
    if (!facts.user.isActive)
      return withEvidence(confirmed('user-state', 'The user is inactive', [`${facts.user.username} is inactive (IsActive false)`], 'Activate the user in Setup, or log in as an active one.'));
    if (facts.frozen === true)
      return withEvidence(confirmed('user-state', 'The user is frozen', [`${facts.user.username} is frozen (UserLogin.IsFrozen true)`], 'Unfreeze the user in Setup (Users, the user, Unfreeze).'));
    // 4. The app's policy against what the user holds.
    const app = facts.app;
    if (app !== undefined && (cause.check === 'app-access' || cause.alternatives.includes('app-access'))) {
      if (app.adminApproved && !app.admitsUser)
        return withEvidence(
          confirmed(
            'app-access',
            'The app admits neither the user’s profile nor any of the user’s permission sets',
            [`${app.name}: admin approved users are pre-authorized`, `the user's profile ${facts.user.profile ?? ''} and permission sets are not among its admitted ones`],
            `Admit the profile ${facts.user.profile ?? ''} or a permission set of the user on ${app.name} (Manage Connected Apps, the app, Profiles / Permission Sets).`,
          ),
        );
      if (!app.adminApproved && !app.approvedByUser)
        return withEvidence(
          confirmed(
            'app-access',
            'The user has never approved the app',
            [`${app.name}: all users may self-authorize`, `${facts.user.username} has no OAuth token of ${app.name}`],
            `Approve ${app.name} once as ${facts.user.username} (the OAuth authorize flow, or sf org login web), or make the app admin-approved and admit the user's profile.`,
          ),
        );
    }
  }
  // The evidence does not speak to this cause: it stays inferred.
  return withEvidence({ ...cause, confidence: 'inferred' });
}

/** Without evidence: the root cause stays inferred, with the one query that would confirm it. */
export function withoutEvidence(report: DoctorReport, username: string): DoctorReport {
  // A cause found before any answer (a key that cannot be opened, no answer at all) is the doctor's own finding: no org record speaks to it.
  if (report.rootCause === null || !/^\d/.test(report.answer)) return report;
  const query = confirmingQuery(report.rootCause.check, username);
  return { ...report, rootCause: { ...report.rootCause, confidence: 'inferred', ...(query === undefined ? {} : { confirmWith: query }) } };
}
