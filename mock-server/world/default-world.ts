/**
 * The training ground `serve` and `npm start` use: the Acme company with a production org, a
 * sandbox and a locked org, three apps and one user per documented situation. Names of orgs, apps
 * usernames and record Ids are fixed so docs and lessons can name them; people's names, e-mail
 * addresses and consumer keys come from the seed.
 */
import { createHash } from 'node:crypto';
import { consumerKey, consumerSecret, seededFaker } from './generate.ts';
import { makeId } from './salesforce-id.ts';
import type { User, World } from './schema.ts';

export const DEFAULT_SEED = 42;

/** App names of the default world. */
export const DEFAULT_APPS = {
  selfAuthorized: 'Acme Integration',
  adminApproved: 'Acme Admin-Approved Integration',
  externalClientApp: 'Acme External Client App',
} as const;

/** The callback URL of the guide's one-time approval (the sf CLI's): every default app accepts it. */
export const TRAINING_CALLBACK_URL = 'http://localhost:1717/OauthRedirect';

/**
 * A default-world user's password: made from the seed and the username (not from the world's faker,
 * so that adding it changed no other name or Id), with letters and a digit as Salesforce's password
 * policy asks. A training ground's, printed by serve --json; never logged.
 */
export function trainingPassword(seed: number, username: string): string {
  return `Train-${createHash('sha256').update(`${seed}/${username}/password`).digest('base64url').slice(0, 10)}7`;
}

export function defaultWorld(options: { seed?: number; certificatePem: string }): World {
  const seed = options.seed ?? DEFAULT_SEED;
  const faker = seededFaker(seed);
  const instance = '5g';
  const world: World = {
    version: 1,
    seed,
    orgs: [
      {
        name: 'acme',
        id: makeId('00D', instance, 1),
        kind: 'production',
        myDomain: 'acme',
        companyName: 'Acme Corporation',
        status: 'active',
        sessionTimeoutSeconds: 7200,
        sites: [{ name: 'Customers', urlPathPrefix: 'customers', id: makeId('0DB', instance, 1) }],
      },
      {
        name: 'acme-uat',
        id: makeId('00D', instance, 2),
        kind: 'sandbox',
        myDomain: 'acme--uat',
        companyName: 'Acme Corporation',
        status: 'active',
        sessionTimeoutSeconds: 7200,
        sites: [],
      },
      {
        name: 'initech',
        id: makeId('00D', instance, 3),
        kind: 'production',
        myDomain: 'initech',
        companyName: 'Initech',
        status: 'locked',
        sessionTimeoutSeconds: 7200,
        sites: [],
      },
    ],
    apps: [
      {
        name: DEFAULT_APPS.selfAuthorized,
        kind: 'connected-app',
        org: 'acme',
        consumerKey: consumerKey(faker),
        consumerSecret: consumerSecret(faker),
        certificates: [options.certificatePem],
        scopes: ['api', 'web', 'openid', 'id', 'refresh_token'],
        policy: 'self-authorize',
        profiles: [],
        permissionSets: [],
        callbackUrls: [TRAINING_CALLBACK_URL],
        lastModified: '2024-01-01T00:00:00Z',
      },
      {
        name: DEFAULT_APPS.adminApproved,
        kind: 'connected-app',
        org: 'acme',
        consumerKey: consumerKey(faker),
        consumerSecret: consumerSecret(faker),
        certificates: [options.certificatePem],
        scopes: ['api', 'refresh_token'],
        policy: 'admin-approved',
        profiles: ['Integration User', 'System Administrator'],
        permissionSets: ['JWT Integration'],
        callbackUrls: [TRAINING_CALLBACK_URL],
        lastModified: '2024-01-01T00:00:00Z',
      },
      {
        name: DEFAULT_APPS.externalClientApp,
        kind: 'external-client-app',
        org: 'acme',
        installedIn: ['acme'],
        consumerKey: consumerKey(faker),
        consumerSecret: consumerSecret(faker),
        certificates: [options.certificatePem],
        scopes: ['api', 'refresh_token'],
        policy: 'admin-approved',
        profiles: ['Integration User'],
        permissionSets: [],
        callbackUrls: [TRAINING_CALLBACK_URL],
        lastModified: '2024-01-01T00:00:00Z',
      },
    ],
    users: [],
  };
  const allApps = Object.values(DEFAULT_APPS);
  let n = 0;
  const user = (fields: Partial<User> & Pick<User, 'username' | 'org' | 'role' | 'situation'>): User => {
    n += 1;
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    return {
      id: makeId('005', instance, n),
      email: `${firstName}.${lastName}@acme.example.com`.toLowerCase(),
      firstName,
      lastName,
      profile: 'Integration User',
      permissionSets: [],
      active: true,
      frozen: false,
      approvedApps: [...allApps],
      loginIpRanges: [],
      password: trainingPassword(seed, fields.username),
      ...fields,
    };
  };
  world.users = [
    user({ username: 'integration@acme.com', role: 'default', org: 'acme', situation: 'logs in' }),
    user({ username: 'unapproved@acme.com', role: 'unapproved', org: 'acme', approvedApps: [], profile: 'Standard User', situation: 'never approved the app' }),
    user({ username: 'analyst@acme.com', role: 'not-admitted', org: 'acme', profile: 'Standard User', situation: 'profile not admitted by an admin-approved app' }),
    user({ username: 'former.employee@acme.com', role: 'inactive', org: 'acme', active: false, situation: 'inactive' }),
    user({ username: 'frozen@acme.com', role: 'frozen', org: 'acme', frozen: true, situation: 'frozen' }),
    user({ username: 'remote@acme.com', role: 'ip-restricted', org: 'acme', loginIpRanges: [{ start: '203.0.113.0', end: '203.0.113.255' }], situation: 'IP restricted' }),
    user({ username: 'integration@acme.com.uat', role: 'sandbox', org: 'acme-uat', situation: 'sandbox user' }),
    user({ username: 'admin@initech.com', role: 'locked-org', org: 'initech', situation: 'org locked' }),
  ];
  return world;
}
