import { describe, expect, it } from 'vitest';
import { idChecksum, isValidId18, makeId, suggestId18, to18 } from './salesforce-id.ts';

describe('Salesforce Ids', () => {
  // Pairs from Salesforce's own documentation and API responses.
  it.each([
    ['00Dxx0000001gPL', '00Dxx0000001gPLEAY'],
    ['005xx000001SwiU', '005xx000001SwiUAAS'],
    ['001000000000000', '001000000000000AAA'],
    ['ABCDEABCDEABCDE', 'ABCDEABCDEABCDE555'],
  ])('%s becomes %s', (id15, id18) => {
    expect(to18(id15)).toBe(id18);
    expect(isValidId18(id18)).toBe(true);
  });

  // Pairs written down elsewhere, each by its source, not worked out with this code: Salesforce's
  // Marketing Cloud AMPscript reference (LongSFID), the salesforce_id_formatter gem's README, the
  // salesforce_id_converter package on PyPI, the sf15to18 package on Packagist and a worked example
  // on theblogreaders.com (chunks of five, reversed, upper case as 1, looked up in A-Z0-5).
  it.each([
    ['0036000000QKv5T', '0036000000QKv5TAAT'],
    ['70130000001tcyI', '70130000001tcyIAAQ'],
    ['00558000001N0Ke', '00558000001N0KeAAK'],
    ['001550V000WOQZi', '001550V000WOQZiACP'],
    ['0019000000B98de', '0019000000B98deAAB'],
  ])('%s becomes %s (a published pair)', (id15, id18) => {
    expect(to18(id15)).toBe(id18);
    expect(isValidId18(id18)).toBe(true);
    // A wrong suffix is corrected to the published one; so is a missing one.
    expect(suggestId18(`${id15}${id18.endsWith('ZZZ') ? 'AAA' : 'ZZZ'}`)).toBe(id18);
    expect(suggestId18(id15)).toBe(id18);
    // Upper-cased whole (a spreadsheet, a case-insensitive system), the suffix gives the case back.
    expect(suggestId18(id18.toUpperCase())).toBe(id18 === id18.toUpperCase() ? undefined : id18);
    expect(suggestId18(id18)).toBeUndefined();
  });

  it('suggests the 15 characters as given with their own suffix when case cannot be restored', () => {
    // "A" at position 15 is upper case: the suffix for 005xx000001234A is AAQ.
    expect(suggestId18('005xx000001234AAAA')).toBe('005xx000001234AAAQ');
    // Lower-cased whole: the suffix AAK says N and K are upper case.
    expect(suggestId18('00558000001n0keaak')).toBe('00558000001N0KeAAK');
    // All upper case, but the suffix marks a digit as upper case: only a new suffix fits.
    expect(suggestId18('001000000000000AAB')).toBe('001000000000000AAA');
    expect(suggestId18('005xx00000123')).toBeUndefined();
    expect(suggestId18('005xx000001234AA-Q')).toBeUndefined();
  });

  it('rejects a wrong suffix and a wrong length', () => {
    expect(isValidId18('00Dxx0000001gPLAAA')).toBe(false);
    expect(isValidId18('00Dxx0000001gPL')).toBe(false);
    expect(() => to18('00D')).toThrow('a Salesforce Id has 15 or 18 characters, got 3');
    expect(idChecksum('aaaaaaaaaaaaaaa')).toBe('AAA');
  });

  it('makes deterministic, valid Ids with the key prefix', () => {
    const id = makeId('005', '5g', 61);
    expect(id).toBe(to18('0055g000000000z'));
    expect(id).toHaveLength(18);
    expect(id.startsWith('0055g')).toBe(true);
    expect(isValidId18(id)).toBe(true);
    expect(makeId('005', '5g', 61)).toBe(id);
  });
});
