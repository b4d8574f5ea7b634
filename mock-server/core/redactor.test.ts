/**
 * The redactor: a secret of 8 characters or more goes wherever it occurs, and so does its start
 * where a text shows it cut short (`…`); a shorter one only as a whole value or quoted as JSON. Kept
 * to a head, a secret across the cut goes whole and nothing of it is left. Overlapping secrets leave
 * no piece of either. The cache hands out one redactor per state of the apps' secrets.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_APPS } from '../world/default-world.ts';
import type { App, User } from '../world/schema.ts';
import { NO_SECRETS, Redactor, RedactorCache } from './redactor.ts';

const LONG = '1234567890abcdefghij1234567890abcdefghij';
const R_LONG = '[redacted: the consumer secret of app Acme]';
const R_START = '[redacted: the start of the consumer secret of app Acme]';
const R_SHORT = '[redacted: the consumer secret of app Tiny]';
const redactor = new Redactor(
  new Map([
    [LONG, ['Acme']],
    ['abc', ['Tiny']],
  ]),
);

describe('Redactor.text', () => {
  it.each([
    ['the secret as a whole value', LONG, R_LONG],
    ['inside a text, twice', `iss ${LONG} and ${LONG}.`, `iss ${R_LONG} and ${R_LONG}.`],
    ['quoted, as checks show values', `sub "${LONG}": no such user`, `sub "${R_LONG}": no such user`],
    ['its start, cut short by a check', `iss "${LONG.slice(0, 12)}…", not a key`, `iss "${R_START}…", not a key`],
    ['its start at 8 characters, cut short', `${LONG.slice(0, 8)}…`, `${R_START}…`],
    ['7 characters of its start: too few to tell', `${LONG.slice(0, 7)}…`, `${LONG.slice(0, 7)}…`],
    ['its start, not cut short: an ordinary text', `${LONG.slice(0, 12)} and more`, `${LONG.slice(0, 12)} and more`],
    ['a short secret as a whole value', 'abc', R_SHORT],
    ['a short secret quoted', 'sub "abc": no such user', `sub ${JSON.stringify(R_SHORT)}: no such user`],
    ['a short secret inside a word: left as it is', 'abcdef xabc', 'abcdef xabc'],
  ])('%s', (_name, text, want) => {
    expect(redactor.text(text)).toBe(want);
    // `holds` may say yes to a text that then needs nothing (the first check of the slow path), never no to one that does.
    if (want !== text) expect(redactor.holds(text)).toBe(true);
  });

  it('a text without a secret is the same string, and said to hold none', () => {
    const text = `no secret here, only ${'x'.repeat(200)}`;
    expect(redactor.text(text)).toBe(text);
    expect(redactor.holds(text)).toBe(false);
    expect(NO_SECRETS.text(LONG)).toBe(LONG);
  });

  it('two secrets that overlap go together, named both, nothing of either left', () => {
    const r = new Redactor(
      new Map([
        ['abcdefghijkl', ['A']],
        ['ghijklmnopqr', ['B']],
      ]),
    );
    expect(r.text('<abcdefghijklmnopqr>')).toBe('<[redacted: the consumer secret of app A][redacted: the consumer secret of app B]>');
  });

  it('an app named after its secret is not named', () => {
    const r = new Redactor(new Map([[LONG, [`app ${LONG}`]]]));
    expect(r.text(LONG)).toBe('[redacted: a consumer secret]');
  });
});

describe('Redactor.head', () => {
  const before = 'x'.repeat(90);
  it.each([
    ['a secret across the cut goes whole', `${before}${LONG}${'y'.repeat(100)}`, 100, `${before}${R_LONG}`, true],
    ['a secret that starts at the cut is cut off', `${'x'.repeat(100)}${LONG}`, 100, 'x'.repeat(100), true],
    ['a secret that ends the text: nothing left off', `${before}${LONG}`, 100, `${before}${R_LONG}`, false],
    ['a text within the limit is only redacted', `${before}${LONG}`, 1_000, `${before}${R_LONG}`, false],
    ['no secret: the first `max` characters', 'z'.repeat(300), 100, 'z'.repeat(100), true],
  ])('%s', (_name, text, max, want, cut) => {
    expect(redactor.head(text, max)).toEqual({ text: want, cut });
  });
});

describe('RedactorCache', () => {
  const app = (name: string, consumerSecret?: string) => ({ name, ...(consumerSecret === undefined ? {} : { consumerSecret }) }) as App;

  it('one redactor while the secrets stay; a new one when a secret, the list or the world changes', () => {
    const cache = new RedactorCache();
    const apps = [app(DEFAULT_APPS.selfAuthorized, LONG), app('no secret')];
    const first = cache.of(apps);
    expect(cache.of(apps)).toBe(first);
    expect(first.text(LONG)).toBe(`[redacted: the consumer secret of app ${DEFAULT_APPS.selfAuthorized}]`);
    (apps[0] as App).consumerSecret = 'a new secret of the app';
    const second = cache.of(apps);
    expect(second).not.toBe(first);
    expect([second.text(LONG), second.holds('a new secret of the app')]).toEqual([LONG, true]);
    expect(cache.of([...apps])).not.toBe(second);
  });

  it('apps without secrets redact nothing', () => {
    expect(new RedactorCache().of([app('a'), app('b', '')])).toBe(NO_SECRETS);
  });

  it('two apps with one secret are both named', () => {
    expect(new RedactorCache().of([app('A', LONG), app('B', LONG)]).text(LONG)).toBe('[redacted: the consumer secret of app A, app B]');
  });
});

describe("users' passwords", () => {
  const user = (username: string, password?: string) => ({ username, ...(password === undefined ? {} : { password }) }) as User;

  it.each([
    ['a whole value', 'Train-XasB1WLndu7', '[redacted: the password of user remote@acme.com]'],
    ['inside a text', 'pw=Train-XasB1WLndu7&un=remote@acme.com', 'pw=[redacted: the password of user remote@acme.com]&un=remote@acme.com'],
  ])('replaces %s, naming whose it was', (_name, text, redacted) => {
    expect(new RedactorCache().of([], [user('remote@acme.com', 'Train-XasB1WLndu7')]).text(text)).toBe(redacted);
  });

  it('names the app when a password is also a consumer secret, and redacts nothing for users without one', () => {
    const both = new RedactorCache().of([{ name: 'A', consumerSecret: 'shared-secret-1' } as App], [user('u@acme.com', 'shared-secret-1')]);
    expect(both.text('shared-secret-1')).toBe('[redacted: the consumer secret of app A]');
    expect(new RedactorCache().of([], [user('u@acme.com')])).toBe(NO_SECRETS);
  });

  it('a new redactor when a password changes', () => {
    const cache = new RedactorCache();
    const apps: App[] = [];
    const users = [user('u@acme.com', 'first-password')];
    const first = cache.of(apps, users);
    expect(cache.of(apps, users)).toBe(first);
    (users[0] as User).password = 'second-password';
    expect(cache.of(apps, users).text('second-password')).toBe('[redacted: the password of user u@acme.com]');
  });
});
