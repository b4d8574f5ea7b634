import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceError, WorldError } from '../../lib/errors.ts';
import { HAS_FIFOS, makeFifo, underWatchdog } from '../../lib/testing/fifo.ts';
import { testKeys } from '../testing/fixtures.ts';
import { defaultWorld } from './default-world.ts';
import { makeId } from './salesforce-id.ts';
import type { World } from './schema.ts';
import { formatWorldWarnings, loadWorldFile, validateWorld, type WorldIssue, worldWarnings } from './validate-world.ts';

/** A world as parsed from a file: plain JSON, freely mutable by the table rows below. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type WorldJson = any;

const pem = () => testKeys().certificatePem;
/** The certificate with five lines of its body cut out: still PEM, no longer a certificate. */
const corruptPem = () => pem().split('\n').toSpliced(3, 5).join('\n');
const fresh = (): World => defaultWorld({ seed: 42, certificatePem: pem() });
const asFile = (): WorldJson => JSON.parse(JSON.stringify(fresh()));

interface ExpectedIssue {
  path: string;
  /** Key phrases the issue's message must contain. */
  contains: readonly string[];
}

/** Runs validateWorld and returns the WorldError it throws (fails the test when it does not throw one). */
function worldErrorOf(input: unknown, source?: string): WorldError {
  let thrown: unknown;
  try {
    if (source === undefined) validateWorld(input);
    else validateWorld(input, source);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(WorldError);
  return thrown as WorldError;
}

function expectIssues(error: WorldError, expected: readonly ExpectedIssue[]): void {
  expect(error.issues.map((i) => i.path)).toEqual(expected.map((e) => e.path));
  expected.forEach((e, n) => {
    const issue = error.issues[n];
    for (const phrase of e.contains) expect(issue?.message).toContain(phrase);
    // Every issue is also listed in the message, as "  path: message".
    expect(error.message).toContain(`\n  ${issue?.path}: ${issue?.message}`);
  });
}

describe('validateWorld: a valid world', () => {
  it('returns the default world, as read from a file, unchanged', () => {
    const input = asFile();
    const before = JSON.stringify(input);
    const world = validateWorld(input);
    expect(world).toStrictEqual(fresh());
    expect(world).not.toBe(input);
    // The input is not modified.
    expect(JSON.stringify(input)).toBe(before);
  });

  it('fills every default of a minimal world', () => {
    const orgId = makeId('00D', '5g', 1);
    const userId = makeId('005', '5g', 1);
    const world = validateWorld({
      orgs: [{ name: 'acme', id: orgId, kind: 'production', myDomain: 'acme' }],
      apps: [{ name: 'App', org: 'acme', consumerKey: '3MVG9abcdefgh' }],
      users: [{ id: userId, username: 'ana@acme.com', email: 'ana@acme.com', lastName: 'Lopez', org: 'acme' }],
    });
    expect(world).toStrictEqual({
      version: 1,
      orgs: [{ name: 'acme', id: orgId, kind: 'production', myDomain: 'acme', status: 'active', sessionTimeoutSeconds: 7200, sites: [] }],
      apps: [
        {
          name: 'App',
          kind: 'connected-app',
          org: 'acme',
          consumerKey: '3MVG9abcdefgh',
          certificates: [],
          scopes: ['api', 'refresh_token'],
          policy: 'self-authorize',
          profiles: [],
          permissionSets: [],
          callbackUrls: [],
          lastModified: '2024-01-01T00:00:00Z',
        },
      ],
      users: [
        {
          id: userId,
          username: 'ana@acme.com',
          email: 'ana@acme.com',
          firstName: '',
          lastName: 'Lopez',
          org: 'acme',
          profile: 'Standard User',
          permissionSets: [],
          active: true,
          frozen: false,
          approvedApps: [],
          loginIpRanges: [],
        },
      ],
    });
  });

  it('fills defaults of a default world stripped of its defaulted fields', () => {
    const input = asFile();
    delete input.version;
    for (const org of input.orgs) {
      delete org.status; // default "active"; the locked org keeps it below
      delete org.sessionTimeoutSeconds;
      if (org.sites.length === 0) delete org.sites;
    }
    input.orgs[2].status = 'locked';
    for (const app of input.apps) {
      if (app.kind === 'connected-app') delete app.kind;
      if (app.policy === 'self-authorize') delete app.policy;
      if (app.profiles.length === 0) delete app.profiles;
      if (app.permissionSets.length === 0) delete app.permissionSets;
      delete app.lastModified;
    }
    for (const user of input.users) {
      if (user.permissionSets.length === 0) delete user.permissionSets;
      if (user.active === true) delete user.active;
      if (user.frozen === false) delete user.frozen;
      if (user.loginIpRanges.length === 0) delete user.loginIpRanges;
    }
    expect(validateWorld(input)).toStrictEqual(fresh());
  });

  it('keeps knobs a world sets, and only those', () => {
    const input = asFile();
    input.knobs = { expLeewaySeconds: 60, myDomainAudience: 'accept', loginRatePerHour: null };
    expect(validateWorld(input).knobs).toStrictEqual({ expLeewaySeconds: 60, myDomainAudience: 'accept', loginRatePerHour: null });
  });

  it('accepts an External Client App installed in several orgs and a sandbox with "--"', () => {
    const input = asFile();
    input.apps[2].installedIn = ['acme', 'acme-uat'];
    expect(validateWorld(input).apps[2]?.installedIn).toEqual(['acme', 'acme-uat']);
  });
});

type Row = [name: string, mutate: (w: WorldJson) => void, expected: readonly ExpectedIssue[]];

const ORGS = '"acme", "acme-uat", "initech"';
const APPS = '"Acme Integration", "Acme Admin-Approved Integration", "Acme External Client App"';

const brokenWorlds: Row[] = [
  // --- shape (zod) ---
  [
    'an app policy outside the enum',
    (w) => {
      w.apps[0].policy = 'all';
    },
    [{ path: 'apps[0].policy', contains: ['expected one of "self-authorize", "admin-approved"', 'got "all"'] }],
  ],
  [
    'an app kind outside the enum',
    (w) => {
      w.apps[1].kind = 'ConnectedApp';
    },
    [{ path: 'apps[1].kind', contains: ['expected one of "connected-app", "external-client-app"', 'got "ConnectedApp"'] }],
  ],
  [
    'an unknown scope',
    (w) => {
      w.apps[0].scopes = ['api', 'everything'];
    },
    [{ path: 'apps[0].scopes[1]', contains: ['expected one of "api", "web"', 'got "everything"'] }],
  ],
  [
    'a user Id with a wrong case-checksum',
    (w) => {
      w.users[0].id = `${w.users[0].id.slice(0, 15)}AAB`;
    },
    [{ path: 'users[0].id', contains: ['expected an 18-character Salesforce Id with a valid case-checksum suffix', 'got "0055g0000000001AAB"; did you mean "0055g0000000001AAA"?'] }],
  ],
  [
    'a user Id whose suffix is wrong for its first 15 characters (a published pair: 00558000001N0Ke is 00558000001N0KeAAK)',
    (w) => {
      w.users[0].id = '00558000001N0KeAAA';
    },
    [{ path: 'users[0].id', contains: ['valid case-checksum suffix', 'got "00558000001N0KeAAA"; did you mean "00558000001N0KeAAK"?'] }],
  ],
  [
    'a user Id upper-cased whole (its suffix still says which letters were upper case)',
    (w) => {
      w.users[0].id = w.users[0].id.toUpperCase();
    },
    [{ path: 'users[0].id', contains: ['valid case-checksum suffix', `got "${makeId('005', '5g', 1).toUpperCase()}"; did you mean "${makeId('005', '5g', 1)}"?`] }],
  ],
  [
    'a 15-character user Id',
    (w) => {
      w.users[3].id = w.users[3].id.slice(0, 15);
    },
    [{ path: 'users[3].id', contains: ['expected an 18-character Salesforce Id', 'got "0055g0000000004"; did you mean "0055g0000000004AAA"?'] }],
  ],
  [
    'a user Id with an account prefix',
    (w) => {
      w.users[0].id = makeId('001', '5g', 1);
    },
    [{ path: 'users[0].id', contains: ['expected a user Id, which starts with "005"', `got "${makeId('001', '5g', 1)}"`] }],
  ],
  [
    'an org Id with a user prefix',
    (w) => {
      w.orgs[1].id = makeId('005', '5g', 99);
    },
    [{ path: 'orgs[1].id', contains: ['Id, which starts with "00D"', `got "${makeId('005', '5g', 99)}"`] }],
  ],
  [
    'a site Id with a bad checksum and a wrong prefix',
    (w) => {
      w.orgs[0].sites[0].id = '001000000000000ZZZ';
    },
    [
      { path: 'orgs[0].sites[0].id', contains: ['valid case-checksum suffix'] },
      { path: 'orgs[0].sites[0].id', contains: ['expected a site Id, which starts with "0DB"'] },
    ],
  ],
  [
    'a field written with the wrong case ("Username")',
    (w) => {
      w.users[2].Username = w.users[2].username;
      delete w.users[2].username;
    },
    [
      { path: 'users[2].username', contains: ['expected a string, got nothing'] },
      { path: 'users[2]', contains: ['unknown field "Username"', 'field names are case-sensitive'] },
    ],
  ],
  [
    'two unknown fields in one object',
    (w) => {
      w.apps[0].secret = 'x';
      w.apps[0].Policy = 'x';
    },
    [{ path: 'apps[0]', contains: ['unknown fields "secret", "Policy"'] }],
  ],
  [
    'an unknown top-level field',
    (w) => {
      w.Orgs = w.orgs;
    },
    [{ path: '(the world)', contains: ['unknown field "Orgs"'] }],
  ],
  [
    'a missing last name',
    (w) => {
      delete w.users[0].lastName;
    },
    [{ path: 'users[0].lastName', contains: ['expected a string, got nothing'] }],
  ],
  [
    'a missing consumer key',
    (w) => {
      delete w.apps[1].consumerKey;
    },
    [{ path: 'apps[1].consumerKey', contains: ['expected a string, got nothing'] }],
  ],
  [
    'a missing org kind',
    (w) => {
      delete w.orgs[2].kind;
    },
    [{ path: 'orgs[2].kind', contains: ['expected one of "production", "sandbox"', 'got nothing'] }],
  ],
  [
    'a username that is not e-mail shaped',
    (w) => {
      w.users[1].username = 'unapproved';
    },
    [{ path: 'users[1].username', contains: ['expected a username shaped like an e-mail address', 'got "unapproved"'] }],
  ],
  [
    'a consumer key that is too short',
    (w) => {
      w.apps[0].consumerKey = '3MVG9';
    },
    [{ path: 'apps[0].consumerKey', contains: ['8 to 255 printable ASCII characters', 'got "3MVG9"'] }],
  ],
  [
    'a session timeout below a minute',
    (w) => {
      w.orgs[0].sessionTimeoutSeconds = 30;
    },
    [{ path: 'orgs[0].sessionTimeoutSeconds', contains: ['got 30'] }],
  ],
  [
    'an upper-case My Domain',
    (w) => {
      w.orgs[0].myDomain = 'Acme';
    },
    [{ path: 'orgs[0].myDomain', contains: ['expected a My Domain name of lower-case letters', 'got "Acme"'] }],
  ],
  [
    'a site prefix with a slash',
    (w) => {
      w.orgs[0].sites[0].urlPathPrefix = '/customers';
    },
    [{ path: 'orgs[0].sites[0].urlPathPrefix', contains: ['(no slashes)', 'got "/customers"'] }],
  ],
  [
    'a lastModified that is not ISO 8601',
    (w) => {
      w.apps[0].lastModified = '01/01/2024';
    },
    [{ path: 'apps[0].lastModified', contains: ['got "01/01/2024"'] }],
  ],
  [
    'a login IP range whose start is after its end',
    (w) => {
      w.users[5].loginIpRanges[0] = { start: '203.0.113.200', end: '203.0.113.10' };
    },
    [{ path: 'users[5].loginIpRanges[0]', contains: ['start 203.0.113.200 is after end 203.0.113.10'] }],
  ],
  [
    'a bad IPv4 address in loginIpRanges',
    (w) => {
      w.users[5].loginIpRanges[0].start = '203.0.113';
    },
    [{ path: 'users[5].loginIpRanges[0].start', contains: ['expected an IPv4 address such as 203.0.113.10', 'got "203.0.113"'] }],
  ],
  [
    'an IPv6 address in loginIpRanges',
    (w) => {
      w.users[5].loginIpRanges[0].end = '::1';
    },
    [{ path: 'users[5].loginIpRanges[0].end', contains: ['expected an IPv4 address', 'got "::1"'] }],
  ],
  [
    'an unknown field in a login IP range',
    (w) => {
      w.users[5].loginIpRanges[0].mask = 24;
    },
    [{ path: 'users[5].loginIpRanges[0]', contains: ['unknown field "mask"'] }],
  ],
  [
    'login hours without a leading zero and past midnight',
    (w) => {
      w.users[0].loginHours = { start: '9:00', end: '24:00' };
    },
    [
      { path: 'users[0].loginHours.start', contains: ['expected a time of day as HH:MM (24-hour, UTC)', 'got "9:00"'] },
      { path: 'users[0].loginHours.end', contains: ['expected a time of day as HH:MM', 'got "24:00"'] },
    ],
  ],
  [
    'login hours with a missing end',
    (w) => {
      w.users[0].loginHours = { start: '09:00' };
    },
    [{ path: 'users[0].loginHours.end', contains: ['expected a string, got nothing'] }],
  ],
  [
    'knobs with an unknown knob and a wrong type',
    (w) => {
      w.knobs = { expLeewaySeconds: '180', leeway: 60 };
    },
    [
      { path: 'knobs.expLeewaySeconds', contains: ['must be an integer from 0 to 86400, got "180"'] },
      { path: 'knobs', contains: ['unknown field "leeway"'] },
    ],
  ],
  [
    'a knob out of range',
    (w) => {
      w.knobs = { maxBodyBytes: 10 };
    },
    [{ path: 'knobs.maxBodyBytes', contains: ['must be an integer from 1024 to 4194304, got 10'] }],
  ],
  [
    'a knob above its range (a body limit of 100 MiB)',
    (w) => {
      w.knobs = { maxBodyBytes: 104_857_600, journalSize: 1_000_000 };
    },
    [
      { path: 'knobs.maxBodyBytes', contains: ['must be an integer from 1024 to 4194304, got 104857600'] },
      { path: 'knobs.journalSize', contains: ['must be an integer from 1 to 10000, got 1000000'] },
    ],
  ],
  [
    'a knob outside its enum',
    (w) => {
      w.knobs = { myDomainAudience: 'reject' };
    },
    [{ path: 'knobs.myDomainAudience', contains: ['must be "audience-invalid", "not-approved" or "accept", got "reject"'] }],
  ],
  [
    'an empty orgs array',
    (w) => {
      w.orgs = [];
      w.apps = [];
      w.users = [];
    },
    [{ path: 'orgs', contains: ['a world needs at least one org', 'got []'] }],
  ],
  [
    'no orgs at all',
    (w) => {
      delete w.orgs;
    },
    [{ path: 'orgs', contains: ['expected a list, got nothing'] }],
  ],
  [
    'users that is not an array',
    (w) => {
      w.users = 'ana@acme.com';
    },
    [{ path: 'users', contains: ['expected a list, got "ana@acme.com"'] }],
  ],
  [
    'version 2',
    (w) => {
      w.version = 2;
    },
    [{ path: 'version', contains: ['expected 1', 'got 2'] }],
  ],
  [
    'a fractional seed',
    (w) => {
      w.seed = 4.2;
    },
    [{ path: 'seed', contains: ['got 4.2'] }],
  ],

  // --- cross-references ---
  [
    'a user in an unknown org',
    (w) => {
      w.users[0].org = 'globex';
    },
    [{ path: 'users[0].org', contains: [`no org is named "globex"; expected one of ${ORGS}`] }],
  ],
  [
    'an org name that differs only in case',
    (w) => {
      w.users[0].org = 'Acme';
    },
    [{ path: 'users[0].org', contains: ['no org is named "Acme"'] }],
  ],
  [
    'an approved app that does not exist',
    (w) => {
      w.users[4].approvedApps.push('Acme Mobile');
    },
    [{ path: 'users[4].approvedApps[3]', contains: [`no app is named "Acme Mobile"; expected one of ${APPS}`] }],
  ],
  [
    'an approved app in a world without apps',
    (w) => {
      w.apps = [];
      for (const u of w.users) u.approvedApps = [];
      w.users[1].approvedApps = ['Acme Integration'];
    },
    [{ path: 'users[1].approvedApps[0]', contains: ['no app is named "Acme Integration"; expected one of (no apps)'] }],
  ],
  [
    'an app in an unknown org',
    (w) => {
      w.apps[1].org = 'globex';
    },
    [{ path: 'apps[1].org', contains: [`no org is named "globex"; expected one of ${ORGS}`] }],
  ],
  [
    'usernames that differ only in case',
    (w) => {
      w.users[3].username = 'INTEGRATION@Acme.com';
    },
    [{ path: 'users[3].username', contains: ['username "INTEGRATION@Acme.com" is already used by users[0].username: each must be unique'] }],
  ],
  [
    'duplicate consumer keys',
    (w) => {
      w.apps[2].consumerKey = w.apps[0].consumerKey;
    },
    [{ path: 'apps[2].consumerKey', contains: ['consumer key', 'is already used by apps[0].consumerKey'] }],
  ],
  [
    'duplicate app names',
    (w) => {
      w.apps[1].name = 'acme integration';
      for (const u of w.users) u.approvedApps = u.approvedApps.filter((a: string) => a !== 'Acme Admin-Approved Integration');
    },
    [{ path: 'apps[1].name', contains: ['app name "acme integration" is already used by apps[0].name'] }],
  ],
  [
    'duplicate org names',
    (w) => {
      w.orgs[2].name = 'acme';
      w.users[7].org = 'acme';
    },
    [{ path: 'orgs[2].name', contains: ['org name "acme" is already used by orgs[0].name'] }],
  ],
  [
    'duplicate org Ids',
    (w) => {
      w.orgs[2].id = w.orgs[0].id;
    },
    [{ path: 'orgs[2].id', contains: ['org Id', 'is already used by orgs[0].id'] }],
  ],
  [
    'duplicate My Domains',
    (w) => {
      w.orgs[2].myDomain = 'acme';
    },
    [{ path: 'orgs[2].myDomain', contains: ['My Domain "acme" is already used by orgs[0].myDomain'] }],
  ],
  [
    'duplicate user Ids',
    (w) => {
      w.users[7].id = w.users[1].id;
    },
    [{ path: 'users[7].id', contains: [`user Id "${makeId('005', '5g', 2)}" is already used by users[1].id`] }],
  ],
  [
    'a sandbox whose My Domain lacks "--"',
    (w) => {
      w.orgs[1].myDomain = 'acmeuat';
    },
    [{ path: 'orgs[1].myDomain', contains: ['a sandbox\'s My Domain is "<domain>--<sandbox name>"', 'got "acmeuat"'] }],
  ],
  [
    'a production org whose My Domain has "--"',
    (w) => {
      w.orgs[0].myDomain = 'acme--prod';
    },
    [{ path: 'orgs[0].myDomain', contains: ['"--" marks a sandbox\'s My Domain', 'got "acme--prod"'] }],
  ],
  [
    'installedIn on a connected app',
    (w) => {
      w.apps[0].installedIn = ['acme'];
    },
    [{ path: 'apps[0].installedIn', contains: ['only External Client Apps are installed per org'] }],
  ],
  [
    'an External Client App installed in an unknown org',
    (w) => {
      w.apps[2].installedIn = ['acme', 'globex'];
    },
    [{ path: 'apps[2].installedIn[1]', contains: [`no org is named "globex"; expected one of ${ORGS}`] }],
  ],

  // --- certificates given as PEM text ---
  [
    'a corrupt PEM certificate (lines of it lost when copied)',
    (w) => {
      w.apps[1].certificates = [pem(), corruptPem()];
    },
    [{ path: 'apps[1].certificates[1]', contains: ['a corrupt PEM certificate: the text between its BEGIN and END lines is not an X.509 certificate'] }],
  ],
  [
    'a private key given as a certificate',
    (w) => {
      w.apps[0].certificates = [testKeys().privateKeyPem];
    },
    [{ path: 'apps[0].certificates[0]', contains: ['a PEM "PRIVATE KEY" block, not a certificate', 'a private key belongs with the client, never in a world file'] }],
  ],

  // --- shape and references in one pass ---
  [
    'a shape problem and a dangling reference, both at once',
    (w) => {
      w.apps[0].policy = 'all';
      w.users[0].org = 'globex';
    },
    [
      { path: 'apps[0].policy', contains: ['got "all"'] },
      { path: 'users[0].org', contains: [`no org is named "globex"; expected one of ${ORGS}`] },
    ],
  ],
  [
    'a dangling reference of a user whose other field is wrong',
    (w) => {
      delete w.users[1].lastName;
      w.users[1].org = 'globex';
    },
    [
      { path: 'users[1].lastName', contains: ['got nothing'] },
      { path: 'users[1].org', contains: ['no org is named "globex"'] },
    ],
  ],
  [
    'a wrong item of approvedApps and a dangling one beside it',
    (w) => {
      w.users[4].approvedApps = [42, 'Acme Mobile', 'Acme Integration'];
    },
    [
      { path: 'users[4].approvedApps[0]', contains: ['expected a string, got 42'] },
      { path: 'users[4].approvedApps[1]', contains: [`no app is named "Acme Mobile"; expected one of ${APPS}`] },
    ],
  ],
  [
    'a wrong login IP range and a reversed one beside it',
    (w) => {
      w.users[5].loginIpRanges = [
        { start: '203.0.113', end: '203.0.113.9' },
        { start: '203.0.113.200', end: '203.0.113.10' },
      ];
    },
    [
      { path: 'users[5].loginIpRanges[0].start', contains: ['expected an IPv4 address'] },
      { path: 'users[5].loginIpRanges[1]', contains: ['start 203.0.113.200 is after end 203.0.113.10'] },
    ],
  ],
  [
    'duplicate usernames beside a user whose Id is wrong',
    (w) => {
      w.users[3].username = 'integration@acme.com';
      w.users[2].id = 'x';
    },
    [
      { path: 'users[2].id', contains: ['valid case-checksum suffix'] },
      { path: 'users[2].id', contains: ['expected a user Id'] },
      { path: 'users[3].username', contains: ['is already used by users[0].username'] },
    ],
  ],
  [
    'a reference of the wrong shape is reported as such, not also as dangling',
    (w) => {
      w.orgs[1].name = 'acme uat';
      w.users[6].org = 'acme uat';
    },
    [
      { path: 'orgs[1].name', contains: ['expected a short name', 'got "acme uat"'] },
      { path: 'users[6].org', contains: ['expected a short name', 'got "acme uat"'] },
    ],
  ],
  [
    'a sandbox check skipped for an org whose kind is wrong, the other orgs still checked',
    (w) => {
      w.orgs[1].kind = 'Sandbox';
      w.orgs[2].myDomain = 'initech--dev';
    },
    [
      { path: 'orgs[1].kind', contains: ['got "Sandbox"'] },
      { path: 'orgs[2].myDomain', contains: ['"--" marks a sandbox\'s My Domain', 'got "initech--dev"'] },
    ],
  ],
  [
    'users that is not a list beside an app in an unknown org',
    (w) => {
      w.users = { ana: 1 };
      w.apps[1].org = 'globex';
    },
    [
      { path: 'users', contains: ['expected a list, got {'] },
      { path: 'apps[1].org', contains: ['no org is named "globex"'] },
    ],
  ],
  [
    'no orgs at all: no org reference is reported (there is nothing to check it against)',
    (w) => {
      delete w.orgs;
      w.users[0].approvedApps = ['Acme Mobile'];
    },
    [
      { path: 'orgs', contains: ['got nothing'] },
      { path: 'users[0].approvedApps[0]', contains: ['no app is named "Acme Mobile"'] },
    ],
  ],
  [
    'a corrupt certificate beside a shape problem',
    (w) => {
      w.apps[0].scopes = ['everything'];
      w.apps[0].certificates = [corruptPem()];
    },
    [
      { path: 'apps[0].scopes[0]', contains: ['got "everything"'] },
      { path: 'apps[0].certificates[0]', contains: ['a corrupt PEM certificate'] },
    ],
  ],
];

describe('validateWorld: values nested too deep', () => {
  const nested = (n: number): unknown => {
    let v: unknown = 'x';
    for (let i = 0; i < n; i += 1) v = [v];
    return v;
  };
  const DEEP = 'nested more than 100 levels deep (lists or objects inside each other); no field of a world goes deeper than 4';

  it('lets a value end at depth 100 reach the schema, and stops one at depth 101 before it', () => {
    // users (1) > users[0] (2) > firstName (3): 98 nested lists end at depth 100.
    const within = asFile();
    within.users[0].firstName = nested(98);
    expectIssues(worldErrorOf(within, 'w.json'), [{ path: 'users[0].firstName', contains: ['expected a string', 'got [[['] }]);
    const past = asFile();
    past.users[0].firstName = nested(99);
    expectIssues(worldErrorOf(past, 'w.json'), [{ path: 'users[0].firstName', contains: [DEEP] }]);
  });

  it('reports a value that refers to itself (built in code) as too deep, not a stack overflow', () => {
    const w = asFile();
    w.apps[1].self = w.apps[1];
    expectIssues(worldErrorOf(w, 'w.json'), [{ path: 'apps[1].self.self.self.self.self.self.self.self.self.self…', contains: [DEEP] }]);
  });
});

describe('validateWorld: broken worlds', () => {
  it.each(brokenWorlds)('%s', (_name, mutate, expected) => {
    const input = asFile();
    mutate(input);
    const error = worldErrorOf(input, 'acme-world.json');
    expect(error.code).toBe('ERR_WORLD');
    expect(error.exitCode).toBe(2);
    expect(error.actions).toEqual(['Fix the fields named above; `npx sfjwt world` prints a valid world to start from.']);
    expectIssues(error, expected);
    const n = expected.length;
    expect(error.message.startsWith(`acme-world.json is not a valid world (${n} problem${n === 1 ? '' : 's'}):\n`)).toBe(true);
  });

  it.each([
    ['null', null, 'expected an object, got null'],
    ['an array', [], 'expected an object, got []'],
    ['a string', 'acme', 'expected an object, got "acme"'],
  ])('rejects %s as a world, naming the world itself', (_name, input, phrase) => {
    const error = worldErrorOf(input);
    expectIssues(error, [{ path: '(the world)', contains: [phrase] }]);
  });

  it('names "the world" as the source by default', () => {
    const input = asFile();
    input.orgs = [];
    expect(worldErrorOf(input).message).toBe('the world is not a valid world (1 problem):\n  orgs: a world needs at least one org, got []');
  });

  it('reports shape problems everywhere at once', () => {
    const input = asFile();
    input.apps[0].policy = 'all';
    delete input.users[6].lastName;
    input.orgs[0].kind = 'prod';
    const error = worldErrorOf(input);
    expect(error.issues.map((i) => i.path).sort()).toEqual(['apps[0].policy', 'orgs[0].kind', 'users[6].lastName']);
    expect(error.message).toMatch(/^the world is not a valid world \(3 problems\):\n/);
  });

  it('lists at most 20 problems and counts the rest', () => {
    const input = asFile();
    const template = input.users[0];
    input.users = Array.from({ length: 25 }, (_, i) => ({ ...template, id: makeId('005', '5g', i + 1), username: `u${i}@acme.com`, lastName: '' }));
    const error = worldErrorOf(input, 'big.json');
    expect(error.issues).toHaveLength(25);
    expect(error.issues.every((i, n) => i.path === `users[${n}].lastName`)).toBe(true);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('big.json is not a valid world (25 problems):');
    expect(lines).toHaveLength(1 + 20 + 1);
    expect(lines[20]).toMatch(/^ {2}users\[19\]\.lastName: /);
    expect(lines[21]).toBe('  … and 5 more');
  });

  it('does not echo a long value in full', () => {
    const input = asFile();
    const secretish = `${'k'.repeat(120)} ${'q'.repeat(79)}`;
    expect(secretish).toHaveLength(200);
    input.apps[0].consumerKey = secretish;
    const error = worldErrorOf(input, 'w.json');
    expect(error.issues).toHaveLength(1);
    const issue = error.issues[0];
    expect(issue?.path).toBe('apps[0].consumerKey');
    expect(issue?.message).toContain('(202 characters)');
    expect(issue?.message).toContain(`got "${'k'.repeat(39)}… (202 characters)`);
    expect(issue?.message).not.toContain(secretish);
    expect(issue?.message).not.toContain('q');
    expect(error.message).not.toContain(secretish);
    expect(error.message).not.toContain('k'.repeat(40));
  });

  it('does not echo a consumer secret of the wrong type at all', () => {
    const input = asFile();
    const secret = Array.from({ length: 30 }, (_, i) => 1000 + i);
    input.apps[1].consumerSecret = secret;
    const error = worldErrorOf(input);
    expectIssues(error, [{ path: 'apps[1].consumerSecret', contains: ['expected a string, got a list (not shown: a secret)'] }]);
    expect(error.message).not.toContain('1000');
  });

  it('echoes a short value whole', () => {
    const input = asFile();
    input.apps[0].consumerKey = 'has space';
    expectIssues(worldErrorOf(input), [{ path: 'apps[0].consumerKey', contains: ['got "has space"'] }]);
  });

  it.each([['999.0.0.1'], ['256.1.1.1'], ['203.0.113.300']])('rejects the IPv4 address %s, whose octets exceed 255', (address) => {
    const input = asFile();
    input.users[5].loginIpRanges[0].end = address;
    expectIssues(worldErrorOf(input), [{ path: 'users[5].loginIpRanges[0].end', contains: ['expected an IPv4 address', `got "${address}"`] }]);
  });
});

const CERTIFICATE_ACTION = 'Give the PEM certificate uploaded to the app (-----BEGIN CERTIFICATE-----): its text, or a path relative to the world file.';

describe('loadWorldFile', () => {
  let dir: string;
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  const worldWithCertificates = (...certificates: string[]): WorldJson => {
    const w = asFile();
    w.apps[0].certificates = certificates;
    return w;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sfjwt-world-test-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads a valid world file', () => {
    const path = write('ok/world.json', JSON.stringify(fresh(), null, 2));
    expect(loadWorldFile(path)).toStrictEqual(fresh());
  });

  it('throws a ResourceError naming the path of a missing file', () => {
    const path = join(dir, 'missing', 'world.json');
    let thrown: unknown;
    try {
      loadWorldFile(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ResourceError);
    expect(thrown).not.toBeInstanceOf(WorldError);
    const error = thrown as ResourceError;
    expect(error.message).toBe(`cannot read the world file ${path}: ENOENT`);
    expect(error.code).toBe('ERR_RESOURCE');
    expect(error.actions).toEqual(['Check the world file path (serve --world, or SFJWT_WORLD in a container).']);
  });

  it('throws a ResourceError for a directory given as the world file', () => {
    const path = join(dir, 'a-directory');
    mkdirSync(path, { recursive: true });
    expect(() => loadWorldFile(path)).toThrow(
      new ResourceError(`cannot read the world file ${path}: it is a directory, not a regular file`, {
        actions: [
          'Give the path of the world file itself: sfjwt reads only regular files (not pipes, devices, directories or sockets).',
          'Check the world file path (serve --world, or SFJWT_WORLD in a container).',
        ],
      }),
    );
  });

  it.skipIf(!HAS_FIFOS)('refuses a FIFO or a device given as the world file at once (no hang, no endless read)', () => {
    const fifo = makeFifo(join(dir, 'world.fifo'));
    const READ_ONLY_FILES = 'Give the path of the world file itself: sfjwt reads only regular files (not pipes, devices, directories or sockets).';
    const fromFifo = underWatchdog(fifo, () => {
      try {
        loadWorldFile(fifo);
      } catch (error) {
        return error;
      }
      return undefined;
    });
    expect(fromFifo).toBeInstanceOf(ResourceError);
    expect((fromFifo as ResourceError).message).toBe(`cannot read the world file ${fifo}: it is a FIFO (named pipe), not a regular file`);
    expect((fromFifo as ResourceError).actions).toEqual([READ_ONLY_FILES, 'Check the world file path (serve --world, or SFJWT_WORLD in a container).']);
    expect(() => loadWorldFile('/dev/zero')).toThrow('cannot read the world file /dev/zero: it is a character device, not a regular file');
  });

  it.each([
    ['100,000 nested lists in a user field', (w: WorldJson) => (w.users[0].firstName = '@DEEP@'), '[', ']', 'users[0].firstName'],
    ['100,000 nested objects in the knobs', (w: WorldJson) => (w.knobs = '@DEEP@'), '{"a":', '}', 'knobs.a.a.a.a.a.a.a.a.a.a.a…'],
  ])('a world file with %s is a WorldError naming the file and the field, not a RangeError', (_name, place, open, close, field) => {
    const w = asFile();
    place(w);
    const path = write('deep/world.json', JSON.stringify(w).replace('"@DEEP@"', `${open.repeat(100_000)}1${close.repeat(100_000)}`));
    let thrown: unknown;
    try {
      loadWorldFile(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WorldError);
    const error = thrown as WorldError;
    expect(error.issues).toEqual([{ path: field, message: 'nested more than 100 levels deep (lists or objects inside each other); no field of a world goes deeper than 4' }]);
    expect(error.message).toBe(`${path} is not a valid world (1 problem):\n  ${field}: nested more than 100 levels deep (lists or objects inside each other); no field of a world goes deeper than 4`);
  });

  it.each([
    ['a trailing comma', '{ "orgs": [], }'],
    ['an unclosed array', '{ "orgs": ['],
    ['an empty file', ''],
    ['a comment', '// world\n{}'],
  ])('throws a WorldError "is not valid JSON" for %s', (_name, text) => {
    const path = write('bad-json.json', text);
    let thrown: unknown;
    try {
      loadWorldFile(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WorldError);
    const error = thrown as WorldError;
    expect(error.message.startsWith(`${path} is not valid JSON: `)).toBe(true);
    expect(error.issues).toEqual([{ path: '(the world)', message: 'not valid JSON' }]);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('names the file in the message of an invalid world', () => {
    const w = asFile();
    w.apps[0].policy = 'all';
    const path = write('invalid/world.json', JSON.stringify(w));
    let thrown: unknown;
    try {
      loadWorldFile(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WorldError);
    expect((thrown as WorldError).message.startsWith(`${path} is not a valid world (1 problem):\n  apps[0].policy: `)).toBe(true);
  });

  it('reads a certificate path relative to the world file, not the working directory', () => {
    const path = write('rel/world.json', JSON.stringify(worldWithCertificates('certs/app.pem', '../shared/other.pem', pem())));
    write('rel/certs/app.pem', pem());
    write('shared/other.pem', `${pem()}\n`);
    expect(process.cwd()).not.toBe(join(dir, 'rel'));
    const world = loadWorldFile(path);
    expect(world.apps[0]?.certificates).toEqual([pem(), `${pem()}\n`, pem()]);
    // The other apps keep their inline PEM.
    expect(world.apps[1]?.certificates).toEqual([pem()]);
    // The same world loads through a path relative to the working directory.
    expect(loadWorldFile(relative(process.cwd(), path)).apps[0]?.certificates).toEqual([pem(), `${pem()}\n`, pem()]);
  });

  it.each([
    ['a missing certificate file', 0, ['certs/missing.pem'], 'certs/missing.pem', 'ENOENT'],
    ['a directory given as the certificate', 1, [pem(), 'certs'], 'certs', 'it is a directory, not a regular file'],
    ['a device given as the certificate', 1, [pem(), '/dev/zero'], '/dev/zero', 'it is a character device, not a regular file'],
    ['a link to a certificate over 1 MiB', 0, ['certs/huge.pem'], 'certs/huge.pem', 'it is 1048577 bytes, more than the 1 MiB sfjwt reads from such a file'],
  ])('throws a WorldError naming the certificate for %s', (_name, j, certificates, cert, reason) => {
    write('huge.pem', 'x'.repeat(1024 * 1024 + 1));
    rmSync(join(dir, 'unreadable', 'certs', 'huge.pem'), { force: true });
    mkdirSync(join(dir, 'unreadable', 'certs'), { recursive: true });
    symlinkSync(join(dir, 'huge.pem'), join(dir, 'unreadable', 'certs', 'huge.pem'));
    const path = write('unreadable/world.json', JSON.stringify(worldWithCertificates(...certificates)));
    mkdirSync(join(dir, 'unreadable', 'certs'), { recursive: true });
    let thrown: unknown;
    try {
      loadWorldFile(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WorldError);
    const error = thrown as WorldError;
    expect(error.issues).toEqual([{ path: `apps[0].certificates[${j}]`, message: `cannot read ${cert}: ${reason}` }]);
    expect(error.message).toBe(`${path}: apps[0].certificates[${j}]: cannot read the certificate file ${cert}: ${reason}`);
    expect(error.actions).toEqual([CERTIFICATE_ACTION]);
  });

  it.each([
    ['a corrupt PEM certificate', () => corruptPem(), 'a corrupt PEM certificate: the text between its BEGIN and END lines is not an X.509 certificate (cut short, or changed when copied?)'],
    [
      'a private key',
      () => testKeys().privateKeyPem,
      'a PEM "PRIVATE KEY" block, not a certificate: give the certificate uploaded to the app (-----BEGIN CERTIFICATE-----); a private key belongs with the client, never in a world file',
    ],
    ['text that is not PEM', () => 'MIIB...', 'not a PEM certificate: expected the text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----'],
  ])('throws a WorldError naming the world file, the field and the certificate file for %s', (_name, text, problem) => {
    write('bad-cert/certs/app.pem', text());
    const path = write('bad-cert/world.json', JSON.stringify(worldWithCertificates(pem(), 'certs/app.pem')));
    let thrown: unknown;
    try {
      loadWorldFile(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WorldError);
    const error = thrown as WorldError;
    expect(error.message).toBe(`${path}: apps[0].certificates[1]: the certificate file certs/app.pem holds ${problem}`);
    expect(error.issues).toEqual([{ path: 'apps[0].certificates[1]', message: `the file certs/app.pem holds ${problem}` }]);
    expect(error.actions).toEqual([CERTIFICATE_ACTION]);
    expect(error.message).not.toContain('PRIVATE KEY-----');
    expect(error.message).not.toContain(testKeys().privateKeyPem.split('\n')[1]);
  });

  it('names the world file and every certificate that cannot be used, at once', () => {
    write('two-bad/certs/key.pem', testKeys().privateKeyPem);
    const w = asFile();
    w.apps[0].certificates = ['certs/missing.pem'];
    w.apps[2].certificates = [pem(), 'certs/key.pem'];
    const path = write('two-bad/world.json', JSON.stringify(w));
    let thrown: unknown;
    try {
      loadWorldFile(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WorldError);
    const error = thrown as WorldError;
    expect(error.issues.map((i) => i.path)).toEqual(['apps[0].certificates[0]', 'apps[2].certificates[1]']);
    expect(error.message).toBe(
      `${path} is not a valid world (2 problems):\n  apps[0].certificates[0]: cannot read certs/missing.pem: ENOENT\n  apps[2].certificates[1]: the file certs/key.pem holds a PEM "PRIVATE KEY" block, not a certificate: give the certificate uploaded to the app (-----BEGIN CERTIFICATE-----); a private key belongs with the client, never in a world file`,
    );
  });

  it('names the world file and the field of a corrupt certificate given as PEM text', () => {
    const path = write('inline-bad/world.json', JSON.stringify(worldWithCertificates(corruptPem())));
    expect(() => loadWorldFile(path)).toThrow(
      `${path} is not a valid world (1 problem):\n  apps[0].certificates[0]: a corrupt PEM certificate: the text between its BEGIN and END lines is not an X.509 certificate (cut short, or changed when copied?)`,
    );
  });

  it('names the app index of an unreadable certificate on a later app', () => {
    const w = asFile();
    w.apps[2].certificates = [pem(), pem(), 'nope.pem'];
    const path = write('later/world.json', JSON.stringify(w));
    let thrown: unknown;
    try {
      loadWorldFile(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WorldError);
    expect((thrown as WorldError).issues).toEqual([{ path: 'apps[2].certificates[2]', message: 'cannot read nope.pem: ENOENT' }]);
  });

  it('loads a world file that starts with a UTF-8 byte order mark', () => {
    const path = write('bom/world.json', `\uFEFF${JSON.stringify(fresh())}`);
    expect(loadWorldFile(path)).toStrictEqual(fresh());
  });
});

describe("validateWorld: zod's own wording never reaches a user", () => {
  it('a missing field, a wrong enum value and a wrong type are worded as what belongs there and what is there', () => {
    const world = asFile();
    delete world.orgs[0].myDomain;
    world.apps[0].policy = 'all';
    world.orgs[0].sessionTimeoutSeconds = 'long';
    const message = worldErrorOf(world).message;
    expect(message).toContain('orgs[0].myDomain: expected a string, got nothing');
    expect(message).toContain('apps[0].policy: expected one of "self-authorize", "admin-approved", got "all"');
    expect(message).toContain('orgs[0].sessionTimeoutSeconds: expected a number, got "long"');
    expect(message).not.toMatch(/Invalid (input|option)|received|Too (big|small)/);
  });
});

describe('secrets in a world file', () => {
  it('a bad consumer secret is never echoed, not even in part', () => {
    const world = JSON.parse(JSON.stringify(defaultWorld({ seed: 42, certificatePem: testKeys().certificatePem }))) as { apps: Record<string, unknown>[] };
    const secret = ['s3cr3t-value-that-must-not-leak', 12345];
    if (world.apps[0] !== undefined) world.apps[0]['consumerSecret'] = secret[1];
    if (world.apps[1] !== undefined) world.apps[1]['consumerSecret'] = '';
    let message = '';
    try {
      validateWorld(world, 'w.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('apps[0].consumerSecret: expected a string, got a number (not shown: a secret)');
    expect(message).toContain('apps[1].consumerSecret: expected a non-empty string, got a 0-character string (not shown: a secret)');
    expect(message).not.toContain('12345');
  });
});

describe('worldWarnings: valid, but almost surely not meant', () => {
  const warningsOf = (mutate: (w: WorldJson) => void): WorldIssue[] => {
    const input = asFile();
    mutate(input);
    return worldWarnings(validateWorld(input));
  };

  it('finds nothing in the default world', () => {
    expect(worldWarnings(fresh())).toEqual([]);
  });

  it('warns of an app without a certificate: no JWT bearer login to it can succeed', () => {
    expect(
      warningsOf((w) => {
        w.apps[1].certificates = [];
      }),
    ).toEqual([
      {
        path: 'apps[1].certificates',
        message:
          'the app "Acme Admin-Approved Integration" has no certificate, so no JWT bearer login to it can succeed (a signature is verified with the app\'s certificates); add the PEM certificate of the key that signs the assertions',
      },
    ]);
  });

  it.each([
    ['a typo', 'Integration Usr', '; did you mean "Integration User"?'],
    ['another case', 'integration user', '; did you mean "Integration User"?'],
    ['a typo of a standard profile', 'System Adminstrator', '; did you mean "System Administrator"?'],
    ['a custom profile no user has', 'Finance Operations', ''],
  ])('warns of an app admitting a profile no user has (%s)', (_name, profile, meant) => {
    expect(
      warningsOf((w) => {
        w.apps[2].profiles = [profile];
      }),
    ).toEqual([{ path: 'apps[2].profiles[0]', message: `no user has the profile "${profile}", so it admits no one${meant} (profile names are case-sensitive)` }]);
  });

  it('does not warn of an admitted standard profile no user has', () => {
    expect(
      warningsOf((w) => {
        w.apps[2].profiles = ['Read Only', 'System Administrator'];
      }),
    ).toEqual([]);
  });

  it.each([
    ['a typo of an admitted profile', 'Integration Usr', 'Integration User'],
    ['another case of an admitted profile', 'INTEGRATION USER', 'Integration User'],
    ['a typo of a standard profile', 'Standard Usr', 'Standard User'],
  ])('warns of a user whose profile nothing else names and is %s', (_name, profile, meant) => {
    expect(
      warningsOf((w) => {
        w.users[4].profile = profile;
      }),
    ).toEqual([{ path: 'users[4].profile', message: `no app admits and no other user has the profile "${profile}"; did you mean "${meant}"? (profile names are case-sensitive)` }]);
  });

  it("does not warn of a user's custom profile that is no near miss, or that another user has too", () => {
    expect(
      warningsOf((w) => {
        w.users[2].profile = 'Finance Operations';
        w.users[3].profile = 'Integration Usr';
        w.users[4].profile = 'Integration Usr';
      }),
    ).toEqual([]);
  });

  it('formats warnings for a terminal, naming the file and the field, at most 20', () => {
    const warnings = Array.from({ length: 22 }, (_, i) => ({ path: `apps[${i}].certificates`, message: 'no certificate' }));
    const lines = formatWorldWarnings('w.json', warnings);
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe('sfjwt: warning: w.json: apps[0].certificates: no certificate');
    expect(lines[19]).toBe('sfjwt: warning: w.json: apps[19].certificates: no certificate');
    expect(lines[20]).toBe('sfjwt: warning: w.json: … and 2 more warnings');
    expect(formatWorldWarnings('w.json', [])).toEqual([]);
  });
});
