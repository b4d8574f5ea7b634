/**
 * Test support: a small run report written by hand, fixed to the byte (times, durations, hosts), for
 * the renderers' golden files. Four scenarios over the in-process mock and a real org named "uat"
 * cover every verdict: passes, a failure on the mock (with the trace that shows the wrong check
 * deciding), a divergence on the org, a skip. `hostileReport` is the same run with text from outside
 * sfjwt at its worst: markup, pipes, backticks, CDATA ends, control characters and lone surrogates.
 */
import type { CheckId } from '../../mock-server/core/check.ts';
import type { Trace, TraceStep } from '../../mock-server/core/trace.ts';
import type { Answer, RunReport, ScenarioResult } from '../runner/run.ts';

const PASSING: [CheckId, string, string, string][] = [
  ['host', 'Host takes token requests', 'login.salesforce.com, test.salesforce.com, a My Domain (*.my.salesforce.com) or an Experience Cloud site', 'login.salesforce.com'],
  ['path', 'Path is /services/oauth2/token', '/services/oauth2/token', '/services/oauth2/token'],
  ['method', 'Method is POST', 'POST', 'POST'],
  ['tls', 'Request is over HTTPS', 'https', 'https'],
  ['grant-type', 'Form body with grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
  ['assertion', 'assertion is a well-formed JWT', 'a compact JWS: base64url(header).base64url(payload).base64url(signature)', 'a JWT with a JSON header and payload'],
  ['alg', 'alg is RS256', '"RS256"', '"RS256"'],
  ['issuer', 'iss is the consumer key of a known app', 'iss = the consumer key of a connected app', 'the consumer key of "Acme Integration"'],
  [
    'signature',
    'Signature verifies with a certificate on the app',
    'a signature by the private key of one of 1 certificate on "Acme Integration"',
    'verified with certificate EE:12:F7:0A:05:E9:90:D3…',
  ],
  ['audience', 'aud is an audience of the host', 'https://login.salesforce.com', '"https://login.salesforce.com"'],
  ['expiry', 'exp is a time in seconds not yet passed', 'exp >= 1772366220 (now 1772366400 minus 180 s leeway), in seconds', 'exp 1772366580'],
  ['user', 'sub is a user of this environment', 'sub = the username of a user served by login.salesforce.com', '"integration@acme.com" (0055g0000000001AAA)'],
  ['user-state', 'User active and not frozen; org active', 'an active org, an active user that is not frozen', 'active'],
  ['ip-restriction', "Caller within the profile's login IP ranges and hours", 'no IP or hours restriction, or a caller within it', 'caller IP 127.0.0.1'],
  ['rate-limit', 'User under the login rate limit', 'fewer than 3600 logins in the last hour', '0 logins in the last hour'],
  ['app-access', 'User may use the app', '"integration@acme.com" approved "Acme Integration" with the refresh_token scope', 'approved'],
];

/** Every check passing, with some replaced (a failure, a skip, another actual value). */
function steps(changes: Partial<Record<CheckId, Partial<TraceStep>>>): TraceStep[] {
  return PASSING.map(([check, title, expected, actual]) => {
    const change = changes[check];
    const base: TraceStep = { check, title, verdict: 'pass', expected, actual };
    if (change?.verdict === 'skip') return { check, title, verdict: 'skip', reason: change.reason ?? '' };
    return { ...base, ...change };
  });
}

function trace(n: number, claims: Record<string, unknown>, response: Trace['response'], decidedBy: CheckId | null, outcome: Trace['outcome'], checks: TraceStep[]): Trace {
  return {
    id: `trace-${n}`,
    time: `2026-03-01T12:00:0${n}.000Z`,
    kind: 'token',
    request: {
      method: 'POST',
      host: 'login.salesforce.com',
      path: '/services/oauth2/token',
      clientIp: '127.0.0.1',
      contentType: 'application/x-www-form-urlencoded',
      assertion: { header: { alg: 'RS256' }, payload: { ...claims, sub: 'integration@acme.com', exp: 1772366580 }, signature: '[redacted 256 bytes]' },
    },
    response,
    decidedBy,
    outcome,
    username: 'integration@acme.com',
    app: 'Acme Integration',
    checks,
  };
}

const ISS = '3MVG9X8umJJD3mtB.1NLLThbSnISXdyMglCmKE89zTGrcHfC6QqThiL.x85m6FMCUYR1WRiJzE_xMA0tuxEWH';
const MOCK = { target: 'mock (in-process)', targetKind: 'mock-msw' } as const;
const UAT = { target: 'uat', targetKind: 'real' } as const;

/** What a result copies from its scenario. */
type About = Pick<ScenarioResult, 'scenario' | 'title' | 'level' | 'tags' | 'expected' | 'explanation' | 'fix' | 'references' | 'confidence'>;
type Outcome = Omit<ScenarioResult, keyof About | 'target' | 'targetKind'>;

/** A result of `about` on a target, with fresh arrays so that tests may change one result alone. */
function result(about: About, on: typeof MOCK | typeof UAT, outcome: Outcome): ScenarioResult {
  return { ...about, tags: [...about.tags], references: [...about.references], expected: { ...about.expected }, ...on, ...outcome };
}

const BASELINE: About = {
  scenario: 'baseline.login',
  title: 'A correct request to login.salesforce.com gets a token',
  level: 'MUST',
  tags: ['baseline'],
  expected: { status: 200, body: 'json', decidedBy: null },
  explanation: 'iss is the consumer key, sub the username, aud https://login.salesforce.com, exp now + 3 minutes, signed RS256: Salesforce answers 200 with a token.',
  fix: 'Nothing to fix: this is the baseline every other scenario changes one thing of.',
  references: ['https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm'],
  confidence: 'DOC',
};

const ISS_CAPITALISED: About = {
  scenario: 'claims.iss-capitalised',
  title: '"Iss" instead of "iss"',
  level: 'MUST',
  tags: ['claims', 'iss', 'guide'],
  expected: { status: 400, error: 'invalid_client_id', error_description: 'client identifier invalid', body: 'json', decidedBy: 'issuer' },
  explanation: 'JSON claim names are case-sensitive. A payload with "Iss" has no "iss" claim, so Salesforce cannot tell which connected app signs.',
  fix: 'Write the claim names in lower case exactly: iss, sub, aud, exp.',
  references: ['https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm', 'RFC 7519 §4.1'],
  confidence: 'OBS+',
};

const AUD_TEST: About = {
  scenario: 'aud.test-at-login',
  title: 'aud `https://test.salesforce.com` | posted to login.salesforce.com',
  level: 'MUST',
  tags: ['aud'],
  expected: { status: 400, error: 'invalid_grant', error_description: 'audience is invalid', body: 'json', decidedBy: 'audience' },
  explanation: 'A production org answers at login.salesforce.com, and its token endpoint takes only its own audiences: the sandbox login host is not one of them.',
  fix: 'Use https://login.salesforce.com (or the My Domain) as aud for a production org, https://test.salesforce.com for a sandbox.',
  references: [],
  confidence: 'OBS+',
};

const FROZEN: About = {
  scenario: 'user.frozen',
  title: 'The user named by sub is frozen',
  level: 'SHOULD',
  tags: ['user'],
  expected: { status: 400, error: 'invalid_grant', error_description: 'user is frozen', body: 'json', decidedBy: 'user-state' },
  explanation: 'An administrator froze the user: the assertion is fine, the login is refused.',
  fix: 'Unfreeze the user (Setup → Users → Unfreeze) or use another integration user.',
  references: [],
  confidence: 'INF',
};

const ISS_REASON = 'error "invalid_grant", expected "invalid_client_id"; error_description "invalid assertion", expected "client identifier invalid"';
const AUD_REASON = 'error_description "user hasn\'t approved this consumer", expected "audience is invalid"; decided by app-access, expected audience';
const LOGIN = 'https://login.salesforce.com';

const BASELINE_TRACE = () => trace(1, { iss: ISS, aud: LOGIN }, { status: 200, accessToken: '00D5g0000000001![redacted]' }, null, 'success', steps({}));

const ISS_TRACE = () =>
  trace(
    2,
    { Iss: ISS, aud: LOGIN },
    { status: 400, error: 'invalid_client_id', errorDescription: 'client identifier invalid' },
    'issuer',
    'missingIssuer',
    steps({
      issuer: { verdict: 'fail', actual: 'no iss claim, but a claim named "Iss"', fix: 'Claim names are case-sensitive: rename "Iss" to "iss".', outcome: 'missingIssuer' },
      signature: { verdict: 'skip', reason: 'no app to take the certificate from (iss did not name one)' },
      'app-access': { verdict: 'skip', reason: 'no app identified' },
    }),
  );

/** The mock's failure: the wrong check decided (app-access instead of audience). */
const AUD_TRACE = () =>
  trace(
    3,
    { iss: ISS, aud: 'https://test.salesforce.com' },
    { status: 400, error: 'invalid_grant', errorDescription: "user hasn't approved this consumer" },
    'app-access',
    'notApproved',
    steps({
      audience: { actual: '"https://test.salesforce.com"' },
      'app-access': {
        verdict: 'fail',
        actual: 'not approved',
        fix: 'Have the user approve the app once, or pre-authorise it: Manage → Edit Policies → Admin approved users are pre-authorized.',
        outcome: 'notApproved',
      },
    }),
  );

const answer = (status: number, error?: string, error_description?: string): Answer => ({
  status,
  body: 'json',
  ...(status === 200 ? { hasToken: true } : {}),
  ...(error === undefined ? {} : { error }),
  ...(error_description === undefined ? {} : { error_description }),
});

export function reportFixture(): RunReport {
  const results: ScenarioResult[] = [
    result(BASELINE, MOCK, { verdict: 'pass', actual: answer(200), decidedBy: null, trace: BASELINE_TRACE(), durationMs: 31.25 }),
    result(ISS_CAPITALISED, MOCK, { verdict: 'pass', actual: answer(400, 'invalid_client_id', 'client identifier invalid'), decidedBy: 'issuer', trace: ISS_TRACE(), durationMs: 9.5 }),
    result(AUD_TEST, MOCK, {
      verdict: 'fail',
      reason: AUD_REASON,
      actual: answer(400, 'invalid_grant', "user hasn't approved this consumer"),
      decidedBy: 'app-access',
      trace: AUD_TRACE(),
      durationMs: 8.75,
    }),
    result(FROZEN, MOCK, { verdict: 'pass', actual: answer(400, 'invalid_grant', 'user is frozen'), decidedBy: 'user-state', durationMs: 7 }),
    result(BASELINE, UAT, { verdict: 'pass', actual: answer(200), durationMs: 412.5 }),
    result(ISS_CAPITALISED, UAT, { verdict: 'divergence', reason: ISS_REASON, actual: answer(400, 'invalid_grant', 'invalid assertion'), durationMs: 388 }),
    result(AUD_TEST, UAT, { verdict: 'pass', actual: answer(400, 'invalid_grant', 'audience is invalid'), durationMs: 401.25 }),
    result(FROZEN, UAT, { verdict: 'skip', reason: 'needs a frozen user: set users.frozen for "uat" in sfjwt.config.json', durationMs: 0.5 }),
  ];
  const summary = { total: results.length, pass: 0, fail: 0, divergence: 0, inconclusive: 0, skip: 0 };
  for (const r of results) summary[r.verdict] += 1;
  return {
    kind: 'sfjwt-run',
    schemaVersion: 1,
    runId: '2026-03-01T12-00-00-000Z',
    startedAt: '2026-03-01T12:00:00.000Z',
    finishedAt: '2026-03-01T12:00:04.250Z',
    seed: 7,
    targets: [
      { name: MOCK.target, kind: MOCK.targetKind },
      { name: UAT.target, kind: UAT.targetKind },
    ],
    summary,
    findings: [],
    results,
  };
}

/** Text no renderer may pass through raw. */
export const HOSTILE = 'x</details><script>alert(1)</script> | `code` ]]> &amp; "q" \'a\' \u0000\u0007\u001b[31m \ud800 \uFFFF\r\nnext line';

/** The fixture with hostile text in every field that comes from outside sfjwt. */
export function hostileReport(): RunReport {
  const report = reportFixture();
  report.targets[1] = { name: `uat ${HOSTILE}`, kind: 'real' };
  for (const r of report.results) {
    if (r.targetKind === 'real') r.target = `uat ${HOSTILE}`;
    r.title = `${r.title} ${HOSTILE}`;
    r.tags = [...r.tags, `t${HOSTILE}`];
    r.explanation = HOSTILE;
    r.fix = HOSTILE;
    r.references = [`https://example.com/${HOSTILE}`, 'javascript:alert(1)'];
    if (r.reason !== undefined) r.reason = HOSTILE;
    if (r.actual !== undefined && r.verdict !== 'pass') r.actual = { ...r.actual, error: `e${HOSTILE}`, error_description: HOSTILE };
    if (r.trace !== undefined) r.trace = { ...r.trace, checks: r.trace.checks.map((c) => ({ ...c, title: HOSTILE, actual: HOSTILE })) };
  }
  return report;
}
