/**
 * The world file's `objects` section: data objects with declared fields, listed records and records
 * made from a seed. Records are checked against the declared fields and their types, with messages
 * that name the exact field; the same seed gives the same records.
 */
import { describe, expect, it } from 'vitest';
import { LoginHistory } from '../core/login-history.ts';
import { findObject, rowsOf } from '../core/soql/objects.ts';
import { validateWorld } from './validate-world.ts';

const base = { orgs: [{ name: 'acme', id: '00D5g000000AbCdEAK', kind: 'production', myDomain: 'acme' }] };

function issues(objects: unknown): string[] {
  try {
    validateWorld({ ...base, objects });
    return [];
  } catch (error) {
    return ((error as { issues?: { path: string; message: string }[] }).issues ?? []).map((i) => `${i.path}: ${i.message}`);
  }
}

describe('world objects', () => {
  it.each([
    [
      'a record naming an undeclared field',
      { Account: { fields: { Name: 'string' }, records: [{ Nme: 'Acme' }] } },
      ['objects.Account.records[0].Nme: no field "Nme" is declared in objects.Account.fields; expected one of "Name"'],
    ],
    [
      'a value of the wrong type',
      { Account: { fields: { AnnualRevenue: 'number' }, records: [{ AnnualRevenue: '5000' }] } },
      ['objects.Account.records[0].AnnualRevenue: expected a number (a JSON number) or null, got "5000"'],
    ],
    [
      'a date that is no date',
      { Account: { fields: { Founded: 'date' }, records: [{ Founded: '2024-13-45' }] } },
      ['objects.Account.records[0].Founded: expected a date (YYYY-MM-DD) or null, got "2024-13-45"'],
    ],
    [
      'an Id without its checksum',
      { Account: { fields: {}, records: [{ Id: '0015g0000000001AAB' }] } },
      ['objects.Account.records[0].Id: expected an 18-character Salesforce Id with a valid case-checksum suffix'],
    ],
    [
      'names that are no API names',
      { 'My Object': { fields: { 'Bad-Field': 'string' } } },
      [
        'objects.My Object: expected an API name of letters, digits and "_", starting with a letter (such as "Account" or "Invoice__c"), got "My Object"',
        'objects.My Object.fields.Bad-Field: expected an API name of letters, digits and "_", starting with a letter (such as "Account" or "Invoice__c"), got "Bad-Field"',
      ],
    ],
    ['Id declared as a field', { Account: { fields: { Id: 'string' } } }, ['objects.Account.fields.Id: every record gets an Id: leave it out of fields']],
  ])('refuses %s', (_title, objects, expected) => {
    expect(issues(objects)).toEqual(expected);
  });

  it('accepts listed and generated records; the same seed gives the same records', () => {
    const objects = {
      Invoice__c: {
        label: 'Invoice',
        fields: { Name: 'string', Amount__c: 'number', Paid__c: 'boolean' },
        records: [{ Name: 'INV-1', Amount__c: 10, Paid__c: null }],
        generate: { count: 3, seed: 9 },
      },
    };
    const rows = () => {
      const world = validateWorld({ ...base, objects });
      const def = findObject(world, 'invoice__C');
      if (def === undefined) throw new Error('no Invoice__c');
      return { def, rows: rowsOf(def, { world, org: world.orgs[0] as (typeof world.orgs)[number], loginHistory: new LoginHistory() }) };
    };
    const a = rows();
    expect([a.def.name, a.def.label, a.def.keyPrefix, a.def.custom]).toEqual(['Invoice__c', 'Invoice', 'a00', true]);
    expect(a.rows.length).toBe(4);
    expect(a.rows[0]).toEqual({ Id: 'a005g0000000001AAA', Name: 'INV-1', Amount__c: 10, Paid__c: null });
    expect(a.rows.map((r) => r.Id)).toEqual(['a005g0000000001AAA', 'a005g0000000002AAA', 'a005g0000000003AAA', 'a005g0000000004AAA']);
    expect(rows().rows).toEqual(a.rows);
    expect(typeof a.rows[1]?.Amount__c).toBe('number');
    expect(typeof a.rows[1]?.Paid__c).toBe('boolean');
  });
});
