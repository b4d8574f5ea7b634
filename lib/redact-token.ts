/**
 * An access token made safe to show: Salesforce's tokens are the org Id, "!", then the session
 * secret, and the org Id is no secret (it is in every record URL), so it stays and tells the
 * reader which org the token is for. The mock's traces and `sfjwt token` both redact with this.
 */

/** `00D5g0000000001!AQ…` keeps the org Id, which is not secret, and drops the rest. */
export function redactToken(token: string): string {
  const bang = token.indexOf('!');
  return bang > 0 ? `${token.slice(0, bang + 1)}[redacted]` : '[redacted]';
}
