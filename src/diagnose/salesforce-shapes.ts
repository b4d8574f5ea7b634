/**
 * The shapes of Salesforce values a trained eye tells apart at a glance: a consumer key (`3MVG…`), a
 * consumer secret (a long string of digits, or 64 hexadecimal characters in newer orgs), a user Id
 * (`005…`, 15 or 18 characters) and another record Id. The assertion lint and the setup lint ask
 * here, so `iss` and `--client-id` are judged alike.
 */

/** Connected apps' and External Client Apps' consumer keys start with this. */
export const CONSUMER_KEY_PREFIX = '3MVG';

/**
 * How a value is shaped like a consumer secret ("19 digits", "64 hexadecimal characters"), or
 * undefined. Older secrets are 19 decimal digits, newer ones 64 hexadecimal characters; no consumer
 * key is all digits or all hexadecimal.
 */
export function consumerSecretShape(value: string): string | undefined {
  if (/^\d{16,}$/.test(value)) return `${value.length} digits`;
  if (/^[0-9A-Fa-f]{64}$/.test(value)) return '64 hexadecimal characters';
  return undefined;
}

/** A user's record Id: key prefix 005, 15 characters (case-sensitive) or 18 (with the case suffix). */
export function isUserId(value: string): boolean {
  return /^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/.test(value);
}

/** A record Id: 15 or 18 letters and digits that start with a digit (key prefixes 001, 005, 0H4, …), and not a (short) consumer key. */
export function isRecordId(value: string): boolean {
  return /^\d[A-Za-z0-9]{14}([A-Za-z0-9]{3})?$/.test(value) && !value.startsWith(CONSUMER_KEY_PREFIX);
}
