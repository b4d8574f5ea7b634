/**
 * readForm: the parameters the checks read are what URLSearchParams makes of the query string and a
 * form body, cut after the first `max` (empty pieces between `&` are no parameter, as URLSearchParams
 * and Tomcat skip them). Under the limit it is URLSearchParams exactly, which a property test checks
 * over texts made of the characters that matter (`&`, `=`, `?`, `+`, `%`), so a usual request reads
 * as it always did.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readForm } from './request.ts';

const FORM = 'application/x-www-form-urlencoded';
const url = (query = '') => new URL(`https://login.salesforce.com/services/oauth2/token${query}`);
const entries = (params: URLSearchParams) => [...params];

describe('readForm', () => {
  it.each([
    [
      'a usual form',
      '',
      'grant_type=x&assertion=y',
      10,
      [
        ['grant_type', 'x'],
        ['assertion', 'y'],
      ],
      2,
      false,
    ],
    [
      'cut after max',
      '',
      'a=1&b=2&c=3',
      2,
      [
        ['a', '1'],
        ['b', '2'],
      ],
      2,
      true,
    ],
    [
      'max exactly: nothing cut',
      '',
      'a=1&b=2',
      2,
      [
        ['a', '1'],
        ['b', '2'],
      ],
      2,
      false,
    ],
    [
      'empty pieces are no parameters',
      '',
      '&&a=1&&&&b=2&&',
      2,
      [
        ['a', '1'],
        ['b', '2'],
      ],
      2,
      false,
    ],
    ['only `&`', '', '&&&&', 1, [], 0, false],
    [
      'an empty name is a parameter',
      '',
      '=&=&=',
      2,
      [
        ['', ''],
        ['', ''],
      ],
      2,
      true,
    ],
    ['a leading `?` of the body is dropped, once', '', '??a=1', 5, [['?a', '1']], 1, false],
    ['a `?` after a run of `&` stays', '', '&&?a=1', 5, [['?a', '1']], 1, false],
    [
      'the query string first',
      '?q=1',
      'a=1&b=2',
      2,
      [
        ['q', '1'],
        ['a', '1'],
      ],
      2,
      true,
    ],
    [
      'a query string that fills the limit leaves the body unread',
      '?q=1&r=2',
      'a=1',
      2,
      [
        ['q', '1'],
        ['r', '2'],
      ],
      2,
      true,
    ],
  ] as const)('%s', (_name, query, body, max, want, read, cut) => {
    const form = readForm(url(query), body, FORM, max);
    expect(entries(form.params)).toEqual(want);
    expect([form.read, form.cut]).toEqual([read, cut]);
  });

  it('500,000 parameters: 1,000 are read, whatever the rest are', () => {
    for (const body of ['a&'.repeat(500_000), 'a=&'.repeat(349_000), '=&'.repeat(500_000)]) {
      const form = readForm(url(), body, FORM, 1_000);
      expect([form.read, form.cut, [...form.params.keys()].length]).toEqual([1_000, true, 1_000]);
    }
  });

  it('a body that is not a form gives no parameters; the query string still counts', () => {
    expect(entries(readForm(url(), 'a=1', 'application/json', 10).params)).toEqual([]);
    const form = readForm(url('?q=1&r=2'), 'a=1', 'text/plain', 5);
    expect([entries(form.params), form.read, form.cut]).toEqual([
      [
        ['q', '1'],
        ['r', '2'],
      ],
      2,
      false,
    ]);
  });

  it('under the limit it is URLSearchParams, query string then body', () => {
    const text = fc.stringMatching(/^[a&=?+%2x]{0,40}$/);
    fc.assert(
      fc.property(text, text, (query, body) => {
        const u = url(query === '' ? '' : `?${query}`);
        const expected = new URLSearchParams(u.search);
        for (const [k, v] of new URLSearchParams(body)) expected.append(k, v);
        const form = readForm(u, body, FORM, 1_000);
        expect(entries(form.params)).toEqual(entries(expected));
        expect([form.read, form.cut]).toEqual([entries(expected).length, false]);
      }),
      { seed: 42, numRuns: 2_000 },
    );
  });

  it('over the limit it is URLSearchParams of the first `max` parameters', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a&=?+%2x]{0,60}$/), fc.integer({ min: 1, max: 6 }), (body, max) => {
        const all = entries(new URLSearchParams(body));
        const form = readForm(url(), body, FORM, max);
        expect(entries(form.params)).toEqual(all.slice(0, max));
        expect([form.read, form.cut]).toEqual([Math.min(max, all.length), all.length > max]);
      }),
      { seed: 42, numRuns: 2_000 },
    );
  });
});
