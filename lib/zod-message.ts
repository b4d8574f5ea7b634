/**
 * zod's issues in sfjwt's words. zod words an issue for a developer ("Invalid input: expected
 * array, received undefined"); a user editing a file wants the field, what belongs there and what
 * is there now: "users: expected a list, got nothing". A message the schema chose itself (such as
 * "expected a URL such as https://login.salesforce.com") is kept as it is; only zod's own wording
 * (which starts with "Invalid", "Too big", "Too small" or "Unrecognized") is replaced. Values are
 * echoed short, so a long certificate or secret never comes back whole.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** `apps[1].policy`; `root` for the value as a whole. */
export function issuePath(path: readonly PropertyKey[], root = '(the whole value)'): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out === '' ? root : out;
}

/** The value at `path` of what was parsed (undefined where there is nothing). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Object.hasOwn(cur, key) ? (cur as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return cur;
}

/** A value as a user would say it: nothing, null, a short JSON value, or its kind and length when long. */
export function valueWords(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  if (json === undefined) return typeof value;
  if (json.length <= 60) return json;
  const kind = typeof value === 'string' ? 'a string' : Array.isArray(value) ? 'a list' : 'an object';
  return `${kind} (${json.slice(0, 40)}…, ${json.length} characters)`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  tuple: 'a list',
  set: 'a list',
  object: 'an object',
  record: 'an object',
  map: 'an object',
  date: 'a date',
  null: 'null',
  undefined: 'nothing here',
  never: 'nothing here',
  nonoptional: 'a value',
};

const typeWords = (expected: string) => TYPE_WORDS[expected] ?? expected;

/** zod's English wording, as opposed to a message a schema chose. */
const ZOD_WORDING = /^(Invalid\b|Too (big|small)\b|Unrecognized\b)/;

function sizeWords(origin: string, bound: number | bigint, at: 'least' | 'most', inclusive: boolean): string {
  const n = Number(bound);
  if (origin === 'string' || origin === 'array' || origin === 'set') {
    const unit = origin === 'string' ? 'character' : 'item';
    const what = origin === 'string' ? 'string' : 'list';
    if (at === 'least' && n <= 1 && inclusive) return `expected a non-empty ${what}`;
    return `expected a ${what} of at ${at} ${n} ${unit}${n === 1 ? '' : 's'}`;
  }
  if (at === 'least') return inclusive ? `expected at least ${n}` : `expected more than ${n}`;
  return inclusive ? `expected at most ${n}` : `expected less than ${n}`;
}

function unionWords(issue: Extract<Issue, { code: 'invalid_union' }>): string {
  // A discriminated union whose discriminator (the issue's path ends at it) matched no option.
  if ('options' in issue && issue.options !== undefined && issue.options.length > 0) return choiceWords(issue.options);
  const branches = issue.errors.flatMap((errors) => {
    const [first] = errors;
    return first === undefined || first.path.length > 0 ? [] : [expectedWords(first).replace(/^expected /, '')];
  });
  const unique = [...new Set(branches)];
  return unique.length === 0 ? 'expected another kind of value' : `expected ${unique.join(' or ')}`;
}

function choiceWords(values: readonly unknown[]): string {
  return values.length === 1 ? `expected ${JSON.stringify(values[0])}` : `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
}

/** What belongs where the issue is, in plain words: "expected a list", "expected one of "a", "b"". */
export function expectedWords(issue: Issue): string {
  if (!ZOD_WORDING.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${typeWords(issue.expected)}`;
    case 'invalid_value':
      return choiceWords(issue.values);
    case 'too_small':
      return sizeWords(issue.origin, issue.minimum, 'least', issue.inclusive !== false);
    case 'too_big':
      return sizeWords(issue.origin, issue.maximum, 'most', issue.inclusive !== false);
    case 'invalid_format':
      return issue.format === 'regex' && issue.pattern !== undefined ? `expected a string matching ${issue.pattern}` : `expected a valid ${issue.format.replaceAll('_', ' ')}`;
    case 'not_multiple_of':
      return `expected a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: check the spelling (field names are case-sensitive)`;
    case 'invalid_union':
      return unionWords(issue);
    case 'invalid_key':
      return `expected a field name that is ${issue.issues.map((i) => expectedWords(i).replace(/^expected /, '')).join(' and ')}`;
    case 'invalid_element':
      return `expected entries that are ${issue.issues.map((i) => expectedWords(i).replace(/^expected /, '')).join(' and ')}`;
    default:
      return 'a value that is not allowed here';
  }
}

/** One issue as a user reads it: what belongs there, and what is there (not for an unknown field, which names itself). */
export function issueMessage(issue: Issue, input: unknown): string {
  const expected = expectedWords(issue);
  if (issue.code === 'unrecognized_keys') return expected;
  // The name is what is wrong, not the value under it.
  if (issue.code === 'invalid_key') return `${expected}, got ${JSON.stringify(String(issue.path.at(-1) ?? ''))}`;
  return `${expected}, got ${valueWords(valueAt(input, issue.path))}`;
}

/** Every issue of a failed parse as `{path, message}`: "users", "expected a list, got nothing". */
export function describeIssues(error: z.ZodError, input: unknown, root?: string): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issuePath(issue.path, root), message: issueMessage(issue, input) }));
}
