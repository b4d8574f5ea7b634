/**
 * Every answer the real token endpoint gives to a JWT Bearer request, as data: status, `error`,
 * `error_description` (byte for byte), the Login History status Salesforce records, and how sure we
 * are. Checks name an outcome; `responses.ts` turns it into wire bytes.
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
}

/** Answers that are not OAuth errors: the lightning host's redirect and the unknown-path page. */
export interface OtherOutcome {
  kind: 'redirect' | 'not-found' | 'too-large';
  status: number;
  confidence: Confidence;
}

export type Outcome = OAuthErrorOutcome | OtherOutcome;

export const OUTCOMES = {
  redirectToMyDomain: { kind: 'redirect', status: 302, confidence: 'OBS+' },
  notFound: { kind: 'not-found', status: 404, confidence: 'OBS1' },
  payloadTooLarge: { kind: 'too-large', status: 413, confidence: 'INF' },
  unsupportedGrantType: { kind: 'oauth-error', status: 400, error: 'unsupported_grant_type', description: 'grant type not supported', confidence: 'OBS+' },
  mustUsePost: { kind: 'oauth-error', status: 400, error: 'invalid_request', description: 'must use HTTP POST', loginHistory: 'Failed: Invalid HTTP method', confidence: 'INF' },
  httpsRequired: { kind: 'oauth-error', status: 400, error: 'invalid_request', description: 'HTTPS required', loginHistory: 'Failed: Login over insecure channel', confidence: 'INF' },
  invalidAssertion: { kind: 'oauth-error', status: 400, error: 'invalid_grant', description: 'invalid assertion', confidence: 'OBS1' },
  signatureInvalid: { kind: 'oauth-error', status: 400, error: 'invalid_grant', description: 'invalid assertion', loginHistory: 'Failed: Signature Invalid', confidence: 'OBS+' },
  missingIssuer: { kind: 'oauth-error', status: 400, error: 'invalid_client_id', description: 'client identifier invalid', loginHistory: 'Failed: Missing Consumer Key Parameter', confidence: 'OBS+' },
  invalidClientId: { kind: 'oauth-error', status: 400, error: 'invalid_client_id', description: 'client identifier invalid', confidence: 'OBS+' },
  audienceInvalid: { kind: 'oauth-error', status: 400, error: 'invalid_grant', description: 'audience is invalid', loginHistory: 'Failed: Audience Invalid', confidence: 'OBS+' },
  expired: { kind: 'oauth-error', status: 400, error: 'invalid_grant', description: 'expired authorization code', loginHistory: 'Failed: Assertion Expired', confidence: 'OBS+' },
  notApproved: { kind: 'oauth-error', status: 400, error: 'invalid_grant', description: "user hasn't approved this consumer", confidence: 'OBS+' },
  notAdminApproved: { kind: 'oauth-error', status: 400, error: 'invalid_app_access', description: 'user is not admin approved to access this app', confidence: 'OBS+' },
  appNotFound: { kind: 'oauth-error', status: 400, error: 'app_not_found', description: 'External client app is not installed in this org', confidence: 'OBS+' },
  inactiveUser: { kind: 'oauth-error', status: 400, error: 'invalid_grant', description: 'inactive user', loginHistory: 'User is inactive', confidence: 'OBS1' },
  frozenUser: { kind: 'oauth-error', status: 400, error: 'invalid_grant', description: 'user is frozen', loginHistory: 'User is frozen', confidence: 'INF' },
  inactiveOrg: { kind: 'oauth-error', status: 400, error: 'inactive_org', description: 'organization is locked, closed, or suspended', loginHistory: 'Organization is inactive', confidence: 'INF' },
  ipRestricted: { kind: 'oauth-error', status: 400, error: 'invalid_grant', description: 'ip restricted', loginHistory: 'Restricted IP', confidence: 'OBS+' },
  rateExceeded: { kind: 'oauth-error', status: 400, error: 'invalid_grant', description: 'login rate exceeded', loginHistory: 'Login rate exceeded', confidence: 'OBS+' },
  unknownError: { kind: 'oauth-error', status: 400, error: 'unknown_error', description: 'retry your request', confidence: 'OBS+' },
} as const satisfies Record<string, Outcome>;

export type OutcomeName = keyof typeof OUTCOMES;

/** The Login History status of a successful login. */
export const LOGIN_SUCCESS = 'Success';
