/**
 * Salesforce's token-endpoint error bodies, written down byte for byte from the reference table of
 * the real endpoint (the same literals as mock-server/token-endpoint.reference.test.ts), and on
 * purpose not read from mock-server/core: an oracle that took its answers from the code under test
 * would agree with any bug in it.
 */
const err = (error: string, description: string) => `{"error":"${error}","error_description":"${description}"}`;

export const SALESFORCE = {
  unsupportedGrantType: err('unsupported_grant_type', 'grant type not supported'),
  mustUsePost: err('invalid_request', 'must use HTTP POST'),
  httpsRequired: err('invalid_request', 'HTTPS required'),
  invalidAssertion: err('invalid_grant', 'invalid assertion'),
  clientIdentifierInvalid: err('invalid_client_id', 'client identifier invalid'),
  audienceInvalid: err('invalid_grant', 'audience is invalid'),
  expired: err('invalid_grant', 'expired authorization code'),
  notApproved: err('invalid_grant', "user hasn't approved this consumer"),
  notAdminApproved: err('invalid_app_access', 'user is not admin approved to access this app'),
  appNotFound: err('app_not_found', 'External client app is not installed in this org'),
  inactiveUser: err('invalid_grant', 'inactive user'),
  frozenUser: err('invalid_grant', 'user is frozen'),
  inactiveOrg: err('inactive_org', 'organization is locked, closed, or suspended'),
  ipRestricted: err('invalid_grant', 'ip restricted'),
  rateExceeded: err('invalid_grant', 'login rate exceeded'),
  unknownError: err('unknown_error', 'retry your request'),
} as const;

/** Every error body Salesforce's token endpoint sends to a JWT Bearer request. */
export const SALESFORCE_ERROR_BODIES: ReadonlySet<string> = new Set(Object.values(SALESFORCE));

/** The body of the 413 answer to a request body over the limit. */
export const TOO_LARGE_BODY = '<html><head><title>413 Request Entity Too Large</title></head><body><h1>Request Entity Too Large</h1></body></html>';
