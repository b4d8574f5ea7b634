/**
 * SOQL from text to records over the fixture world: table-driven rows of a query and the exact
 * records (or Salesforce's exact error body) it gives, written out as literals. Time is frozen at
 * 2026-03-01T12:00:00Z; one successful login of ana@acme.com is in the Login History.
 */
import { describe, expect, it } from 'vitest';
import { soqlWorld } from '../../testing/soql-world.ts';
import { LoginHistory } from '../login-history.ts';
import { runQuery } from './execute.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const ANA = '0055g00000AaAaAAAV';
const BO = '0055g00000BbBbBAAV';
const CY = '0055g00000CcCcCAAV';

function state() {
  const world = soqlWorld();
  const loginHistory = new LoginHistory();
  loginHistory.record(ANA, {
    loginTime: '2026-03-01T11:00:00Z',
    username: 'ana@acme.com',
    status: 'Success',
    application: 'Integration',
    loginType: 'Remote Access 2.0',
    sourceIp: '203.0.113.10',
    loginUrl: 'login.salesforce.com',
    traceId: 'trace-3',
  });
  loginHistory.record(BO, {
    loginTime: '2026-03-01T11:30:00Z',
    username: 'bo@acme.com',
    status: 'Failed: Inactive User',
    application: 'Integration',
    loginType: 'Remote Access 2.0',
    sourceIp: '203.0.113.11',
    loginUrl: 'login.salesforce.com',
    traceId: 'trace-4',
  });
  return { world, org: world.orgs[0] as (typeof world.orgs)[number], loginHistory };
}

const acct = (id: string) => ({ type: 'Account', url: `/services/data/v68.0/sobjects/Account/${id}` });
const A1 = '0015g0000000001AAA';
const A2 = '0015g0000000002AAA';
const A3 = '0015g0000000003AAA';
const A4 = '0015g0000000004AAA';
const names = (...list: [string, string][]) => list.map(([id, Name]) => ({ attributes: acct(id), Name }));

const valid: [string, string, unknown][] = [
  [
    'user fields and the Profile relationship, any letter case',
    'select id, NAME, profile.name, lastlogindate from USER order by name',
    {
      totalSize: 3,
      records: [
        {
          attributes: { type: 'User', url: `/services/data/v68.0/sobjects/User/${ANA}` },
          Id: ANA,
          Name: 'Ana Silva',
          Profile: { attributes: { type: 'Profile', url: '/services/data/v68.0/sobjects/Profile/00e5g000000RXjkAAG' }, Name: 'System Administrator' },
          LastLoginDate: '2026-03-01T11:00:00.000+0000',
        },
        {
          attributes: { type: 'User', url: `/services/data/v68.0/sobjects/User/${BO}` },
          Id: BO,
          Name: 'Bo Berg',
          Profile: { attributes: { type: 'Profile', url: '/services/data/v68.0/sobjects/Profile/00e5g000000lWBwAAM' }, Name: 'Standard User' },
          LastLoginDate: null,
        },
        {
          attributes: { type: 'User', url: `/services/data/v68.0/sobjects/User/${CY}` },
          Id: CY,
          Name: 'Cyan',
          Profile: { attributes: { type: 'Profile', url: '/services/data/v68.0/sobjects/Profile/00e5g000000lWBwAAM' }, Name: 'Standard User' },
          LastLoginDate: null,
        },
      ],
    },
  ],
  ['COUNT() with a boolean filter', 'SELECT COUNT() FROM Account WHERE IsPartner = true', { totalSize: 2, records: [] }],
  ['COUNT() of all', 'SELECT COUNT() FROM User', { totalSize: 3, records: [] }],
  ['an Id matches by its 15 case-sensitive characters', "SELECT COUNT() FROM User WHERE Id IN ('0055g00000AaAaA', '0055G00000BBBBBAAV')", { totalSize: 1, records: [] }],
  ['= on strings is case-insensitive', "SELECT Name FROM Account WHERE Name = 'ACME'", { totalSize: 1, records: names([A1, 'Acme']) }],
  ['LIKE with % (case-insensitive)', "SELECT Name FROM Account WHERE Name LIKE '%co' ORDER BY Name", { totalSize: 1, records: names([A4, 'Umbrella_Co']) }],
  ['LIKE with _', "SELECT Name FROM Account WHERE Name LIKE 'acm_'", { totalSize: 1, records: names([A1, 'Acme']) }],
  [
    'OR, >, ORDER BY DESC NULLS LAST',
    'SELECT Name FROM Account WHERE AnnualRevenue > 500 OR IsPartner = false ORDER BY AnnualRevenue DESC NULLS LAST',
    { totalSize: 4, records: names([A1, 'Acme'], [A4, 'Umbrella_Co'], [A2, 'Globex'], [A3, 'initech']) },
  ],
  ['ORDER BY ASC puts nulls first', 'SELECT Name FROM Account ORDER BY AnnualRevenue', { totalSize: 4, records: names([A3, 'initech'], [A2, 'Globex'], [A4, 'Umbrella_Co'], [A1, 'Acme']) }],
  [
    'ORDER BY ASC NULLS LAST, two fields',
    'SELECT Name FROM Account ORDER BY IsPartner DESC, AnnualRevenue ASC NULLS LAST',
    { totalSize: 4, records: names([A4, 'Umbrella_Co'], [A1, 'Acme'], [A2, 'Globex'], [A3, 'initech']) },
  ],
  ['NOT ( … OR … )', "SELECT Name FROM Account WHERE NOT (Name = 'acme' OR Name = 'globex')", { totalSize: 2, records: names([A3, 'initech'], [A4, 'Umbrella_Co']) }],
  ['parentheses over AND/OR', "SELECT Name FROM Account WHERE (Name = 'Acme' OR Name = 'Globex') AND IsPartner = false", { totalSize: 1, records: names([A2, 'Globex']) }],
  ['IN and NOT IN', "SELECT Name FROM Account WHERE Name IN ('acme', 'initech') AND Name NOT IN ('initech')", { totalSize: 1, records: names([A1, 'Acme']) }],
  ['= null and != null', 'SELECT Name FROM Account WHERE AnnualRevenue = null', { totalSize: 1, records: names([A3, 'initech']) }],
  ['!= null', 'SELECT Name FROM Account WHERE Founded != null AND AnnualRevenue <= 900', { totalSize: 2, records: names([A2, 'Globex'], [A4, 'Umbrella_Co']) }],
  ['!= on a string keeps nulls out of = only', "SELECT Name FROM Account WHERE Name != 'Acme'", { totalSize: 3, records: names([A2, 'Globex'], [A3, 'initech'], [A4, 'Umbrella_Co']) }],
  ['dates compare as dates', 'SELECT Name FROM Account WHERE Founded >= 2001-07-07', { totalSize: 2, records: names([A2, 'Globex'], [A4, 'Umbrella_Co']) }],
  ['datetimes compare as instants', 'SELECT Name FROM Account WHERE LastReview < 2026-02-28T23:59:59Z', { totalSize: 1, records: names([A2, 'Globex']) }],
  ['TODAY', 'SELECT Name FROM Account WHERE LastReview = TODAY', { totalSize: 1, records: names([A1, 'Acme']) }],
  ['LAST_N_DAYS:1 includes today and yesterday', 'SELECT Name FROM Account WHERE LastReview = LAST_N_DAYS:1', { totalSize: 2, records: names([A1, 'Acme'], [A4, 'Umbrella_Co']) }],
  ['LIMIT and OFFSET', 'SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1', { totalSize: 2, records: names([A2, 'Globex'], [A3, 'initech']) }],
  ['COUNT() under LIMIT', 'SELECT COUNT() FROM Account LIMIT 3', { totalSize: 3, records: [] }],
  [
    'parents through two relationships',
    "SELECT Assignee.Username, PermissionSet.Label FROM PermissionSetAssignment WHERE Assignee.Username = 'ana@acme.com'",
    {
      totalSize: 2,
      records: [
        {
          attributes: { type: 'PermissionSetAssignment', url: '/services/data/v68.0/sobjects/PermissionSetAssignment/0Pa5g000000vwIgCAI' },
          Assignee: { attributes: { type: 'User', url: `/services/data/v68.0/sobjects/User/${ANA}` }, Username: 'ana@acme.com' },
          PermissionSet: { attributes: { type: 'PermissionSet', url: '/services/data/v68.0/sobjects/PermissionSet/0PS5g0000003BXbGAM' }, Label: 'System Administrator' },
        },
        {
          attributes: { type: 'PermissionSetAssignment', url: '/services/data/v68.0/sobjects/PermissionSetAssignment/0Pa5g00000033zPCAQ' },
          Assignee: { attributes: { type: 'User', url: `/services/data/v68.0/sobjects/User/${ANA}` }, Username: 'ana@acme.com' },
          PermissionSet: { attributes: { type: 'PermissionSet', url: '/services/data/v68.0/sobjects/PermissionSet/0PS5g0000009ZTAGA2' }, Label: 'API Access' },
        },
      ],
    },
  ],
  [
    'UserLogin of the frozen user',
    'SELECT UserId, IsFrozen FROM UserLogin WHERE IsFrozen = true',
    { totalSize: 1, records: [{ attributes: { type: 'UserLogin', url: '/services/data/v68.0/sobjects/UserLogin/0605g000000P1GHAA0' }, UserId: CY, IsFrozen: true }] },
  ],
  [
    'ConnectedApplication',
    'SELECT Name, OptionsAllowAdminApprovedUsersOnly FROM ConnectedApplication ORDER BY Name DESC',
    {
      totalSize: 2,
      records: [
        { attributes: { type: 'ConnectedApplication', url: '/services/data/v68.0/sobjects/ConnectedApplication/0H45g000000LLuXCAW' }, Name: 'Locked Down', OptionsAllowAdminApprovedUsersOnly: true },
        { attributes: { type: 'ConnectedApplication', url: '/services/data/v68.0/sobjects/ConnectedApplication/0H45g0000004rmbCAA' }, Name: 'Integration', OptionsAllowAdminApprovedUsersOnly: false },
      ],
    },
  ],
  [
    'OauthToken counts the successful logins through the app',
    'SELECT UserId, AppName, UseCount, LastUsedDate FROM OauthToken',
    {
      totalSize: 1,
      records: [
        {
          attributes: { type: 'OauthToken', url: '/services/data/v68.0/sobjects/OauthToken/0CQ5g000000PeHYGA0' },
          UserId: ANA,
          AppName: 'Integration',
          UseCount: 1,
          LastUsedDate: '2026-03-01T11:00:00.000+0000',
        },
      ],
    },
  ],
  [
    'LoginHistory from the mock’s own history, newest first by LoginTime',
    'SELECT UserId, Status, LoginType, Application, SourceIp, LoginTime FROM LoginHistory ORDER BY LoginTime DESC',
    {
      totalSize: 2,
      records: [
        {
          attributes: { type: 'LoginHistory', url: '/services/data/v68.0/sobjects/LoginHistory/0Ya5g0000000004CAA' },
          UserId: BO,
          Status: 'Failed: Inactive User',
          LoginType: 'Remote Access 2.0',
          Application: 'Integration',
          SourceIp: '203.0.113.11',
          LoginTime: '2026-03-01T11:30:00.000+0000',
        },
        {
          attributes: { type: 'LoginHistory', url: '/services/data/v68.0/sobjects/LoginHistory/0Ya5g0000000003CAA' },
          UserId: ANA,
          Status: 'Success',
          LoginType: 'Remote Access 2.0',
          Application: 'Integration',
          SourceIp: '203.0.113.10',
          LoginTime: '2026-03-01T11:00:00.000+0000',
        },
      ],
    },
  ],
  [
    'Organization',
    'SELECT Id, Name, IsSandbox FROM Organization',
    {
      totalSize: 1,
      records: [{ attributes: { type: 'Organization', url: '/services/data/v68.0/sobjects/Organization/00D5g000000AbCdEAK' }, Id: '00D5g000000AbCdEAK', Name: 'Acme Corp', IsSandbox: false }],
    },
  ],
];

const tail = {
  field: "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
  type: "If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
};

const invalid: [string, string, string][] = [
  ['a parse error', 'SELECT Id FROM', '[{"message":"\\nSELECT Id FROM\\n              ^\\nERROR at Row:1:Column:15\\nunexpected token: <EOF>","errorCode":"MALFORMED_QUERY"}]'],
  ['an unexpected token', 'SELECT Id FORM User', '[{"message":"\\nSELECT Id FORM User\\n               ^\\nERROR at Row:1:Column:16\\nunexpected token: User","errorCode":"MALFORMED_QUERY"}]'],
  [
    'an unknown object',
    'SELECT Id FROM Foo',
    `[{"message":"\\nSELECT Id FROM Foo\\n               ^\\nERROR at Row:1:Column:16\\nsObject type 'Foo' is not supported. ${tail.type}","errorCode":"INVALID_TYPE"}]`,
  ],
  [
    'an unknown field',
    'SELECT Id, Foo FROM User',
    `[{"message":"\\nSELECT Id, Foo FROM User\\n           ^\\nERROR at Row:1:Column:12\\nNo such column 'Foo' on entity 'User'. ${tail.field}","errorCode":"INVALID_FIELD"}]`,
  ],
  [
    'an unknown field of a parent',
    'SELECT Profile.Nam FROM User',
    `[{"message":"\\nSELECT Profile.Nam FROM User\\n       ^\\nERROR at Row:1:Column:8\\nNo such column 'Nam' on entity 'Profile'. ${tail.field}","errorCode":"INVALID_FIELD"}]`,
  ],
  [
    'an unknown field in WHERE',
    "SELECT Id FROM User WHERE Nickname = 'x'",
    `[{"message":"\\nSELECT Id FROM User WHERE Nickname = 'x'\\n                          ^\\nERROR at Row:1:Column:27\\nNo such column 'Nickname' on entity 'User'. ${tail.field}","errorCode":"INVALID_FIELD"}]`,
  ],
  [
    'an unknown relationship',
    'SELECT Prof.Name FROM User',
    `[{"message":"\\nSELECT Prof.Name FROM User\\n       ^\\nERROR at Row:1:Column:8\\nDidn't understand relationship 'Prof' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.","errorCode":"INVALID_FIELD"}]`,
  ],
  ['OFFSET over 2,000', 'SELECT Id FROM Account OFFSET 2001', '[{"message":"Maximum SOQL offset allowed is 2000","errorCode":"NUMBER_OUTSIDE_VALID_RANGE"}]'],
];

describe('SOQL over the world', () => {
  it.each(valid)('%s', (_title, soql, expected) => {
    expect(runQuery(soql, state(), NOW, 'v68.0')).toEqual(expected);
  });

  it('writes the selected fields in the order selected, after attributes', () => {
    const answer = runQuery("SELECT LastName, Id, Username FROM User WHERE Username = 'ana@acme.com'", state(), NOW, 'v68.0');
    expect(JSON.stringify(answer)).toBe(
      `{"totalSize":1,"records":[{"attributes":{"type":"User","url":"/services/data/v68.0/sobjects/User/${ANA}"},"LastName":"Silva","Id":"${ANA}","Username":"ana@acme.com"}]}`,
    );
  });

  it.each(invalid)("%s gets 400 and Salesforce's text", (_title, soql, body) => {
    const answer = runQuery(soql, state(), NOW, 'v68.0');
    expect(answer).toMatchObject({ status: 400, body });
  });
});
