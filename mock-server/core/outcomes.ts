/**
 * Every answer the real token endpoint gives to a JWT Bearer request, as data: status, `error`,
 * `error_description` (byte for byte), the Login History status Salesforce records, how sure we
 * are, and what the answer means in plain words. Checks name an outcome; `responses.ts` turns it
 * into wire bytes; `explain` tells its meaning.
 */
import type { Confidence } from './knobs.ts';

export interface OAuthErrorOutcome {
  kind: 'oauth-error';
  status: number;
  error: string;
  description: string;
  /** Login History status recorded on the user, when Salesforce records one. */
  loginHistory?: string;
  confidence: Confidence;
  /** What the answer means, in plain words (`explain` says it first). */
  meaning: string;
}

/** Answers that are not OAuth errors: the lightning host's redirect and the unknown-path page. */
export interface OtherOutcome {
  kind: 'redirect' | 'not-found' | 'too-large';
  status: number;
  confidence: Confidence;
  meaning: string;
}

export type Outcome = OAuthErrorOutcome | OtherOutcome;

export const OUTCOMES = {
  redirectToMyDomain: {
    kind: 'redirect',
    status: 302,
    confidence: 'OBS+',
    meaning: 'The host does not take token requests: a *.lightning.force.com host answers 302 with the My Domain host as Location, and most clients do not follow a redirect on POST.',
  },
  notFound: {
    kind: 'not-found',
    status: 404,
    confidence: 'OBS1',
    meaning: 'Nothing answers at this path: Salesforce sends an HTML "URL No Longer Exists" page with 404, not JSON, so a client expecting JSON fails to parse it.',
  },
  payloadTooLarge: { kind: 'too-large', status: 413, confidence: 'INF', meaning: 'The request body is larger than the token endpoint reads.' },
  unsupportedGrantType: {
    kind: 'oauth-error',
    status: 400,
    error: 'unsupported_grant_type',
    description: 'grant type not supported',
    confidence: 'OBS+',
    meaning:
      'Salesforce found no grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer among the parameters it read: the body is not a form it reads, or grant_type is missing, misspelled or has another value. The assertion was not looked at yet.',
  },
  mustUsePost: {
    kind: 'oauth-error',
    status: 400,
    error: 'invalid_request',
    description: 'must use HTTP POST',
    loginHistory: 'Failed: Invalid HTTP method',
    confidence: 'INF',
    meaning: 'The token request was not a POST.',
  },
  httpsRequired: {
    kind: 'oauth-error',
    status: 400,
    error: 'invalid_request',
    description: 'HTTPS required',
    loginHistory: 'Failed: Login over insecure channel',
    confidence: 'INF',
    meaning: 'The token request came over plain http://.',
  },
  invalidAssertion: {
    kind: 'oauth-error',
    status: 400,
    error: 'invalid_grant',
    description: 'invalid assertion',
    confidence: 'OBS1',
    meaning: 'The assertion is not a JWT Salesforce accepts: malformed, not RS256, or exp missing or not a number.',
  },
  signatureInvalid: {
    kind: 'oauth-error',
    status: 400,
    error: 'invalid_grant',
    description: 'invalid assertion',
    loginHistory: 'Failed: Signature Invalid',
    confidence: 'OBS+',
    meaning: 'The signature does not verify with any certificate on the connected app.',
  },
  missingIssuer: {
    kind: 'oauth-error',
    status: 400,
    error: 'invalid_client_id',
    description: 'client identifier invalid',
    loginHistory: 'Failed: Missing Consumer Key Parameter',
    confidence: 'OBS+',
    meaning: 'The JWT has no iss claim, so Salesforce cannot tell which connected app it is for.',
  },
  invalidClientId: {
    kind: 'oauth-error',
    status: 400,
    error: 'invalid_client_id',
    description: 'client identifier invalid',
    confidence: 'OBS+',
    meaning: 'iss is not the consumer key of a connected app Salesforce knows here (or not yet: changes take minutes to propagate).',
  },
  audienceInvalid: {
    kind: 'oauth-error',
    status: 400,
    error: 'invalid_grant',
    description: 'audience is invalid',
    loginHistory: 'Failed: Audience Invalid',
    confidence: 'OBS+',
    meaning: 'aud is not an audience of the host the request was posted to.',
  },
  expired: {
    kind: 'oauth-error',
    status: 400,
    error: 'invalid_grant',
    description: 'expired authorization code',
    loginHistory: 'Failed: Assertion Expired',
    confidence: 'OBS+',
    meaning: 'exp has passed, beyond a few minutes of leeway. "Authorization code" is wording from another flow: the JWT Bearer flow has no code.',
  },
  notApproved: {
    kind: 'oauth-error',
    status: 400,
    error: 'invalid_grant',
    description: "user hasn't approved this consumer",
    confidence: 'OBS+',
    meaning: 'Salesforce found no user it may log in through this app: sub names no user of this environment, or the user never approved a self-authorize app. The same words cover both.',
  },
  notAdminApproved: {
    kind: 'oauth-error',
    status: 400,
    error: 'invalid_app_access',
    description: 'user is not admin approved to access this app',
    confidence: 'OBS+',
    meaning: 'The app is "Admin approved users are pre-authorized" and neither the user\'s profile nor any of the user\'s permission sets is admitted.',
  },
  appNotFound: {
    kind: 'oauth-error',
    status: 400,
    error: 'app_not_found',
    description: 'External client app is not installed in this org',
    confidence: 'OBS+',
    meaning: "The External Client App is not installed in the user's org, or it was reached through login/test.salesforce.com rather than the org's My Domain.",
  },
  inactiveUser: {
    kind: 'oauth-error',
    status: 400,
    error: 'invalid_grant',
    description: 'inactive user',
    loginHistory: 'User is inactive',
    confidence: 'OBS1',
    meaning: 'The user exists but is inactive.',
  },
  frozenUser: { kind: 'oauth-error', status: 400, error: 'invalid_grant', description: 'user is frozen', loginHistory: 'User is frozen', confidence: 'INF', meaning: 'The user exists but is frozen.' },
  inactiveOrg: {
    kind: 'oauth-error',
    status: 400,
    error: 'inactive_org',
    description: 'organization is locked, closed, or suspended',
    loginHistory: 'Organization is inactive',
    confidence: 'INF',
    meaning: "The user's org is locked, closed or suspended.",
  },
  ipRestricted: {
    kind: 'oauth-error',
    status: 400,
    error: 'invalid_grant',
    description: 'ip restricted',
    loginHistory: 'Restricted IP',
    confidence: 'OBS+',
    meaning: "The caller's IP address or the time of day is outside the login IP ranges or login hours of the user's profile (always enforced for the JWT Bearer flow).",
  },
  rateExceeded: {
    kind: 'oauth-error',
    status: 400,
    error: 'invalid_grant',
    description: 'login rate exceeded',
    loginHistory: 'Login rate exceeded',
    confidence: 'OBS+',
    meaning: 'The user logged in too often within the last hour.',
  },
  unknownError: {
    kind: 'oauth-error',
    status: 400,
    error: 'unknown_error',
    description: 'retry your request',
    confidence: 'OBS+',
    meaning: "A failure on Salesforce's side, not a problem with the request.",
  },
} as const satisfies Record<string, Outcome>;

export type OutcomeName = keyof typeof OUTCOMES;

/** The Login History status of a successful login. */
export const LOGIN_SUCCESS = 'Success';

/**
 * What Salesforce's front answers a request that names no URL: no Host (HTTP/1.0 allows it), a Host
 * no URL has (`a%b`, `a b`), a target that is not a path. It never reaches an endpoint, so it is not
 * one of OUTCOMES. No public report shows that answer: the mock's choice (INF) is what common front
 * servers send, a small HTML `400 Bad Request` page that closes the connection, journalled as a
 * trace of kind and outcome `other`. No knob changes it.
 */
export const UNADDRESSED_REQUEST = {
  status: 400,
  confidence: 'INF',
  meaning: 'The request named no URL (no Host header, or a Host or target that is not one): the front answers a plain HTML 400 page before any endpoint sees it.',
} as const satisfies { status: number; confidence: Confidence; meaning: string };
