import { describe, expect, it } from 'vitest';
import { testKeys } from '../testing/fixtures.ts';
import { DEFAULT_APPS, DEFAULT_SEED, defaultWorld } from './default-world.ts';
import { type GenerateOptions, generateWorld } from './generate.ts';
import { isValidId18 } from './salesforce-id.ts';
import type { User, World } from './schema.ts';
import { validateWorld } from './validate-world.ts';
import { WorldIndex } from './world-index.ts';

const pem = () => testKeys().certificatePem;
const world = (seed?: number): World => (seed === undefined ? defaultWorld({ certificatePem: pem() }) : defaultWorld({ seed, certificatePem: pem() }));
const roundTrip = (w: World): unknown => JSON.parse(JSON.stringify(w));

const ALL_APPS = [DEFAULT_APPS.selfAuthorized, DEFAULT_APPS.adminApproved, DEFAULT_APPS.externalClientApp];

describe('defaultWorld', () => {
  it('is the same world, byte for byte, for the same seed', () => {
    expect(world(42)).toStrictEqual(world(42));
    expect(JSON.stringify(world(42))).toBe(JSON.stringify(world(42)));
    expect(JSON.stringify(world(7))).toBe(JSON.stringify(world(7)));
  });

  it('uses seed 42 by default and records the seed', () => {
    expect(DEFAULT_SEED).toBe(42);
    expect(JSON.stringify(world())).toBe(JSON.stringify(world(42)));
    expect(world().seed).toBe(42);
    expect(world(7).seed).toBe(7);
  });

  it.each([[1], [7], [43], [123_456]])('with seed %i has other keys and people but the same usernames and situations as seed 42', (seed) => {
    const a = world(42);
    const b = world(seed);
    // Consumer keys and secrets come from the seed.
    const keysA = a.apps.map((x) => x.consumerKey);
    const keysB = b.apps.map((x) => x.consumerKey);
    for (const [i, key] of keysB.entries()) expect(key).not.toBe(keysA[i]);
    expect(new Set([...keysA, ...keysB]).size).toBe(6);
    for (const [i, app] of b.apps.entries()) expect(app.consumerSecret).not.toBe(a.apps[i]?.consumerSecret);
    // So do people's names and e-mail addresses.
    expect(b.users.map((u) => `${u.firstName} ${u.lastName}`)).not.toEqual(a.users.map((u) => `${u.firstName} ${u.lastName}`));
    expect(b.users.map((u) => u.email)).not.toEqual(a.users.map((u) => u.email));
    // Everything docs and lessons name stays.
    expect(b.users.map((u) => u.username)).toEqual(a.users.map((u) => u.username));
    expect(b.users.map((u) => u.situation)).toEqual(a.users.map((u) => u.situation));
    expect(b.orgs).toStrictEqual(a.orgs);
    expect(b.apps.map((x) => x.name)).toEqual(a.apps.map((x) => x.name));
    // Note: Ids do not depend on the seed (the instance code is fixed), although the header of
    // default-world.ts says they come from it; see the report.
    expect(b.users.map((u) => u.id)).toEqual(a.users.map((u) => u.id));
    // Without the consumer keys, secrets and people, the worlds are identical.
    const strip = (w: World) => ({
      ...w,
      seed: 0,
      apps: w.apps.map(({ consumerKey: _k, consumerSecret: _s, ...rest }) => rest),
      users: w.users.map(({ firstName: _f, lastName: _l, email: _e, password: _p, ...rest }) => rest),
    });
    expect(strip(b)).toStrictEqual(strip(a));
    // Passwords too: each user has one, another with another seed.
    for (const [i, u] of b.users.entries()) expect([typeof u.password, u.password === a.users[i]?.password]).toEqual(['string', false]);
  });

  it('gives every org, site and user a valid 18-character Id with the right key prefix, all distinct', () => {
    const w = world();
    const ids: [string, string][] = [
      ...w.orgs.map((o): [string, string] => ['00D', o.id]),
      ...w.orgs.flatMap((o) => o.sites.map((s): [string, string] => ['0DB', s.id])),
      ...w.users.map((u): [string, string] => ['005', u.id]),
    ];
    expect(ids).toHaveLength(3 + 1 + 8);
    for (const [prefix, id] of ids) {
      expect(id).toHaveLength(18);
      expect(isValidId18(id), id).toBe(true);
      expect(id.startsWith(prefix), id).toBe(true);
    }
    expect(new Set(ids.map(([, id]) => id.toLowerCase())).size).toBe(ids.length);
  });

  it.each([[42], [0], [1], [99], [2 ** 31 - 1]])('with seed %i passes validateWorld unchanged', (seed) => {
    const w = world(seed);
    expect(validateWorld(roundTrip(w))).toStrictEqual(w);
    expect(() => new WorldIndex(w)).not.toThrow();
  });

  it('has three orgs: acme (production), acme-uat (sandbox) and initech (locked)', () => {
    const w = world();
    expect(w.orgs.map((o) => [o.name, o.kind, o.myDomain, o.status])).toEqual([
      ['acme', 'production', 'acme', 'active'],
      ['acme-uat', 'sandbox', 'acme--uat', 'active'],
      ['initech', 'production', 'initech', 'locked'],
    ]);
    expect(w.orgs[0]?.sites.map((s) => s.urlPathPrefix)).toEqual(['customers']);
  });

  it('has the three documented apps with their policies, all in acme and each with the certificate', () => {
    const w = world();
    expect(w.apps.map((a) => [a.name, a.kind, a.policy, a.org])).toEqual([
      [DEFAULT_APPS.selfAuthorized, 'connected-app', 'self-authorize', 'acme'],
      [DEFAULT_APPS.adminApproved, 'connected-app', 'admin-approved', 'acme'],
      [DEFAULT_APPS.externalClientApp, 'external-client-app', 'admin-approved', 'acme'],
    ]);
    for (const app of w.apps) {
      expect(app.certificates).toEqual([pem()]);
      expect(app.consumerKey).toMatch(/^3MVG9[A-Za-z0-9._]{80}$/);
      expect(app.consumerSecret).toMatch(/^[1-9]\d{63}$/);
    }
    expect(w.apps.find((a) => a.name === DEFAULT_APPS.adminApproved)?.profiles).toEqual(['Integration User', 'System Administrator']);
  });

  it('does not install the External Client App in the sandbox', () => {
    const w = world();
    const eca = w.apps.filter((a) => a.kind === 'external-client-app');
    expect(eca).toHaveLength(1);
    expect(eca[0]?.installedIn).toEqual(['acme']);
    expect(eca[0]?.installedIn).not.toContain('acme-uat');
    // Connected apps are not installed per org.
    for (const app of w.apps.filter((a) => a.kind === 'connected-app')) expect(app.installedIn).toBeUndefined();
  });

  const situations: [situation: string, username: string, org: string, check: (u: User, w: World) => void][] = [
    [
      'logs in',
      'integration@acme.com',
      'acme',
      (u) => {
        expect(u).toMatchObject({ active: true, frozen: false, profile: 'Integration User', approvedApps: ALL_APPS, loginIpRanges: [] });
        expect(u.loginHours).toBeUndefined();
      },
    ],
    [
      'never approved the app',
      'unapproved@acme.com',
      'acme',
      (u) => {
        expect(u).toMatchObject({ active: true, frozen: false, approvedApps: [], profile: 'Standard User' });
      },
    ],
    [
      'profile not admitted by an admin-approved app',
      'analyst@acme.com',
      'acme',
      (u, w) => {
        expect(u).toMatchObject({ active: true, frozen: false, profile: 'Standard User', approvedApps: ALL_APPS, permissionSets: [] });
        for (const app of w.apps.filter((a) => a.policy === 'admin-approved')) expect(app.profiles).not.toContain(u.profile);
      },
    ],
    [
      'inactive',
      'former.employee@acme.com',
      'acme',
      (u) => {
        expect(u).toMatchObject({ active: false, frozen: false, approvedApps: ALL_APPS });
      },
    ],
    [
      'frozen',
      'frozen@acme.com',
      'acme',
      (u) => {
        expect(u).toMatchObject({ active: true, frozen: true, approvedApps: ALL_APPS });
      },
    ],
    [
      'IP restricted',
      'remote@acme.com',
      'acme',
      (u) => {
        expect(u).toMatchObject({ active: true, frozen: false, loginIpRanges: [{ start: '203.0.113.0', end: '203.0.113.255' }] });
      },
    ],
    [
      'sandbox user',
      'integration@acme.com.uat',
      'acme-uat',
      (u, w) => {
        expect(u.username.endsWith('.uat')).toBe(true);
        expect(w.orgs.find((o) => o.name === u.org)?.kind).toBe('sandbox');
        expect(u).toMatchObject({ active: true, frozen: false, approvedApps: ALL_APPS });
      },
    ],
    [
      'org locked',
      'admin@initech.com',
      'initech',
      (u, w) => {
        expect(w.orgs.find((o) => o.name === u.org)?.status).toBe('locked');
        expect(u).toMatchObject({ active: true, frozen: false });
      },
    ],
  ];

  it('has exactly one user per documented situation, and no other users', () => {
    const w = world();
    expect(w.users.map((u) => u.situation)).toEqual(situations.map(([s]) => s));
  });

  it.each(situations)('has exactly one user who shows "%s": %s in %s', (situation, username, org, check) => {
    const w = world();
    const users = w.users.filter((u) => u.situation === situation);
    expect(users).toHaveLength(1);
    const user = users[0] as User;
    expect(user.username).toBe(username);
    expect(user.org).toBe(org);
    expect(user.email).toMatch(/^[a-z'-]+\.[a-z'-]+@acme\.example\.com$/);
    check(user, w);
  });

  it('has the only sandbox user in the sandbox org, and every other user in a production org', () => {
    const w = world();
    const kinds = new Map(w.orgs.map((o) => [o.name, o.kind]));
    expect(w.users.filter((u) => kinds.get(u.org) === 'sandbox').map((u) => u.username)).toEqual(['integration@acme.com.uat']);
    expect(w.users.filter((u) => u.username.endsWith('.uat')).map((u) => u.org)).toEqual(['acme-uat']);
  });

  it('gives every app and every user arrays of its own', () => {
    const w = world();
    expect(w.apps).toHaveLength(3);
    const [a0, a1, a2] = w.apps;
    expect(a0?.certificates).not.toBe(a1?.certificates);
    expect(a1?.certificates).not.toBe(a2?.certificates);
    const approving = w.users.filter((u) => u.approvedApps.length > 0);
    expect(new Set(approving.map((u) => u.approvedApps)).size).toBe(approving.length);
  });
});

describe('generateWorld', () => {
  const generate = (options: Partial<GenerateOptions> = {}): World => generateWorld({ seed: 1, certificatePem: pem(), ...options });

  it('is the same world, byte for byte, for the same seed', () => {
    const options = { seed: 5, orgs: 3, usersPerOrg: 7, apps: 2 };
    expect(generate(options)).toStrictEqual(generate(options));
    expect(JSON.stringify(generate(options))).toBe(JSON.stringify(generate(options)));
  });

  it('is another world for another seed', () => {
    const a = generate({ seed: 1, orgs: 2, usersPerOrg: 5, apps: 2 });
    const b = generate({ seed: 2, orgs: 2, usersPerOrg: 5, apps: 2 });
    expect(b.seed).toBe(2);
    expect(b.apps.map((x) => x.consumerKey)).not.toEqual(a.apps.map((x) => x.consumerKey));
    expect(b.users.map((u) => u.username)).not.toEqual(a.users.map((u) => u.username));
  });

  it('defaults to 1 org, 10 users and 1 app', () => {
    const w = generateWorld({ seed: 3, certificatePem: pem() });
    expect(w.orgs).toHaveLength(1);
    expect(w.users).toHaveLength(10);
    expect(w.apps).toHaveLength(1);
    expect(w.seed).toBe(3);
    expect(w.version).toBe(1);
  });

  it.each([
    { seed: 1, orgs: 1, usersPerOrg: 1, apps: 1 },
    { seed: 2, orgs: 3, usersPerOrg: 4, apps: 2 },
    { seed: 3, orgs: 5, usersPerOrg: 0, apps: 3 },
    { seed: 4, orgs: 2, usersPerOrg: 25, apps: 0 },
    { seed: 5, orgs: 20, usersPerOrg: 50, apps: 5 },
  ])('respects the sizes of $orgs orgs x $usersPerOrg users and $apps apps, and validates', (options) => {
    const w = generate(options);
    expect(w.orgs).toHaveLength(options.orgs);
    expect(w.apps).toHaveLength(options.apps);
    expect(w.users).toHaveLength(options.orgs * options.usersPerOrg);
    for (const org of w.orgs) expect(w.users.filter((u) => u.org === org.name)).toHaveLength(options.usersPerOrg);

    // Unique usernames (case-insensitively, as Salesforce compares them), Ids, org names, consumer keys.
    expect(new Set(w.users.map((u) => u.username.toLowerCase())).size).toBe(w.users.length);
    expect(new Set(w.users.map((u) => u.id)).size).toBe(w.users.length);
    expect(new Set(w.orgs.map((o) => o.name)).size).toBe(w.orgs.length);
    expect(new Set(w.orgs.map((o) => o.myDomain)).size).toBe(w.orgs.length);
    expect(new Set(w.apps.map((a) => a.consumerKey)).size).toBe(w.apps.length);

    for (const org of w.orgs) {
      expect(org.kind).toBe('production');
      expect(isValidId18(org.id) && org.id.startsWith('00D')).toBe(true);
    }
    for (const user of w.users) {
      expect(isValidId18(user.id) && user.id.startsWith('005')).toBe(true);
      expect(user.approvedApps).toEqual(w.apps.map((a) => a.name));
      const org = w.orgs.find((o) => o.name === user.org);
      expect(user.username.endsWith(`@${org?.myDomain}.example.com`)).toBe(true);
    }
    expect(w.apps.map((a) => a.name)).toEqual(Array.from({ length: options.apps }, (_, i) => `App ${i + 1}`));
    for (const app of w.apps) {
      expect(app.org).toBe(w.orgs[0]?.name);
      expect(app.certificates).toEqual([pem()]);
      expect(app.consumerKey).toMatch(/^3MVG9[A-Za-z0-9._]{80}$/);
    }

    expect(validateWorld(roundTrip(w))).toStrictEqual(w);
    expect(() => new WorldIndex(w)).not.toThrow();
  });

  it.each([[0], [17], [2024], [999_999]])('with seed %i makes a world that validates', (seed) => {
    const w = generate({ seed, orgs: 4, usersPerOrg: 30, apps: 2 });
    expect(validateWorld(roundTrip(w))).toStrictEqual(w);
  });
});
