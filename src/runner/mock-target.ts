/**
 * The mock org as a target: in-process through msw (`mock-msw`) or over HTTPS on 127.0.0.1
 * (`mock-https`). Roles map to the default world's situations; a scenario's `mock` section (knobs,
 * forced outcomes, a changed app, cleared certificates, earlier logins) is applied after a reset,
 * and the deciding check is read from the journal by the answer's trace id.
 */
import { setupServer } from 'msw/node';
import { salesforceHandlers } from '../../mock-server/adapters/msw.ts';
import { startMockOrg } from '../../mock-server/adapters/node-server.ts';
import { systemClock, type Clock } from '../../mock-server/core/clock.ts';
import { MockOrg } from '../../mock-server/core/mock-org.ts';
import { DEFAULT_APPS } from '../../mock-server/world/default-world.ts';
import { LOGIN_HOST, TEST_HOST, lightningHost, myDomainHost, siteHost } from '../../mock-server/world/hosts.ts';
import { prepareWorld } from '../../mock-server/world/prepare.ts';
import type { World } from '../../mock-server/world/schema.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import type { RequestContext } from '../client/build-request.ts';
import { fetchTrusting, type FetchLike } from '../client/https-fetch.ts';
import { loadPrivateKey } from '../keys/load.ts';
import { defaultStateDir } from '../keys/local-store.ts';
import type { Target } from './target.ts';

/** The default world's user for each role, by its situation. */
export const USER_SITUATIONS: Record<string, string> = {
  default: 'logs in',
  unapproved: 'never approved the app',
  'not-admitted': 'profile not admitted by an admin-approved app',
  inactive: 'inactive',
  frozen: 'frozen',
  'ip-restricted': 'IP restricted',
  sandbox: 'sandbox user',
  'locked-org': 'org locked',
};

export const APP_NAMES: Record<string, string> = { default: DEFAULT_APPS.selfAuthorized, 'admin-approved': DEFAULT_APPS.adminApproved, eca: DEFAULT_APPS.externalClientApp };

interface MockTargetOptions {
  org: MockOrg;
  privateKeyPem: string;
  /** Base URL of a logical host as the client sees it. */
  baseUrl: (host: string) => string;
  fetch: FetchLike;
  clock: Clock;
}

function mockTarget(name: string, kind: 'mock-msw' | 'mock-https', o: MockTargetOptions, close: () => Promise<void>): Target {
  const key = loadPrivateKey(Buffer.from(o.privateKeyPem)).key;
  const world = () => o.org.index.world;
  const userOf = (role: string) => world().users.find((u) => u.situation === USER_SITUATIONS[role]);
  return {
    name,
    kind,
    fetch: o.fetch,
    context(s: Scenario): RequestContext | { skip: string } {
      const user = userOf(s.as.user);
      const app = o.org.index.app(APP_NAMES[s.as.app] ?? '');
      const org = user === undefined ? undefined : o.org.index.org(user.org);
      if (user === undefined || app === undefined || org === undefined) return { skip: `the world has no ${user === undefined ? `user "${s.as.user}"` : `app "${s.as.app}"`}` };
      const site = org.sites[0];
      const hostName = (role: string): string | undefined => {
        switch (role) {
          case 'login':
            return LOGIN_HOST;
          case 'test':
            return TEST_HOST;
          case 'my-domain':
            return myDomainHost(org);
          case 'site':
            return site === undefined ? undefined : siteHost(org);
          case 'lightning':
            return lightningHost(org);
          default:
            return undefined;
        }
      };
      const suffix = (role: string) => (role === 'site' && site !== undefined ? `/${site.urlPathPrefix}` : '');
      const hostUrl = (role: string) => {
        const h = hostName(role);
        return h === undefined ? undefined : `${o.baseUrl(h)}${suffix(role)}`;
      };
      const realUrl = (role: string) => {
        const h = hostName(role);
        return h === undefined ? undefined : `https://${h}${suffix(role)}`;
      };
      // The audience a careful client uses: the host itself for login and test, the site's URL on a
      // site, the My Domain for an External Client App, else login or test by the org's kind.
      const natural =
        s.as.host === 'login' || s.as.host === 'test' || s.as.host === 'site'
          ? s.as.host
          : app.kind === 'external-client-app'
            ? 'my-domain'
            : org.kind === 'sandbox'
              ? 'test'
              : 'login';
      const audience = realUrl(s.as.audience ?? natural);
      if (audience === undefined || hostUrl(s.as.host) === undefined) return { skip: `the world has no host "${s.as.host}" for ${user.username}` };
      return {
        consumerKey: app.consumerKey,
        consumerSecret: app.consumerSecret,
        appName: app.name,
        username: user.username,
        userEmail: user.email,
        userId: user.id,
        privateKey: key,
        hostUrl,
        realUrl,
        usernameOf: (role) => userOf(role)?.username,
        host: s.as.host,
        audience,
        now: o.clock.now(),
      };
    },
    async prepare(s) {
      o.org.reset();
      const m = s.mock;
      if (m === undefined) return undefined;
      if (m.knobs !== undefined) o.org.setKnobs(m.knobs);
      if (m.force !== undefined) o.org.forced.push(m.force);
      const app = o.org.index.app(APP_NAMES[s.as.app] ?? '');
      if (m.touchApp === true && app !== undefined) app.lastModified = new Date(o.org.now()).toISOString();
      if (m.clearCertificates === true && app !== undefined) for (const c of [...o.org.index.certificates(app)]) o.org.index.removeCertificate(app, c.sha256);
      const user = userOf(s.as.user);
      if (m.priorLogins !== undefined && user !== undefined) {
        for (let i = 0; i < m.priorLogins; i += 1) o.org.loginHistory.recordSuccess(user.id, o.org.now() - 1000, o.org.knobs.loginRatePerHour);
      }
      return undefined;
    },
    trace: (answer) => (answer.traceId === undefined ? undefined : o.org.journal.get(answer.traceId)),
    close,
  };
}

export interface MockTargetSetup {
  /** Seeds the mock's tokens and cookies. */
  seed?: number;
  world?: World;
  privateKeyPem?: string;
  clock?: Clock;
  stateDir?: string;
}

function resolveWorld(setup: MockTargetSetup): { world: World; privateKeyPem: string } {
  if (setup.world !== undefined && setup.privateKeyPem !== undefined) return { world: setup.world, privateKeyPem: setup.privateKeyPem };
  const prepared = prepareWorld({ stateDir: setup.stateDir ?? defaultStateDir() });
  return { world: setup.world ?? prepared.world, privateKeyPem: setup.privateKeyPem ?? prepared.appKey?.privateKeyPem ?? '' };
}

/** The mock in this process, reached through msw's interception of fetch. */
export function mswTarget(setup: MockTargetSetup = {}): Target {
  const { world, privateKeyPem } = resolveWorld(setup);
  const clock = setup.clock ?? systemClock;
  const org = new MockOrg({ world, clock, ...(setup.seed === undefined ? {} : { seed: setup.seed }) });
  const server = setupServer(...salesforceHandlers(org));
  server.listen({ onUnhandledRequest: 'bypass' });
  // Only the world's hosts are ever fetched: a request msw would not intercept must not reach the network.
  const guarded: FetchLike = (input, init) => {
    const host = new URL(String(input)).hostname;
    if (org.index.host(host) === undefined) return Promise.reject(new Error(`refusing to send to ${host}: not a host of the mock's world`));
    return fetch(input, init);
  };
  return mockTarget('mock (in-process)', 'mock-msw', { org, privateKeyPem, baseUrl: (h) => `https://${h}`, fetch: guarded, clock }, async () => server.close());
}

/** The mock over HTTPS on 127.0.0.1, trusted through its local CA for this client only. */
export async function httpsTarget(setup: MockTargetSetup = {}): Promise<Target> {
  const { world, privateKeyPem } = resolveWorld(setup);
  const clock = setup.clock ?? systemClock;
  const started = await startMockOrg({ world, clock, ...(setup.seed === undefined ? {} : { seed: setup.seed }), ...(setup.stateDir === undefined ? {} : { stateDir: setup.stateDir }) });
  return mockTarget('mock (HTTPS)', 'mock-https', { org: started.org, privateKeyPem, baseUrl: (h) => started.hosts[h] ?? '', fetch: fetchTrusting(started.caPem), clock }, () => started.close());
}
