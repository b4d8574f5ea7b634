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

/**
 * The first 15 characters in the case the suffix records (read without regard to case), or
 * undefined when the suffix says a digit is upper case: how an 18-character Id that lost its
 * letter case (upper-cased by a spreadsheet, say) is restored.
 */
function caseFromSuffix(id: string): string | undefined {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    const bits = SUFFIX_ALPHABET.indexOf(id.charAt(15 + chunk).toUpperCase());
    if (bits < 0) return undefined;
    for (let i = 0; i < 5; i += 1) {
      const c = id.charAt(chunk * 5 + i);
      const upper = (bits & (1 << i)) !== 0;
      if (upper && !/[a-zA-Z]/.test(c)) return undefined;
      out += upper ? c.toUpperCase() : c.toLowerCase();
    }
  }
  return out;
}

/**
 * The valid 18-character Id a wrong one most likely meant, or undefined when it is not 15 or 18
 * letters and digits (or is already valid). A 15-character Id gets its suffix. An 18-character Id
 * whose letters are all one case (it lost its case) gets the case its suffix records, where that
 * is possible; any other keeps its first 15 characters and gets their suffix.
 */
export function suggestId18(id: string): string | undefined {
  if (/^[a-zA-Z0-9]{15}$/.test(id)) return to18(id);
  if (!/^[a-zA-Z0-9]{18}$/.test(id) || isValidId18(id)) return undefined;
  if (id === id.toUpperCase() || id === id.toLowerCase()) {
    const restored = caseFromSuffix(id);
    if (restored !== undefined) return `${restored}${id.slice(15).toUpperCase()}`;
  }
  return to18(id.slice(0, 15));
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
