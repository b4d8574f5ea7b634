/**
 * Worlds made from a seed with faker: the same seed gives the same world, byte for byte. Certificates
 * cannot come from a seed (keys are made with node:crypto), so the caller passes the certificate
 * every generated app gets.
 */
import type { Faker } from '@faker-js/faker';
import { faker as englishFaker } from '@faker-js/faker/locale/en';
import { makeId } from './salesforce-id.ts';
import type { App, Org, User, World } from './schema.ts';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

// The English entry point loads one locale; the package root loads all of them (about 140 ms of
// `serve`'s start-up). Its instance gives the Faker class and the English definitions (with faker's
// locale-independent base, which nothing here reads): the worlds are byte for byte the same as with
// `new Faker({ locale: [en] })`.
const FakerClass = englishFaker.constructor as typeof Faker;
const english = englishFaker.rawDefinitions;

export function seededFaker(seed: number): Faker {
  const faker = new FakerClass({ locale: english });
  faker.seed(seed);
  return faker;
}

/** A consumer key shaped like Salesforce's: `3MVG9` and 80 characters. */
export function consumerKey(faker: Faker): string {
  return `3MVG9${faker.string.fromCharacters(KEY_ALPHABET, 80)}`;
}

export function consumerSecret(faker: Faker): string {
  return faker.string.numeric({ length: 64, allowLeadingZeros: false });
}

/** A pod-like two-character instance code used inside Ids (`5g`, `8c`, …). */
function instanceCode(faker: Faker): string {
  return `${faker.number.int({ min: 1, max: 9 })}${faker.string.fromCharacters('abcdefghijklmnopqrstuvwxyz')}`;
}

export interface GenerateOptions {
  seed: number;
  orgs?: number;
  usersPerOrg?: number;
  apps?: number;
  /** PEM certificate uploaded to every generated app. */
  certificatePem: string;
}

/**
 * A world of `orgs` production orgs with `usersPerOrg` users each and `apps` connected apps in the
 * first org, every user approving every app: a bulk world for load and scale tests.
 */
export function generateWorld(options: GenerateOptions): World {
  const faker = seededFaker(options.seed);
  const orgCount = options.orgs ?? 1;
  const usersPerOrg = options.usersPerOrg ?? 10;
  const appCount = options.apps ?? 1;
  const instance = instanceCode(faker);
  const orgs: Org[] = [];
  for (let i = 0; i < orgCount; i += 1) {
    const base =
      faker.company
        .name()
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '')
        .slice(0, 20) || 'org';
    const myDomain = `${base}${i}`;
    orgs.push({
      name: myDomain,
      id: makeId('00D', instance, i + 1),
      kind: 'production',
      myDomain,
      status: 'active',
      sessionTimeoutSeconds: 7200,
      sites: [],
    });
  }
  const firstOrg = orgs[0]?.name ?? 'org0';
  const apps: App[] = [];
  for (let i = 0; i < appCount; i += 1) {
    apps.push({
      name: `App ${i + 1}`,
      kind: 'connected-app',
      org: firstOrg,
      consumerKey: consumerKey(faker),
      consumerSecret: consumerSecret(faker),
      certificates: [options.certificatePem],
      scopes: ['api', 'refresh_token'],
      policy: 'self-authorize',
      profiles: [],
      permissionSets: [],
      callbackUrls: [],
      lastModified: '2024-01-01T00:00:00Z',
    });
  }
  const users: User[] = [];
  let n = 0;
  for (const org of orgs) {
    for (let i = 0; i < usersPerOrg; i += 1) {
      n += 1;
      const firstName = faker.person.firstName();
      const lastName = faker.person.lastName();
      const local = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z0-9.]+/g, '');
      users.push({
        id: makeId('005', instance, n),
        username: `${local}.${n}@${org.myDomain}.example.com`,
        email: `${local}@${org.myDomain}.example.com`,
        firstName,
        lastName,
        org: org.name,
        profile: 'Standard User',
        permissionSets: [],
        active: true,
        frozen: false,
        approvedApps: apps.map((a) => a.name),
        loginIpRanges: [],
      });
    }
  }
  return { version: 1, seed: options.seed, orgs, apps, users };
}
