/**
 * A world made ready to serve: lookups by consumer key, username, e-mail and Id are map reads, and
 * every app's certificates are parsed once into public keys. Setup actions (approve a user, assign a
 * profile, upload or remove a certificate) change the world through this index so the two stay in step.
 * The world it is given stays as it was (the pristine world): orgs and apps are the index's own
 * copies, and a user becomes one the first time a lookup hands it out, so what anyone changes through
 * the index never reaches the pristine world. `fresh()` is the same world before any change: a new
 * index that shares the lookup maps and parsed certificates, built once, so a reset of a
 * million-user world costs a copy of the user list, not of the users.
 */
import { WorldError } from '../../lib/errors.ts';
import { type CertificateInfo, readCertificate } from '../../lib/pki/certificate.ts';
import { type LogicalHost, logicalHosts } from './hosts.ts';
import type { App, Org, User, World } from './schema.ts';

/** What every index of one pristine world shares: built once, never changed. */
interface Base {
  readonly world: World;
  readonly hosts: readonly LogicalHost[];
  readonly hostsByName: ReadonlyMap<string, LogicalHost>;
  /** Positions in world.users (and in each index's user list). */
  readonly usersByUsername: ReadonlyMap<string, number>;
  readonly usersByEmail: ReadonlyMap<string, number | number[]>;
  readonly usersById: ReadonlyMap<string, number>;
  /** The certificates of each app as the world gives them, by app name. */
  readonly certs: ReadonlyMap<string, readonly CertificateInfo[]>;
}

/** A deep copy of world data (objects, arrays and primitives, as JSON and the schema make them). */
function copyData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyData) as T;
  if (value === null || typeof value !== 'object') return value;
  // fromEntries defines properties, so even a "__proto__" key of a world built in code stays data.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyData(v)])) as T;
}

function buildBase(world: World): Base {
  const hosts = logicalHosts(world.orgs);
  const hostsByName = new Map<string, LogicalHost>();
  for (const host of hosts) hostsByName.set(host.name, host);
  const certs = new Map<string, readonly CertificateInfo[]>();
  world.apps.forEach((app, i) => {
    certs.set(
      app.name,
      app.certificates.map((pem, j) => {
        try {
          return readCertificate(pem, `apps[${i}].certificates[${j}]`);
        } catch (cause) {
          const message = cause instanceof Error ? cause.message : String(cause);
          throw new WorldError(`the world is not valid: ${message}`, [{ path: `apps[${i}].certificates[${j}]`, message }], {
            actions: ['Give the PEM certificate uploaded to the connected app (-----BEGIN CERTIFICATE-----).'],
            cause,
          });
        }
      }),
    );
  });
  const usersByUsername = new Map<string, number>();
  const usersByEmail = new Map<string, number | number[]>();
  const usersById = new Map<string, number>();
  world.users.forEach((user, i) => {
    usersByUsername.set(user.username.toLowerCase(), i);
    usersById.set(user.id.slice(0, 15), i);
    // Most e-mail addresses are one user's: a number, and a list only for a shared address.
    const email = user.email.toLowerCase();
    const seen = usersByEmail.get(email);
    if (seen === undefined) usersByEmail.set(email, i);
    else if (typeof seen === 'number') usersByEmail.set(email, [seen, i]);
    else seen.push(i);
  });
  return { world, hosts, hostsByName, usersByUsername, usersByEmail, usersById, certs };
}

export class WorldIndex {
  /** The world as it is now, for reading: change it through the lookups (see the summary above). */
  readonly world: World;
  readonly hosts: readonly LogicalHost[];
  private readonly base: Base;
  private readonly orgsByName = new Map<string, Org>();
  private readonly orgsById = new Map<string, Org>();
  private readonly appsByKey = new Map<string, App>();
  private readonly appsByName = new Map<string, App>();
  /** Certificates changed since the pristine world (uploaded or removed), by app name. */
  private readonly changedCerts = new Map<string, readonly CertificateInfo[]>();

  /** An index of `world`, which it never changes. `sharing` (from `fresh()`) is an index of the same world whose maps it reuses. */
  constructor(world: World, sharing?: WorldIndex) {
    this.base = sharing !== undefined && sharing.base.world === world ? sharing.base : buildBase(world);
    this.hosts = this.base.hosts;
    const orgs = world.orgs.map(copyData);
    const apps = world.apps.map(copyData);
    // The list is copied (a pointer per user); the users are copied one by one, when first handed out.
    this.world = { ...world, orgs, apps, users: world.users.slice() };
    for (const org of orgs) {
      this.orgsByName.set(org.name, org);
      this.orgsById.set(org.id.slice(0, 15), org);
    }
    for (const app of apps) {
      this.appsByKey.set(app.consumerKey, app);
      this.appsByName.set(app.name, app);
    }
  }

  /** The pristine world again, as it was before any change made through this index. */
  fresh(): WorldIndex {
    return new WorldIndex(this.base.world, this);
  }

  /** The user at `i`, made the index's own copy the first time it is handed out. */
  private user(i: number): User {
    const users = this.world.users;
    const user = users[i] as User;
    if (user !== this.base.world.users[i]) return user;
    const own = copyData(user);
    users[i] = own;
    return own;
  }

  host(name: string): LogicalHost | undefined {
    return this.base.hostsByName.get(name.toLowerCase());
  }

  org(name: string): Org | undefined {
    return this.orgsByName.get(name);
  }

  orgById(id: string): Org | undefined {
    return this.orgsById.get(id.slice(0, 15));
  }

  appByConsumerKey(key: string): App | undefined {
    return this.appsByKey.get(key);
  }

  app(name: string): App | undefined {
    return this.appsByName.get(name);
  }

  /** Usernames are case-insensitive on Salesforce. */
  userByUsername(username: string): User | undefined {
    const i = this.base.usersByUsername.get(username.toLowerCase());
    return i === undefined ? undefined : this.user(i);
  }

  usersByEmailAddress(email: string): readonly User[] {
    const found = this.base.usersByEmail.get(email.toLowerCase());
    if (found === undefined) return [];
    return typeof found === 'number' ? [this.user(found)] : found.map((i) => this.user(i));
  }

  /** A 15- or 18-character user Id. */
  userById(id: string): User | undefined {
    if (id.length !== 15 && id.length !== 18) return undefined;
    const i = this.base.usersById.get(id.slice(0, 15));
    return i === undefined ? undefined : this.user(i);
  }

  certificates(app: App): readonly CertificateInfo[] {
    return this.changedCerts.get(app.name) ?? this.base.certs.get(app.name) ?? [];
  }

  /** Setup > App Manager > Edit > Use digital signatures: adds a certificate. */
  uploadCertificate(app: App, pem: string): CertificateInfo {
    const info = readCertificate(pem, 'the uploaded certificate');
    const own = this.app(app.name) ?? app;
    own.certificates = [...own.certificates, pem];
    this.changedCerts.set(own.name, [...this.certificates(own), info]);
    return info;
  }

  /** Removes the certificate with this SHA-256 fingerprint (any case, colons optional); returns whether one was removed. */
  removeCertificate(app: App, sha256: string): boolean {
    const want = sha256.replace(/:/g, '').toUpperCase();
    const own = this.app(app.name) ?? app;
    const kept = this.certificates(own).filter((c) => c.sha256.replace(/:/g, '') !== want);
    if (kept.length === this.certificates(own).length) return false;
    this.changedCerts.set(own.name, kept);
    own.certificates = kept.map((c) => c.pem);
    return true;
  }
}
