/**
 * The client conformance report of `sfjwt exec`: what an integration did, read from the mock's
 * journal, the refused attempts to leave loopback and the command's output, judged against what a
 * good JWT Bearer client does. Each check asks one question (does it reuse its token, log in again
 * when its session ends, back off after `unknown_error`, refuse a certificate it should not trust, …)
 * and answers pass, warning, error, or not seen (the run never provoked it: the check says which
 * `--fault` rehearses it). Every token request is listed with the mock's checks and the assertion
 * lint (claim casing, `exp` unit and lifetime, `aud` against the host). A pure function of its input:
 * exec.ts gathers, conformance-render.ts writes.
 */
import { salesforceHostKind } from '../../lib/salesforce-hosts.ts';
import type { Trace, TraceStep } from '../../mock-server/core/trace.ts';
import type { DiagnosticFinding } from '../diagnose/finding.ts';
import { lintDecodedAssertion } from '../diagnose/lint-assertion.ts';
import { describeFault, type ExecFault, isApiCall } from './faults.ts';
import type { Refusal } from './loopback.ts';
import type { PrintedSecret } from './output-secrets.ts';

export type ConformanceResult = 'pass' | 'warning' | 'error' | 'not-seen';

export interface ConformanceCheck {
  id: string;
  /** The question, as a statement of what a good client does. */
  title: string;
  result: ConformanceResult;
  /** What the client did. */
  saw: string;
  /** What to change, for a warning or an error. */
  fix?: string;
  /** For a check not seen: the fault that provokes it. */
  rehearse?: string;
  /** The traces that show it (ids in the journal). */
  traces: string[];
}

export interface TokenRequestRow {
  trace: string;
  time: string;
  host: string;
  status: number;
  /** `success`, the outcome answered, or `dropped`. */
  outcome: string;
  error?: string;
  errorDescription?: string;
  decidedBy: string | null;
  /** The mock's checks, in Salesforce's order. */
  checks: TraceStep[];
  /** The assertion lint; absent when the request carried no assertion. */
  lint?: DiagnosticFinding[];
}

export interface ConformanceInput {
  command: readonly string[];
  exitCode: number;
  startedAt: string;
  finishedAt: string;
  faults: readonly ExecFault[];
  /** Every trace of the run, oldest first. */
  traces: readonly Trace[];
  refused: readonly Refusal[];
  printed: readonly PrintedSecret[];
}

export interface ConformanceReport {
  tool: 'sfjwt exec';
  command: string[];
  exitCode: number;
  startedAt: string;
  finishedAt: string;
  faults: string[];
  summary: { errors: number; warnings: number; passed: number; notSeen: number; tokenRequests: number; logins: number; apiCalls: number };
  checks: ConformanceCheck[];
  tokenRequests: TokenRequestRow[];
  refused: Refusal[];
  printed: PrintedSecret[];
}

/** A refused login retried this often, this fast, is a tight loop. */
const TIGHT_RETRIES = 3;
const TIGHT_GAP_MS = 1_000;
/** A retry after a transient error sooner than this did not back off. */
const BACKOFF_MIN_MS = 500;
/** More attempts than this after a dropped connection is not giving up. */
const DROP_RETRIES_MAX = 5;

const at = (t: Trace) => Date.parse(t.time);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const answer = (t: Trace) =>
  t.outcome === 'dropped' ? 'a dropped connection' : t.response.error === undefined ? `HTTP ${t.response.status}` : `${t.response.error} (${t.response.errorDescription ?? ''})`;
const isForced = (t: Trace) => t.decidedBy === 'forced' || t.outcome === 'dropped';
/** An API call with a token whose session had ended: 401 INVALID_SESSION_ID (403 Bad_OAuth_Token from the identity service); a call with no token at all is none. */
const isDeadSession = (t: Trace) =>
  (t.kind === 'rest' || t.kind === 'identity') &&
  (t.response.status === 401 || t.response.status === 403) &&
  t.checks.some((c) => c.check === 'session' && c.verdict === 'fail' && c.actual !== 'no access token');
/** A refusal that a retry cannot change: a 4xx that neither a fault nor the rate limit gave. */
const isPermanent = (t: Trace) => t.kind === 'token' && t.outcome !== 'success' && !isForced(t) && t.outcome !== 'rateExceeded' && t.response.status >= 400 && t.response.status < 500;

function signatureBytes(signature: string): number {
  const m = /\[redacted (\d+) bytes\]/.exec(signature);
  return m === null ? signature.length : Number(m[1]);
}

export function tokenRequestRows(traces: readonly Trace[]): TokenRequestRow[] {
  return traces
    .filter((t) => t.kind === 'token')
    .map((t) => {
      const a = t.request.assertion;
      const row: TokenRequestRow = { trace: t.id, time: t.time, host: t.request.host, status: t.response.status, outcome: t.outcome, decidedBy: t.decidedBy, checks: t.checks };
      if (a !== undefined) row.lint = lintDecodedAssertion({ header: a.header, payload: a.payload, signatureBytes: signatureBytes(a.signature) }, { now: at(t), host: t.request.host });
      if (t.response.error !== undefined) row.error = t.response.error;
      if (t.response.errorDescription !== undefined) row.errorDescription = t.response.errorDescription;
      return row;
    });
}

function staysOnLoopback(refused: readonly Refusal[]): ConformanceCheck {
  const base = { id: 'stays-on-loopback', title: 'Reaches only Salesforce during the run', traces: [] };
  if (refused.length === 0) return { ...base, result: 'pass', saw: 'every look-up and connection went to the mock' };
  const listed = [...new Set(refused.map((r) => (r.port === undefined ? `${r.host} (look-up)` : `${r.host}:${r.port}`)))];
  return {
    ...base,
    result: 'error',
    saw: `tried to reach ${listed.join(', ')}: refused (${plural(refused.length, 'attempt')})`,
    fix: "A test must not reach other systems: answer them with the mock's own routes (serve --fixtures), or leave that part out of the test.",
  };
}

function loginsPass(tokens: readonly Trace[], untrusted: boolean): ConformanceCheck {
  const base = { id: 'logins-pass-checks', title: "Its token requests pass Salesforce's checks" };
  if (tokens.length === 0)
    return {
      ...base,
      result: untrusted ? 'pass' : 'not-seen',
      saw: 'no token request reached the mock',
      traces: [],
      ...(untrusted ? {} : { rehearse: 'Run the part of the integration that logs in.' }),
    };
  const failed = tokens.filter((t) => t.outcome !== 'success' && !isForced(t));
  if (failed.length === 0) return { ...base, result: 'pass', saw: `${plural(tokens.length, 'token request')}, every one accepted or failed by a fault`, traces: [] };
  const byAnswer = new Map<string, number>();
  for (const t of failed) {
    const key = `${answer(t)}, decided by ${t.decidedBy ?? 'no check'}`;
    byAnswer.set(key, (byAnswer.get(key) ?? 0) + 1);
  }
  const first = failed[0] as Trace;
  const deciding = first.checks.find((c) => c.check === first.decidedBy);
  return {
    ...base,
    result: 'error',
    saw: `${failed.length} of ${plural(tokens.length, 'token request')} refused: ${[...byAnswer].map(([a, n]) => (n === 1 ? a : `${a} ×${n}`)).join('; ')}`,
    fix: deciding?.fix ?? `Run: npx sfjwt explain ${first.response.error ?? ''} "${first.response.errorDescription ?? ''}"`,
    traces: failed.map((t) => t.id),
  };
}

function assertionsWellFormed(rows: readonly TokenRequestRow[]): ConformanceCheck {
  const base = { id: 'assertions-well-formed', title: 'Its assertions are well formed (claim names, exp, aud for the host)' };
  const linted = rows.filter((r) => r.lint !== undefined);
  if (linted.length === 0) return { ...base, result: 'not-seen', saw: 'no assertion reached the mock', rehearse: 'Run the part of the integration that logs in.', traces: [] };
  const findings = new Map<string, { f: DiagnosticFinding; traces: string[] }>();
  for (const r of linted)
    for (const f of r.lint ?? []) {
      if (f.severity === 'info') continue;
      const seen = findings.get(f.id) ?? { f, traces: [] };
      seen.traces.push(r.trace);
      findings.set(f.id, seen);
    }
  const shown = [...findings.values()];
  if (shown.length === 0) return { ...base, result: 'pass', saw: `no finding in ${plural(linted.length, 'assertion')}`, traces: [] };
  return {
    ...base,
    result: shown.some(({ f }) => f.severity === 'error') ? 'error' : 'warning',
    saw: shown.map(({ f, traces }) => `${f.title} (${f.saw}${traces.length > 1 ? `; ${traces.length} requests` : ''})`).join('; '),
    fix: shown.map(({ f }) => f.fix).join(' '),
    traces: [...new Set(shown.flatMap(({ traces }) => traces))],
  };
}

function reusesToken(ts: readonly Trace[], logins: readonly Trace[], apiCalls: readonly Trace[]): ConformanceCheck {
  const base = { id: 'reuses-token', title: 'Reuses its access token instead of logging in for every call' };
  const limited = ts.filter((t) => t.kind === 'token' && t.outcome === 'rateExceeded');
  if (limited.length > 0)
    return {
      ...base,
      result: 'error',
      saw: `met the login rate limit (${answer(limited[0] as Trace)}) after ${plural(logins.length, 'login')} for ${plural(apiCalls.length, 'API call')}`,
      fix: 'Keep the access token and its instance_url, and use them until an API call answers 401 INVALID_SESSION_ID; then log in again.',
      traces: limited.map((t) => t.id),
    };
  if (apiCalls.length === 0)
    return {
      ...base,
      result: 'not-seen',
      saw: logins.length === 0 ? 'no login and no API call' : 'no API call after logging in',
      rehearse: 'Run the part of the integration that calls the API.',
      traces: [],
    };
  // A login after a session ended is the right thing to do, not a lost token.
  const needed = 1 + ts.filter((t, i) => isDeadSession(t) && ts.slice(i + 1).some((n) => n.kind === 'token')).length;
  const saw = `${plural(logins.length, 'login')} for ${plural(apiCalls.length, 'API call')}`;
  if (logins.length > needed && logins.length >= apiCalls.length)
    return {
      ...base,
      result: 'warning',
      saw: `${saw}: it logs in for every call`,
      fix: "Keep the access token and its instance_url, and use them until an API call answers 401 INVALID_SESSION_ID. Salesforce limits each user's logins per hour.",
      traces: logins.map((t) => t.id),
    };
  return { ...base, result: 'pass', saw, traces: [] };
}

function logsInAgain(ts: readonly Trace[], exitCode: number): ConformanceCheck {
  const base = { id: 'logs-in-again', title: 'Logs in again when its session ends (INVALID_SESSION_ID, a revoked token)' };
  const firstLogin = ts.findIndex((t) => t.kind === 'token' && t.outcome === 'success');
  const dead = firstLogin === -1 ? -1 : ts.findIndex((t, i) => i > firstLogin && isDeadSession(t));
  if (dead === -1) return { ...base, result: 'not-seen', saw: 'no API call met an ended session', rehearse: '--fault expire-after:1 (or revoke-after:1)', traces: [] };
  const deadTrace = ts[dead] as Trace;
  const after = ts.slice(dead + 1);
  const relogin = after.findIndex((t) => t.kind === 'token' && t.outcome === 'success');
  const deadAgain = (relogin === -1 ? after : after.slice(0, relogin)).filter(isDeadSession);
  const status = `${deadTrace.response.status} ${deadTrace.response.status === 401 ? 'INVALID_SESSION_ID' : 'Bad_OAuth_Token'}`;
  if (relogin !== -1) {
    const worked = after.slice(relogin + 1).some(isApiCall);
    return {
      ...base,
      result: 'pass',
      saw: `after ${status} it logged in again${deadAgain.length > 0 ? ` (after ${plural(deadAgain.length, 'more call')} with the ended session)` : ''}${worked ? ' and its next API call succeeded' : ''}`,
      traces: [deadTrace.id],
    };
  }
  return {
    ...base,
    result: 'error',
    saw: `after ${status} it ${deadAgain.length > 0 ? `made ${plural(deadAgain.length, 'more call')} with the ended session and ` : ''}did not log in again${exitCode === 0 ? '' : ` (it exited ${exitCode})`}`,
    fix: 'On 401 INVALID_SESSION_ID, sign a new assertion, post it to the token endpoint, and repeat the call once with the new token.',
    traces: [deadTrace.id, ...deadAgain.map((t) => t.id)],
  };
}

function noTightRetry(tokens: readonly Trace[]): ConformanceCheck {
  const base = { id: 'no-tight-retry', title: 'Does not retry a refused login in a loop' };
  // The same login refused again: the same user and app (as the assertion names them when the org
  // knows neither), the same host, the same answer.
  const byLogin = new Map<string, Trace[]>();
  for (const t of tokens) {
    if (!isPermanent(t)) continue;
    const claims = t.request.assertion?.payload ?? {};
    const key = JSON.stringify([t.username ?? claims['sub'] ?? claims['prn'] ?? '', t.app ?? claims['iss'] ?? '', t.request.host, answer(t)]);
    byLogin.set(key, [...(byLogin.get(key) ?? []), t]);
  }
  const refusedRuns = [...byLogin.values()];
  if (refusedRuns.length === 0)
    return { ...base, result: 'not-seen', saw: 'no login was refused', rehearse: 'Run it with a setup Salesforce refuses (a world whose user is frozen, or a wrong consumer key).', traces: [] };
  const worst = refusedRuns.reduce((a, b) => (b.length > a.length ? b : a));
  const retries = worst.length - 1;
  if (retries === 0) return { ...base, result: 'pass', saw: `it did not repeat a refused login (${plural(refusedRuns.length, 'login')} refused)`, traces: [] };
  const spanMs = at(worst.at(-1) as Trace) - at(worst[0] as Trace);
  const tight = retries >= TIGHT_RETRIES && spanMs / retries < TIGHT_GAP_MS;
  return {
    ...base,
    result: tight ? 'error' : 'warning',
    saw: `it repeated ${answer(worst[0] as Trace)} ${plural(retries, 'time')} in ${(spanMs / 1000).toFixed(1)} s`,
    fix: 'A refused login is refused again until the setup changes: stop, and report the error and its description.',
    traces: worst.map((t) => t.id),
  };
}

function backsOff(tokens: readonly Trace[]): ConformanceCheck {
  const base = { id: 'backs-off', title: 'Backs off and retries after unknown_error' };
  const i = tokens.findIndex((t) => t.outcome === 'unknownError');
  if (i === -1) return { ...base, result: 'not-seen', saw: 'no token request was answered unknown_error', rehearse: '--fault unknown_error', traces: [] };
  const first = tokens[i] as Trace;
  const next = tokens[i + 1];
  if (next === undefined)
    return {
      ...base,
      result: 'warning',
      saw: 'it gave up after one unknown_error',
      fix: 'unknown_error is Salesforce failing on its side: retry after a second or two, backing off (1 s, 2 s, 4 s), a few times.',
      traces: [first.id],
    };
  const gap = at(next) - at(first);
  const then = next.outcome === 'success' ? 'and logged in' : `and got ${answer(next)}`;
  if (gap < BACKOFF_MIN_MS)
    return {
      ...base,
      result: 'warning',
      saw: `it retried after ${gap} ms ${then}`,
      fix: 'Wait before retrying a transient error, and wait longer each time (1 s, 2 s, 4 s).',
      traces: [first.id, next.id],
    };
  return { ...base, result: 'pass', saw: `it retried after ${gap} ms ${then}`, traces: [first.id, next.id] };
}

function handlesDrop(tokens: readonly Trace[]): ConformanceCheck {
  const base = { id: 'handles-dropped-connection', title: 'Gives up after a few dropped connections' };
  const i = tokens.findIndex((t) => t.outcome === 'dropped');
  if (i === -1) return { ...base, result: 'not-seen', saw: 'no connection was dropped', rehearse: '--fault drop', traces: [] };
  const after = tokens.slice(i + 1);
  const settled = after.findIndex((t) => t.outcome === 'success');
  const retries = settled === -1 ? after.length : settled + 1;
  const ending = settled === -1 ? (after.length === 0 ? 'it did not retry' : `it retried ${plural(retries, 'time')} and stopped`) : `it retried ${plural(retries, 'time')} and logged in`;
  if (retries > DROP_RETRIES_MAX)
    return { ...base, result: 'error', saw: ending, fix: 'Retry a dropped connection a few times with a growing wait, then report it.', traces: tokens.slice(i, i + 1 + retries).map((t) => t.id) };
  return { ...base, result: 'pass', saw: ending, traces: [(tokens[i] as Trace).id] };
}

function refusesUntrusted(ts: readonly Trace[], untrusted: boolean): ConformanceCheck {
  const base = { id: 'refuses-untrusted-certificate', title: 'Refuses a certificate it should not trust' };
  if (!untrusted) return { ...base, result: 'not-seen', saw: 'the certificate served was one it trusts', rehearse: '--fault untrusted-tls', traces: [] };
  const reached = ts.filter((t) => t.kind === 'token' || t.kind === 'rest' || t.kind === 'identity');
  if (reached.length === 0) return { ...base, result: 'pass', saw: 'no request reached the mock: it refused the certificate', traces: [] };
  return {
    ...base,
    result: 'error',
    saw: `security: it sent ${plural(reached.length, 'request')} over a certificate from a CA it was not given: it does not check certificates`,
    fix: 'Turn certificate checks back on (no rejectUnauthorized: false, verify=False, curl -k or trust-all TrustManager); to trust a test CA, add that CA only.',
    traces: reached.map((t) => t.id),
  };
}

function keepsSecrets(printed: readonly PrintedSecret[]): ConformanceCheck {
  const base = { id: 'keeps-secrets-off-output', title: 'Does not print its access token, assertion or private key', traces: [] };
  if (printed.length === 0) return { ...base, result: 'pass', saw: 'no secret in its stdout or stderr' };
  return {
    ...base,
    result: 'error',
    saw: printed.map((p) => `${p.stream} line ${p.line}: ${p.what}`).join('; '),
    fix: 'Log the org Id part of a token (00D…!) at most: never the token, the assertion, the key or a secret.',
  };
}

function apiOnInstance(ts: readonly Trace[]): ConformanceCheck {
  const base = { id: 'api-on-instance-url', title: 'Calls the API on its instance_url' };
  const rest = ts.filter((t) => t.kind === 'rest' || t.kind === 'identity');
  if (rest.length === 0) return { ...base, result: 'not-seen', saw: 'no API call', rehearse: 'Run the part of the integration that calls the API.', traces: [] };
  const wrong = rest.filter((t) => t.kind === 'rest' && ['login', 'test'].includes(salesforceHostKind(t.request.host)));
  if (wrong.length === 0) return { ...base, result: 'pass', saw: `${plural(rest.length, 'request')} to the API, all on the org's own hosts`, traces: [] };
  return {
    ...base,
    result: 'error',
    saw: `${plural(wrong.length, 'request')} to the API went to ${[...new Set(wrong.map((t) => t.request.host))].join(', ')}, which answers 401 INVALID_SESSION_ID`,
    fix: 'Call the API on the instance_url of the token response (the org’s My Domain), not on the login host.',
    traces: wrong.map((t) => t.id),
  };
}

export function conformanceReport(input: ConformanceInput): ConformanceReport {
  const ts = input.traces;
  const tokens = ts.filter((t) => t.kind === 'token');
  const logins = tokens.filter((t) => t.outcome === 'success');
  const apiCalls = ts.filter(isApiCall);
  const rows = tokenRequestRows(ts);
  const untrusted = input.faults.some((f) => f.kind === 'untrusted-tls');
  const checks = [
    staysOnLoopback(input.refused),
    loginsPass(tokens, untrusted),
    assertionsWellFormed(rows),
    reusesToken(ts, logins, apiCalls),
    logsInAgain(ts, input.exitCode),
    noTightRetry(tokens),
    backsOff(tokens),
    handlesDrop(tokens),
    refusesUntrusted(ts, untrusted),
    keepsSecrets(input.printed),
    apiOnInstance(ts),
  ];
  const count = (r: ConformanceResult) => checks.filter((c) => c.result === r).length;
  return {
    tool: 'sfjwt exec',
    command: [...input.command],
    exitCode: input.exitCode,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    faults: input.faults.map(describeFault),
    summary: { errors: count('error'), warnings: count('warning'), passed: count('pass'), notSeen: count('not-seen'), tokenRequests: tokens.length, logins: logins.length, apiCalls: apiCalls.length },
    checks,
    tokenRequests: rows,
    refused: [...input.refused],
    printed: [...input.printed],
  };
}

/** The one-line summary exec prints and the reports head with. */
export function conformanceLine(r: ConformanceReport): string {
  const s = r.summary;
  return `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.passed} passed, ${s.notSeen} not seen (${plural(s.tokenRequests, 'token request')}, ${plural(s.logins, 'login')}, ${plural(s.apiCalls, 'API call')})`;
}
