import { describe, expect, it } from 'vitest';
import { idChecksum, isValidId18, makeId, to18 } from './salesforce-id.ts';

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
