/**
 * zod's issues in sfjwt's words: each kind of issue a schema of sfjwt can raise, worded as the field,
 * what belongs there and what is there ("users: expected a list, got nothing"), a message the schema
 * chose kept as it is, and long values cut short.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssues, valueWords } from './zod-message.ts';

const Schema = z.strictObject({
  users: z.array(z.string()),
  name: z.string().min(1).optional(),
  kind: z.enum(['a', 'b']).optional(),
  port: z.int().min(1).max(10).optional(),
  url: z
    .string()
    .regex(/^https:/, { message: 'expected a URL such as https://login.salesforce.com' })
    .optional(),
  secret: z.union([z.string().min(1), z.strictObject({ env: z.string() })]).optional(),
  tags: z.array(z.string()).min(1).optional(),
  names: z.record(z.string().regex(/^[a-z]+$/), z.number()).optional(),
  fixed: z.literal('x').optional(),
  short: z.string().max(3).optional(),
  id: z.string().regex(/^\d+$/).optional(),
});

const lines = (input: unknown) => {
  const parsed = Schema.safeParse(input);
  if (parsed.success) throw new Error('parsed');
  return describeIssues(parsed.error, input, '(the file)').map((i) => `${i.path}: ${i.message}`);
};

describe('describeIssues', () => {
  it.each([
    [{}, 'users: expected a list, got nothing'],
    [{ users: 'x' }, 'users: expected a list, got "x"'],
    [{ users: [1] }, 'users[0]: expected a string, got 1'],
    [{ users: [], name: '' }, 'name: expected a non-empty string, got ""'],
    [{ users: [], kind: 'c' }, 'kind: expected one of "a", "b", got "c"'],
    [{ users: [], port: 11 }, 'port: expected at most 10, got 11'],
    [{ users: [], port: 0 }, 'port: expected at least 1, got 0'],
    [{ users: [], port: 1.5 }, 'port: expected a whole number, got 1.5'],
    [{ users: [], url: 'http:' }, 'url: expected a URL such as https://login.salesforce.com, got "http:"'],
    [{ users: [], secret: 5 }, 'secret: expected a string or an object, got 5'],
    [{ users: [], tags: [] }, 'tags: expected a non-empty list, got []'],
    [{ users: [], names: { A: 1 } }, 'names.A: expected a field name that is a string matching /^[a-z]+$/, got "A"'],
    [{ users: [], fixed: 'y' }, 'fixed: expected "x", got "y"'],
    [{ users: [], short: 'abcd' }, 'short: expected a string of at most 3 characters, got "abcd"'],
    [{ users: [], id: 'abc' }, 'id: expected a string matching /^\\d+$/, got "abc"'],
    [{ users: [], zz: 1, yy: 2 }, '(the file): unknown fields "zz", "yy": check the spelling (field names are case-sensitive)'],
    [null, '(the file): expected an object, got null'],
  ])('%j → %s', (input, line) => {
    expect(lines(input)).toEqual([line]);
  });

  it('a discriminated union whose discriminator matches no option names the options', () => {
    const Step = z.discriminatedUnion('at', [z.object({ at: z.literal('claims') }), z.object({ at: z.literal('form') })]);
    const parsed = Step.safeParse({ at: 'claim' });
    if (parsed.success) throw new Error('parsed');
    expect(describeIssues(parsed.error, { at: 'claim' })).toEqual([{ path: 'at', message: 'expected one of "claims", "form", got "claim"' }]);
  });

  it("no issue keeps zod's own wording", () => {
    const all = [{}, { users: 1, kind: 1, port: 'x', secret: [], tags: 1, names: 1 }, 7].flatMap(lines);
    expect(all.length).toBeGreaterThan(5);
    for (const line of all) expect(line).not.toMatch(/Invalid|received|Too (big|small)|Unrecognized/);
  });
});

describe('valueWords', () => {
  it.each([
    [undefined, 'nothing'],
    [null, 'null'],
    ['', '""'],
    [[1, 2], '[1,2]'],
    ['x'.repeat(100), `a string ("${'x'.repeat(39)}…, 102 characters)`],
    [{ pem: 'y'.repeat(100) }, `an object ({"pem":"${'y'.repeat(32)}…, 110 characters)`],
  ])('%j → %s', (value, words) => {
    expect(valueWords(value)).toBe(words);
  });
});
