import { beforeAll, describe, expect, it } from 'vitest';
import { KeyMaterialError, WorldError } from '../../lib/errors.ts';
import { generateRsaKeyPair, issueCertificate } from '../../lib/pki/generate.ts';
import { testKeys } from '../testing/fixtures.ts';
import { DEFAULT_APPS, defaultWorld } from './default-world.ts';
import { makeId, to18 } from './salesforce-id.ts';
import type { App, World } from './schema.ts';
import { validateWorld } from './validate-world.ts';
import { WorldIndex } from './world-index.ts';

const pem = () => testKeys().certificatePem;
/** The default world as a file would give it: no shared arrays between apps or users. */
const fileWorld = (): World => validateWorld(JSON.parse(JSON.stringify(defaultWorld({ seed: 42, certificatePem: pem() }))));
const indexOf = (world: World = fileWorld()) => new WorldIndex(world);
const appOf = (index: WorldIndex, name: string = DEFAULT_APPS.selfAuthorized): App => {
  const app = index.app(name);
  if (app === undefined) throw new Error(`no app ${name}`);
  return app;
};

let secondPem: string;
let privateKeyPem: string;
beforeAll(() => {
  const pair = generateRsaKeyPair(2048);
  privateKeyPem = pair.privateKeyPem;
  secondPem = issueCertificate(pair, { subject: [{ shortName: 'CN', value: 'second cert' }], notBefore: new Date('2026-01-01T00:00:00Z') });
});

describe('WorldIndex lookups', () => {
  it('serves the world it was given', () => {
    const world = fileWorld();
    expect(new WorldIndex(world).world).toEqual(world);
  });

  it('hands out the same object for a user however it is found, and the world lists that object', () => {
    const index = indexOf();
    const user = index.userByUsername('integration@acme.com');
    expect(user).toBeDefined();
    expect(index.userByUsername('INTEGRATION@acme.com')).toBe(user);
    expect(index.userById(user?.id ?? '')).toBe(user);
    expect(index.usersByEmailAddress(user?.email ?? '')[0]).toBe(user);
    expect(index.world.users.find((u) => u.username === 'integration@acme.com')).toBe(user);
  });

  it.each([
    ['integration@acme.com', 'integration@acme.com'],
    ['INTEGRATION@ACME.COM', 'integration@acme.com'],
    ['Integration@Acme.Com', 'integration@acme.com'],
    ['integration@acme.com.uat', 'integration@acme.com.uat'],
    ['INTEGRATION@ACME.COM.UAT', 'integration@acme.com.uat'],
    ['Former.Employee@ACME.com', 'former.employee@acme.com'],
    ['admin@INITECH.com', 'admin@initech.com'],
  ])('finds the user %s case-insensitively', (query, username) => {
    const index = indexOf();
    const user = index.userByUsername(query);
    expect(user?.username).toBe(username);
    expect(user).toBe(index.world.users.find((u) => u.username === username));
  });

  it('finds a user whose username has upper-case letters in the world by any case', () => {
    const world = fileWorld();
    const user = world.users[2];
    if (user === undefined) throw new Error('no user');
    user.username = 'Analyst@Acme.COM';
    const index = indexOf(world);
    expect(index.userByUsername('analyst@acme.com')).toEqual(user);
    expect(index.userByUsername('ANALYST@ACME.COM')).toBe(index.userByUsername('analyst@acme.com'));
  });

  it.each([['nobody@acme.com'], [' integration@acme.com'], ['integration@acme.com '], ['integration@acme'], ['integration@acme.com.ua'], ['']])('finds no user for %j', (query) => {
    expect(indexOf().userByUsername(query)).toBeUndefined();
  });

  it('finds every user by its 18- and 15-character Id', () => {
    const index = indexOf();
    for (const { username, id } of index.world.users) {
      const user = index.userByUsername(username);
      expect(user?.id).toBe(id);
      expect(index.userById(id)).toBe(user);
      expect(index.userById(id.slice(0, 15))).toBe(user);
    }
  });

  it('finds a user whose Id has upper-case letters by both forms', () => {
    const world = fileWorld();
    const user = world.users[1];
    if (user === undefined) throw new Error('no user');
    user.id = to18('005Ab00000XyZ12');
    const index = indexOf(world);
    expect(index.userById('005Ab00000XyZ12')).toEqual(user);
    expect(index.userById(user.id)).toBe(index.userById('005Ab00000XyZ12'));
    // A 15-character Id is case-sensitive.
    expect(index.userById('005ab00000xyz12')).toBeUndefined();
  });

  it.each([
    ['a 16-character Id', (id: string) => id.slice(0, 16)],
    ['a 17-character Id', (id: string) => id.slice(0, 17)],
    ['a 14-character Id', (id: string) => id.slice(0, 14)],
    ['a 19-character Id', (id: string) => `${id}A`],
    ['an empty Id', () => ''],
    ['an unknown Id', () => makeId('005', '5g', 500)],
    ['an unknown 15-character Id', () => makeId('005', '5g', 500).slice(0, 15)],
  ])('finds no user for %s', (_name, idOf) => {
    const index = indexOf();
    const first = index.userByUsername(index.world.users[0]?.username ?? '');
    // An 18-character user Id to cut, lengthen or replace (and its user is found by it as it is).
    expect(first?.id).toMatch(/^005[A-Za-z0-9]{15}$/);
    expect(index.userById(first?.id ?? '')).toBe(first);
    expect(index.userById(idOf(first?.id ?? ''))).toBeUndefined();
  });

  it('finds orgs by name and by 15- or 18-character Id', () => {
    const index = indexOf();
    for (const org of index.world.orgs) {
      expect(index.org(org.name)).toBe(org);
      expect(index.orgById(org.id)).toBe(org);
      expect(index.orgById(org.id.slice(0, 15))).toBe(org);
    }
    expect(index.org('globex')).toBeUndefined();
    expect(index.orgById(makeId('00D', '5g', 99))).toBeUndefined();
  });

  it('finds apps by name and by consumer key, case-sensitively', () => {
    const index = indexOf();
    for (const app of index.world.apps) {
      expect(index.app(app.name)).toBe(app);
      expect(index.appByConsumerKey(app.consumerKey)).toBe(app);
      expect(index.appByConsumerKey(app.consumerKey.toLowerCase())).toBeUndefined();
      expect(index.appByConsumerKey(app.consumerKey.slice(0, -1))).toBeUndefined();
    }
    expect(index.app('acme integration')).toBeUndefined();
    expect(index.appByConsumerKey('')).toBeUndefined();
  });

  it('finds users by e-mail address, case-insensitively, in world order', () => {
    const world = fileWorld();
    const [u0, u1, u2] = world.users;
    if (u0 === undefined || u1 === undefined || u2 === undefined) throw new Error('missing users');
    u2.email = 'Shared.Inbox@Acme.Example.com';
    u0.email = 'shared.inbox@acme.example.com';
    const index = indexOf(world);
    expect(index.usersByEmailAddress('shared.inbox@acme.example.com')).toEqual([u0, u2]);
    expect(index.usersByEmailAddress('SHARED.INBOX@ACME.EXAMPLE.COM')[0]).toBe(index.userById(u0.id));
    expect(index.usersByEmailAddress('SHARED.INBOX@ACME.EXAMPLE.COM')[1]).toBe(index.userById(u2.id));
    expect(index.usersByEmailAddress(u1.email.toUpperCase())).toEqual([u1]);
    expect(index.usersByEmailAddress(u1.email.toUpperCase())[0]).toBe(index.userById(u1.id));
    expect(index.usersByEmailAddress('nobody@acme.example.com')).toEqual([]);
    expect(index.usersByEmailAddress('')).toEqual([]);
  });

  it('finds each default user by its own e-mail address', () => {
    const index = indexOf();
    for (const user of index.world.users) expect(index.usersByEmailAddress(user.email)).toEqual([user]);
  });
});

describe('WorldIndex hosts', () => {
  it("lists login and test first, then each org's hosts in world order", () => {
    expect(indexOf().hosts).toEqual([
      { name: 'login.salesforce.com', kind: 'login' },
      { name: 'test.salesforce.com', kind: 'test' },
      { name: 'acme.my.salesforce.com', kind: 'my-domain', org: 'acme' },
      { name: 'acme.my.site.com', kind: 'site', org: 'acme' },
      { name: 'acme.lightning.force.com', kind: 'lightning', org: 'acme' },
      { name: 'acme--uat.sandbox.my.salesforce.com', kind: 'my-domain', org: 'acme-uat' },
      { name: 'acme--uat.sandbox.lightning.force.com', kind: 'lightning', org: 'acme-uat' },
      { name: 'initech.my.salesforce.com', kind: 'my-domain', org: 'initech' },
      { name: 'initech.lightning.force.com', kind: 'lightning', org: 'initech' },
    ]);
  });

  it.each([
    ['login.salesforce.com', 'login', undefined],
    ['test.salesforce.com', 'test', undefined],
    ['acme.my.salesforce.com', 'my-domain', 'acme'],
    ['acme--uat.sandbox.my.salesforce.com', 'my-domain', 'acme-uat'],
    ['acme.my.site.com', 'site', 'acme'],
    ['acme.lightning.force.com', 'lightning', 'acme'],
    ['LOGIN.Salesforce.COM', 'login', undefined],
    ['Acme--UAT.sandbox.my.salesforce.com', 'my-domain', 'acme-uat'],
  ])('host(%s) is a %s host of org %s', (name, kind, org) => {
    const host = indexOf().host(name);
    expect(host?.name).toBe(name.toLowerCase());
    expect(host?.kind).toBe(kind);
    expect(host?.org).toBe(org);
  });

  it.each([['acme--uat.my.salesforce.com'], ['acme--uat.sandbox.my.site.com'], ['acme.salesforce.com'], ['globex.my.salesforce.com'], ['initech.my.site.com'], ['']])('has no host %j', (name) => {
    expect(indexOf().host(name)).toBeUndefined();
  });
});

describe('WorldIndex certificates', () => {
  const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

  it("parses each app's certificates once", () => {
    const index = indexOf();
    for (const app of index.world.apps) {
      const certs = index.certificates(app);
      expect(certs).toHaveLength(1);
      expect(certs[0]?.pem).toBe(pem());
      expect(certs[0]?.sha256).toMatch(FINGERPRINT);
      expect(certs[0]?.subject).toBe('CN=sfjwt test');
      expect(index.certificates(app)).toBe(certs);
    }
  });

  it('has no certificates for an app that is not in the world', () => {
    const index = indexOf();
    expect(index.certificates({ ...appOf(index), name: 'Somebody Else' })).toEqual([]);
  });

  it('adds an uploaded certificate to that app only', () => {
    const index = indexOf();
    const app = appOf(index);
    const first = index.certificates(app)[0];
    expect(first?.sha256).toMatch(FINGERPRINT);
    const info = index.uploadCertificate(app, secondPem);
    expect(info.sha256).toMatch(FINGERPRINT);
    expect(info.sha256).not.toBe(first?.sha256);
    expect(info.subject).toBe('CN=second cert');
    expect(index.certificates(app).map((c) => c.sha256)).toEqual([first?.sha256, info.sha256]);
    expect(app.certificates).toEqual([pem(), secondPem]);
    for (const other of index.world.apps.filter((a) => a !== app)) {
      expect(index.certificates(other).map((c) => c.pem)).toEqual([pem()]);
      expect(other.certificates).toEqual([pem()]);
    }
  });

  it('rejects an upload that is not a certificate and changes nothing', () => {
    const index = indexOf();
    const app = appOf(index);
    expect(() => index.uploadCertificate(app, privateKeyPem)).toThrow(KeyMaterialError);
    expect(() => index.uploadCertificate(app, privateKeyPem)).toThrow('the uploaded certificate is not an X.509 certificate (it is a PEM "PRIVATE KEY" block)');
    expect(() => index.uploadCertificate(app, 'garbage')).toThrow('the uploaded certificate is not an X.509 certificate');
    expect(index.certificates(app)).toHaveLength(1);
    expect(app.certificates).toEqual([pem()]);
  });

  const variants: [string, (sha: string) => string][] = [
    ['as printed (upper case, colons)', (s) => s],
    ['lower case with colons', (s) => s.toLowerCase()],
    ['upper case without colons', (s) => s.replace(/:/g, '')],
    ['lower case without colons', (s) => s.replace(/:/g, '').toLowerCase()],
    ['mixed case without colons', (s) => [...s.replace(/:/g, '')].map((c, i) => (i % 2 === 0 ? c.toLowerCase() : c)).join('')],
  ];

  it.each(variants)('removes a certificate by its fingerprint %s', (_name, spell) => {
    const index = indexOf();
    const app = appOf(index);
    const original = index.certificates(app)[0];
    const uploaded = index.uploadCertificate(app, secondPem);
    expect(index.removeCertificate(app, spell(uploaded.sha256))).toBe(true);
    expect(index.certificates(app).map((c) => c.sha256)).toEqual([original?.sha256]);
    expect(app.certificates).toEqual([pem()]);
    // Gone: a second removal finds nothing.
    expect(index.removeCertificate(app, spell(uploaded.sha256))).toBe(false);
    // And the original goes the same way, leaving none.
    expect(index.removeCertificate(app, spell(original?.sha256 ?? ''))).toBe(true);
    expect(index.certificates(app)).toEqual([]);
    expect(app.certificates).toEqual([]);
    // Other apps keep theirs.
    for (const other of index.world.apps.filter((a) => a !== app)) expect(index.certificates(other)).toHaveLength(1);
  });

  it.each([
    ['an unknown fingerprint', () => `${'AB:'.repeat(31)}AB`],
    ['a prefix of the fingerprint', (s: string) => s.slice(0, 20)],
    ['the fingerprint with spaces', (s: string) => s.replace(/:/g, ' ')],
    ['an empty string', () => ''],
  ])('removes nothing for %s', (_name, spell) => {
    const index = indexOf();
    const app = appOf(index);
    const sha = index.certificates(app)[0]?.sha256 ?? '';
    expect(index.removeCertificate(app, spell(sha))).toBe(false);
    expect(index.certificates(app)).toHaveLength(1);
    expect(app.certificates).toEqual([pem()]);
  });

  it('can upload again after a removal', () => {
    const index = indexOf();
    const app = appOf(index, DEFAULT_APPS.externalClientApp);
    const sha = index.certificates(app)[0]?.sha256 ?? '';
    expect(index.removeCertificate(app, sha)).toBe(true);
    const info = index.uploadCertificate(app, secondPem);
    expect(index.certificates(app).map((c) => c.sha256)).toEqual([info.sha256]);
    expect(app.certificates).toEqual([secondPem]);
  });

  it('uploading to one app of defaultWorld (not round-tripped through JSON) leaves the other apps alone', () => {
    const index = new WorldIndex(structuredClone(defaultWorld({ seed: 42, certificatePem: pem() })));
    const app = appOf(index);
    index.uploadCertificate(app, secondPem);
    for (const other of index.world.apps.filter((a) => a !== app)) {
      expect(other.certificates).toEqual(index.certificates(other).map((c) => c.pem));
      expect(other.certificates).toEqual([pem()]);
    }
  });
});

describe('WorldIndex with an invalid certificate', () => {
  const worldWith = (appIndex: number, certificates: string[]): World => {
    const world = fileWorld();
    const app = world.apps[appIndex];
    if (app === undefined) throw new Error('no app');
    app.certificates = certificates;
    return world;
  };

  it.each([
    ['text that is not PEM', 0, () => ['not a certificate'], 'apps[0].certificates[0] is not an X.509 certificate'],
    ['garbage after a good certificate', 1, () => [pem(), 'garbage'], 'apps[1].certificates[1] is not an X.509 certificate'],
    ['a private key', 2, () => [pem(), pem(), privateKeyPem], 'apps[2].certificates[2] is not an X.509 certificate (it is a PEM "PRIVATE KEY" block)'],
    ['a certificate with a corrupted body', 0, () => [pem().replace('MII', 'AAA')], 'apps[0].certificates[0] is not an X.509 certificate (it is a PEM "CERTIFICATE" block)'],
  ])('throws a WorldError naming the certificate for %s', (_name, appIndex, certificates, message) => {
    let thrown: unknown;
    try {
      new WorldIndex(worldWith(appIndex, certificates()));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WorldError);
    const error = thrown as WorldError;
    const j = certificates().length - 1;
    expect(error.issues).toEqual([{ path: `apps[${appIndex}].certificates[${j}]`, message }]);
    expect(error.message).toBe(`the world is not valid: ${message}`);
    expect(error.code).toBe('ERR_WORLD');
    expect(error.cause).toBeInstanceOf(KeyMaterialError);
    expect(error.actions).toEqual(['Give the PEM certificate uploaded to the connected app (-----BEGIN CERTIFICATE-----).']);
  });

  it('accepts an app without certificates', () => {
    const index = new WorldIndex(worldWith(1, []));
    expect(index.certificates(appOf(index, DEFAULT_APPS.adminApproved))).toEqual([]);
  });
});

describe('WorldIndex and the pristine world', () => {
  it('never changes the world it was given, whatever is changed through it', () => {
    const world = fileWorld();
    const before = structuredClone(world);
    const index = new WorldIndex(world);
    const user = index.userByUsername('integration@acme.com') ?? expect.fail('no user');
    user.frozen = true;
    user.approvedApps.push('Acme Mobile');
    const org = index.org('acme') ?? expect.fail('no org');
    org.status = 'locked';
    const app = appOf(index);
    app.lastModified = '2026-03-01T12:00:00.000Z';
    index.uploadCertificate(app, secondPem);
    expect(index.world.users.find((u) => u.username === 'integration@acme.com')?.frozen).toBe(true);
    expect(world).toEqual(before);
  });

  it('fresh() is the world before any change, sharing the parsed certificates', () => {
    const index = indexOf();
    const pristine = structuredClone(index.world);
    const app = appOf(index);
    const certs = index.certificates(app);
    const user = index.userByUsername('integration@acme.com') ?? expect.fail('no user');
    user.active = false;
    user.profile = 'Read Only';
    (index.org('acme') ?? expect.fail('no org')).status = 'locked';
    index.uploadCertificate(app, secondPem);
    index.removeCertificate(appOf(index, DEFAULT_APPS.externalClientApp), index.certificates(appOf(index, DEFAULT_APPS.externalClientApp))[0]?.sha256 ?? '');
    expect(index.world).not.toEqual(pristine);
    const fresh = index.fresh();
    expect(fresh.world).toEqual(pristine);
    expect(fresh.userByUsername('integration@acme.com')).toMatchObject({ active: true, profile: pristine.users.find((u) => u.username === 'integration@acme.com')?.profile });
    expect(fresh.userByUsername('integration@acme.com')).not.toBe(user);
    expect(fresh.org('acme')?.status).toBe('active');
    expect(fresh.certificates(appOf(fresh))).toBe(certs);
    expect(fresh.certificates(appOf(fresh, DEFAULT_APPS.externalClientApp))).toHaveLength(1);
    // The old index keeps its changes: the two are separate.
    expect(index.userByUsername('integration@acme.com')?.active).toBe(false);
    expect(index.certificates(appOf(index))).toHaveLength(2);
  });
});
