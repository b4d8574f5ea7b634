/**
 * Salesforce record Ids: 15 case-sensitive characters, the first three a key prefix (`00D` org,
 * `005` user, `0DB` Experience Cloud site), plus a 3-character suffix that encodes which of the 15
 * characters are upper case, giving the case-insensitive 18-character form that APIs return.
 */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character case-checksum suffix of a 15-character Id. */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/** Turns a 15-character Id into its 18-character form (an 18-character Id is returned as it is). */
export function to18(id: string): string {
  if (id.length === 18) return id;
  if (id.length !== 15) throw new RangeError(`a Salesforce Id has 15 or 18 characters, got ${id.length}`);
  return id + idChecksum(id);
}

/** Whether an 18-character Id's suffix matches its first 15 characters. */
export function isValidId18(id: string): boolean {
  return /^[a-zA-Z0-9]{18}$/.test(id) && idChecksum(id.slice(0, 15)) === id.slice(15);
}

const BODY_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Builds an 18-character Id from a key prefix, a pod-like instance code and a number, the way real
 * Ids look (`005` + `5g` + `000000` + base-62 counter): deterministic for the same inputs.
 */
export function makeId(prefix: string, instance: string, n: number): string {
  let counter = '';
  let rest = Math.floor(Math.abs(n));
  for (let i = 0; i < 4; i += 1) {
    counter = BODY_ALPHABET[rest % 62] + counter;
    rest = Math.floor(rest / 62);
  }
  const id15 = `${prefix}${instance}${'0'.repeat(15 - prefix.length - instance.length - 4)}${counter}`;
  return to18(id15);
}
