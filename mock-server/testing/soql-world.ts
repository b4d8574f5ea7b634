/**
 * A small world for the SOQL tests and bench: one org with three users (profiles, permission sets,
 * an approved app, one frozen), two apps, and an Account object with listed records; `withAccounts`
 * gives a world whose Accounts are N generated ones.
 */
import { type World, type WorldInput, WorldSchema } from '../world/schema.ts';

export const ORG_ID = '00D5g000000AbCdEAK';

export function soqlWorld(objects?: WorldInput['objects']): World {
  return WorldSchema.parse({
    orgs: [{ name: 'acme', id: ORG_ID, kind: 'production', myDomain: 'acme', companyName: 'Acme Corp' }],
    apps: [
      { name: 'Integration', org: 'acme', consumerKey: '3MVG9integrationKey', policy: 'self-authorize' },
      { name: 'Locked Down', org: 'acme', consumerKey: '3MVG9lockedDownKey', policy: 'admin-approved', profiles: ['System Administrator'], permissionSets: ['API Access'] },
    ],
    users: [
      {
        id: '0055g00000AaAaAAAV',
        username: 'ana@acme.com',
        email: 'ana@acme.com',
        firstName: 'Ana',
        lastName: 'Silva',
        org: 'acme',
        profile: 'System Administrator',
        permissionSets: ['API Access'],
        approvedApps: ['Integration'],
      },
      { id: '0055g00000BbBbBAAV', username: 'bo@acme.com', email: 'bo@acme.com', firstName: 'Bo', lastName: 'Berg', org: 'acme', active: false },
      { id: '0055g00000CcCcCAAV', username: 'cy@acme.com', email: 'cy@acme.com', lastName: 'Cyan', org: 'acme', frozen: true },
    ],
    objects: objects ?? {
      Account: {
        fields: { Name: 'string', AnnualRevenue: 'number', IsPartner: 'boolean', Founded: 'date', LastReview: 'datetime' },
        records: [
          { Name: 'Acme', AnnualRevenue: 5000, IsPartner: true, Founded: '1999-05-01', LastReview: '2026-03-01T08:00:00Z' },
          { Name: 'Globex', AnnualRevenue: 120, IsPartner: false, Founded: '2010-01-15', LastReview: '2026-02-20T10:00:00Z' },
          { Name: 'initech', AnnualRevenue: null, IsPartner: false, Founded: null, LastReview: null },
          { Name: 'Umbrella_Co', AnnualRevenue: 900, IsPartner: true, Founded: '2001-07-07', LastReview: '2026-02-28T23:59:59Z' },
        ],
      },
    },
  });
}

/** A world whose Account object has `count` records made from `seed`. */
export function withAccounts(count: number, seed = 7): World {
  return soqlWorld({ Account: { fields: { Name: 'string', AnnualRevenue: 'number' }, generate: { count, seed } } });
}
