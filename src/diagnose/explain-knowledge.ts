/**
 * The few words `explain` cannot derive from the checks and the catalogue: what each Salesforce
 * answer means in plain words, how to confirm or rule out each check as the cause, and what the
 * confidence grades mean. Keyed by outcome and check id with complete Records, so a new outcome or
 * check fails the type check until it is explained here too.
 */
import type { CHECK_IDS } from '../../mock-server/core/check.ts';
import type { Confidence } from '../../mock-server/core/knobs.ts';
import type { OutcomeName } from '../../mock-server/core/outcomes.ts';

/** A cause of an answer: a token-endpoint check, or `forced` (a failure on Salesforce's side). */
export type CauseId = (typeof CHECK_IDS)[number] | 'forced';

export const MEANING: Record<OutcomeName, string> = {
  redirectToMyDomain: 'The host does not take token requests: a *.lightning.force.com host answers 302 with the My Domain host as Location, and most clients do not follow a redirect on POST.',
  notFound: 'Nothing answers at this path: Salesforce sends an HTML "URL No Longer Exists" page with 404, not JSON, so a client expecting JSON fails to parse it.',
  payloadTooLarge: 'The request body is larger than the token endpoint reads.',
  unsupportedGrantType: 'Salesforce found no grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer among the parameters it read: the body is not a form it reads, or grant_type is missing, misspelled or has another value. The assertion was not looked at yet.',
  mustUsePost: 'The token request was not a POST.',
  httpsRequired: 'The token request came over plain http://.',
  invalidAssertion: 'The assertion is not a JWT Salesforce accepts: malformed, not RS256, or exp missing or not a number.',
  signatureInvalid: 'The signature does not verify with any certificate on the connected app.',
  missingIssuer: 'The JWT has no iss claim, so Salesforce cannot tell which connected app it is for.',
  invalidClientId: 'iss is not the consumer key of a connected app Salesforce knows here (or not yet: changes take minutes to propagate).',
  audienceInvalid: 'aud is not an audience of the host the request was posted to.',
  expired: 'exp has passed, beyond a few minutes of leeway. "Authorization code" is wording from another flow: the JWT Bearer flow has no code.',
  notApproved: 'Salesforce found no user it may log in through this app: sub names no user of this environment, or the user never approved a self-authorize app. The same words cover both.',
  notAdminApproved: 'The app is "Admin approved users are pre-authorized" and neither the user\'s profile nor any of the user\'s permission sets is admitted.',
  appNotFound: 'The External Client App is not installed in the user\'s org, or it was reached through login/test.salesforce.com rather than the org\'s My Domain.',
  inactiveUser: 'The user exists but is inactive.',
  frozenUser: 'The user exists but is frozen.',
  inactiveOrg: 'The user\'s org is locked, closed or suspended.',
  ipRestricted: 'The caller\'s IP address or the time of day is outside the login IP ranges or login hours of the user\'s profile (always enforced for the JWT Bearer flow).',
  rateExceeded: 'The user logged in too often within the last hour.',
  unknownError: 'A failure on Salesforce\'s side, not a problem with the request.',
};

const INSPECT = 'npx sfjwt inspect <JWT>';

/** How to confirm (or rule out) each cause with what a client can see. */
export const EVIDENCE: Record<CauseId, string> = {
  host: 'the answer is a 302 whose Location is the My Domain host: the URL host is *.lightning.force.com.',
  path: 'the body is an HTML page, not JSON: the URL path is not exactly /services/oauth2/token.',
  method: 'the request was sent with another method than POST (look at the client\'s log or a proxy).',
  tls: 'the URL starts with http://.',
  'grant-type': 'look at the raw request: the Content-Type (application/x-www-form-urlencoded), where the parameters travel (body, not headers or JSON) and the exact grant_type key and value; npx sfjwt doctor --request FILE lints a captured request.',
  assertion: `${INSPECT} reports jwt-malformed: not three base64url parts, or a header or payload that is not JSON.`,
  alg: `${INSPECT} shows the header's alg: anything but RS256 is refused.`,
  issuer: `compare iss (${INSPECT}) with the consumer key in Setup > App Manager > View > Manage Consumer Details, in the org this host serves; a new or changed app takes up to 10 minutes.`,
  signature: `${INSPECT} --cert server.crt verifies the signature with the certificate uploaded to the app: signature-mismatch means another key signed it; if it verifies, the app holds another certificate (or none: a deploy can clear it).`,
  audience: `${INSPECT} --host <the host posted to> checks aud against that host: login.salesforce.com for production, test.salesforce.com for sandboxes.`,
  expiry: `${INSPECT} shows exp as a date with the seconds left or ago; compare the signing machine's clock with Salesforce's.`,
  user: `the username is not a user of the org(s) behind the host: check its spelling against Setup > Users (the username, not the e-mail or Id; ${INSPECT} flags an Id) and the environment (a sandbox username such as name@acme.com.uat logs in at test.salesforce.com).`,
  'user-state': 'Setup > Users shows the user Inactive or Frozen; a locked, closed or suspended org answers inactive_org.',
  'ip-restriction': 'compare the caller\'s public IP and the time with the profile\'s Login IP Ranges and Login Hours.',
  'rate-limit': 'count the logins per hour: a client that logs in per call instead of reusing the access token reaches the limit.',
  'app-access': 'the username is right and the user is active: for a self-authorize app, has the user approved it (with the refresh_token scope)? For an admin-approved app, is the profile or a permission set admitted (Manage > Profiles, Permission Sets)? Is the External Client App installed in this org?',
  forced: 'the same request succeeds when retried a little later.',
};

export const CONFIDENCE_WORDS: Record<Confidence, string> = {
  DOC: 'documented by Salesforce',
  'OBS+': 'seen in several real responses',
  OBS1: 'seen in one real response',
  INF: 'inferred',
  conflicting: 'reports conflict',
};

/** The cause that is no check: Salesforce failing on its side (the mock's admin API forces it). */
export const FORCED_CAUSE = {
  title: 'A failure on Salesforce\'s side',
  description: 'Now and then Salesforce fails on its side and answers an otherwise correct request with an error; the mock gives this answer only when its admin API forces it (POST /__sfjwt/force).',
};

/** Outcomes the token endpoint decides outside the checks' own lists: which step gives them. */
export const DECIDED_OUTSIDE_CHECKS: Partial<Record<OutcomeName, CauseId>> = {
  payloadTooLarge: 'grant-type',
  unknownError: 'forced',
};

/** The check whose behaviour each knob changes (knobs of the harness itself change none). */
export const KNOB_CHECKS: Partial<Record<string, CauseId>> = {
  expLeewaySeconds: 'expiry',
  expMaxFutureSeconds: 'expiry',
  audienceLenient: 'audience',
  myDomainAudience: 'audience',
  ecaRequiresMyDomainAudience: 'app-access',
  loginRatePerHour: 'rate-limit',
  propagationDelaySeconds: 'issuer',
  requireTls: 'tls',
  maxBodyBytes: 'grant-type',
};
