/**
 * A world made ready to serve: lookups by consumer key, username, e-mail and Id are map reads, and
 * every app's certificates are parsed once into public keys. Setup actions (approve a user, assign a
 * profile, upload or remove a certificate) change the world through this index so the two stay in step.
 */
import { WorldError } from '../../lib/errors.ts';
import { readCertificate, type CertificateInfo } from '../../lib/pki/certificate.ts';
import { logicalHosts, type LogicalHost } from './hosts.ts';
import type { App, Org, User, World } from './schema.ts';

export class WorldIndex {
  readonly world: World;
  readonly hosts: readonly LogicalHost[];
  private readonly hostsByName = new Map<string, LogicalHost>();
  private readonly orgsByName = new Map<string, Org>();
  private readonly orgsById = new Map<string, Org>();
  private readonly appsByKey = new Map<string, App>();
  private readonly appsByName = new Map<string, App>();
  private readonly usersByUsername = new Map<string, User>();
  private readonly usersByEmail = new Map<string, User[]>();
  private readonly usersById = new Map<string, User>();
  private readonly certs = new Map<string, CertificateInfo[]>();

  constructor(world: World) {
    this.world = world;
    this.hosts = logicalHosts(world.orgs);
    for (const host of this.hosts) this.hostsByName.set(host.name, host);
    for (const org of world.orgs) {
      this.orgsByName.set(org.name, org);
      this.orgsById.set(org.id.slice(0, 15), org);
    }
    world.apps.forEach((app, i) => {
      this.appsByKey.set(app.consumerKey, app);
      this.appsByName.set(app.name, app);
      this.certs.set(
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
    for (const user of world.users) {
      this.usersByUsername.set(user.username.toLowerCase(), user);
      this.usersById.set(user.id.slice(0, 15), user);
      const email = user.email.toLowerCase();
      const list = this.usersByEmail.get(email);
      if (list === undefined) this.usersByEmail.set(email, [user]);
      else list.push(user);
    }
  }

  host(name: string): LogicalHost | undefined {
    return this.hostsByName.get(name.toLowerCase());
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
    return this.usersByUsername.get(username.toLowerCase());
  }

  usersByEmailAddress(email: string): readonly User[] {
    return this.usersByEmail.get(email.toLowerCase()) ?? [];
  }

  /** A 15- or 18-character user Id. */
  userById(id: string): User | undefined {
    return id.length === 15 || id.length === 18 ? this.usersById.get(id.slice(0, 15)) : undefined;
  }

  certificates(app: App): readonly CertificateInfo[] {
    return this.certs.get(app.name) ?? [];
  }

  /** Setup > App Manager > Edit > Use digital signatures: adds a certificate. */
  uploadCertificate(app: App, pem: string): CertificateInfo {
    const info = readCertificate(pem, 'the uploaded certificate');
    app.certificates = [...app.certificates, pem];
    this.certs.set(app.name, [...this.certificates(app), info]);
    return info;
  }

  /** Removes the certificate with this SHA-256 fingerprint (any case, colons optional); returns whether one was removed. */
  removeCertificate(app: App, sha256: string): boolean {
    const want = sha256.replace(/:/g, '').toUpperCase();
    const kept = this.certificates(app).filter((c) => c.sha256.replace(/:/g, '') !== want);
    if (kept.length === this.certificates(app).length) return false;
    this.certs.set(app.name, kept);
    app.certificates = kept.map((c) => c.pem);
    return true;
  }
}
