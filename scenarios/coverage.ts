/**
 * What the catalogue must cover: every row of the Outcomes table of the shared reference
 * (shared/reference/salesforce-token-endpoint.md), the reference's other statements a client depends
 * on, and every mistake the guide issue lists. A scenario names what it reproduces in `reproduces` as
 * "reference: <row or fact>" or "guide: <mistake>"; scenarios/coverage.test.ts checks that each entry
 * here is reproduced by at least one scenario (or is listed in NOT_COVERED with the reason) and that
 * no scenario names anything else.
 */

export const REFERENCE_PREFIX = 'reference: ';
export const GUIDE_PREFIX = 'guide: ';

/** One short string per row of the reference's Outcomes table (its "trigger" column), plus success. */
export const REFERENCE_ROWS = [
  'body not read as a form (no or wrong Content-Type, JSON body, params sent as headers)',
  'grant_type missing, misspelled key (grand_type), truncated or unknown value',
  'params in the query string of a POST, otherwise valid',
  'GET (or any non-POST)',
  'plain http://',
  'assertion missing, empty, not three base64url parts, bad JSON',
  'alg not RS256 (HS256, none, ES256, RS512)',
  'iss missing (e.g. sent as Iss)',
  "iss not a known consumer key (typo, other org's app)",
  'app created or changed minutes ago (propagation, 2-10 min)',
  'signature does not verify against any certificate uploaded to the app (wrong key, cert replaced, cert cleared by a deploy)',
  'aud not an audience of the host the POST landed on (random URL, login aud posted to test, test aud posted to login)',
  'aud = My Domain URL for a classic connected app',
  'exp in the past beyond leeway',
  'exp = now, a string of digits, far future, or in milliseconds',
  'sub not a user of that environment (typo, sandbox not yet copied, prod user at test)',
  'policy "All users may self-authorize" and the user never approved the app',
  'policy "Admin approved users are pre-authorized" and the user\'s profile / permission set not assigned',
  'External Client App not installed in the org (or ECA with login/test aud)',
  'user deactivated',
  'user frozen',
  'org locked, closed or suspended',
  "caller IP outside the profile's login IP ranges or login hours",
  'more than ~3,600 logins per hour for one user',
  "transient failure on Salesforce's side",
  'certificate on the app has expired',
  'unknown path on the host',
  'success',
] as const;

/**
 * Statements of the reference outside the Outcomes table ("The request", "Success", "Behaviour
 * knobs") that accepted variations and the lightning redirect reproduce.
 */
export const REFERENCE_FACTS = [
  'a POST to a *.lightning.force.com host gets a 302 to the My Domain host',
  'posting to My Domain with aud = login (or test) works',
  'hosts that take the request: login, test, My Domain, Experience Cloud site URL',
  'prn is accepted in place of sub, and wins when both are present',
  'header {"alg":"RS256"}, typ optional',
  'unknown extra claims are ignored',
  'JSON claim names are case-sensitive',
  'aud matching ignores a trailing slash and a missing scheme (knob, default yes)',
  'exp leeway of 180 s past exp (knob)',
  'External Client Apps accept the My Domain URL as aud',
] as const;

/** Every mistake the guide issue lists, one string each. */
export const GUIDE_MISTAKES = [
  '"Iss" instead of iss',
  'other claim names capitalised ("Sub", "Exp")',
  'a missing quote making the payload invalid JSON',
  'exp written as text like "CurrentTimeStemp+2min"',
  'exp in the past',
  'exp in milliseconds',
  'exp as a string',
  // Salesforce sets no upper bound on exp: exp.far-future shows it is accepted.
  'exp too far ahead',
  'aud as "LoginURL https://login.salesforce.com"',
  'aud as the My Domain URL',
  'aud as the sandbox My Domain URL',
  'aud login vs test',
  'HMACSHA256 (HS256) signed with the private key text',
  'alg: none',
  'a signature from the wrong key',
  'grand_type instead of grant_type',
  'the truncated value urn:ietf:params:oauth:grant-type',
  'grant_type and assertion sent as HTTP headers (Postman "Header Param" tab)',
  'a JSON body',
  'no Content-Type',
  'GET',
  'plain http',
  'the consumer secret used as iss',
  'the app name used as iss',
  'an e-mail address as sub',
  'a user Id as sub',
  'a user who never approved the app',
  'admin-approved app without the profile',
  'inactive user',
  'frozen user',
  'a sandbox user sent to login.salesforce.com',
  'an app changed minutes ago',
  'the login rate limit',
  'a transient unknown_error that must be retried',
] as const;

export type ReferenceRow = (typeof REFERENCE_ROWS)[number];

/** Reference rows no scenario can reproduce, with the reason. */
export const NOT_COVERED: Readonly<Partial<Record<ReferenceRow, string>>> = {
  'certificate on the app has expired':
    "A scenario's mock section can clear the app's certificates but not replace them with an expired certificate of the same key, and the runner always signs with the world's key. The mock's reference test (mock-server/token-endpoint.reference.test.ts, \"expired certificate\") covers the row instead.",
};
