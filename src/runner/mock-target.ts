/**
 * The mock org as a target: in-process through msw (`mock-msw`), over HTTPS on 127.0.0.1
 * (`mock-https`), or a mock elsewhere reached through its admin API, such as one in a container
 * (also `mock-https`: the same scenarios run on it). A world user plays the role its `role` names; a
 * scenario's `mock` section (knobs, forced outcomes, a changed app, cleared certificates, earlier
 * logins) is applied after a reset, and the deciding check is read from the journal by the answer's
 * trace id. In this process the state is changed by the Setup functions (mock-server/setup), the
 * ones the admin routes call; a mock elsewhere is changed through the admin client over those routes.
 */
import { setupServer } from 'msw/node';
import { ResourceError, UsageError } from '../../lib/errors.ts';
import { loadPrivateKey } from '../../lib/pki/load.ts';
import { defaultStateDir } from '../../lib/state-folder.ts';
import { salesforceHandlers } from '../../mock-server/adapters/msw.ts';
import { startMockOrg } from '../../mock-server/adapters/node-server.ts';
import { type AdminAnswer, adminClient } from '../../mock-server/admin/client.ts';
import { ADMIN_PREFIX } from '../../mock-server/admin/prefix.ts';
import { type Clock, systemClock } from '../../mock-server/core/clock.ts';
import type { Forced } from '../../mock-server/core/forced.ts';
import type { KnobChanges } from '../../mock-server/core/knobs.ts';
import { MockOrg } from '../../mock-server/core/mock-org.ts';
import type { Trace } from '../../mock-server/core/trace.ts';
import { clearCertificates, recordLogins, touchApp } from '../../mock-server/setup/actions.ts';
import { forceOutcome, resetMock, setKnobs } from '../../mock-server/setup/harness.ts';
import type { SetupResult } from '../../mock-server/setup/result.ts';
import { DEFAULT_APPS } from '../../mock-server/world/default-world.ts';
import { LOGIN_HOST, lightningHost, myDomainHost, siteHost, TEST_HOST } from '../../mock-server/world/hosts.ts';
import { prepareWorld } from '../../mock-server/world/prepare.ts';
import type { App, User, World } from '../../mock-server/world/schema.ts';
import { WorldIndex } from '../../mock-server/world/world-index.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import type { RequestContext } from '../client/build-request.ts';
import { type FetchLike, fetchTrusting } from '../client/https-fetch.ts';
import type { KnownSecret } from './redact-secrets.ts';
import type { Target, TargetKind } from './target.ts';

/** The world app of each app role; a Map, so a role is never looked up on an object's prototype. */
const APP_NAMES = new Map<string, string>([
  ['default', DEFAULT_APPS.selfAuthorized],
  ['admin-approved', DEFAULT_APPS.adminApproved],
  ['eca', DEFAULT_APPS.externalClientApp],
]);

/**
 * What a target does to the mock's state: the same few actions whether the mock is a MockOrg in this
 * process or a server reached through its admin API, so that roles and a scenario's `mock` section
 * mean the same on every mock target.
 */
interface MockControl {
  /** The world as the mock serves it now, for the roles. */
  index(): WorldIndex;
  reset(): Promise<void> | void;
  setKnobs(knobs: KnobChanges): Promise<void> | void;
  force(forced: Forced): Promise<void> | void;
  /** The app was changed just now. */
  touchApp(app: App): Promise<void> | void;
  clearCertificates(app: App): Promise<void> | void;
  /** `count` successful logins a second ago, which the login rate limit counts. */
  recordLogins(user: User, count: number): Promise<void> | void;
  trace(id: string): Promise<Trace | undefined> | Trace | undefined;
}

/**
 * The MockOrg of this process, changed by the Setup functions the admin routes call. The runner hands
 * them names from the org's own world and input the scenario schema validated with the same schemas,
 * so a refusal here is a bug of the harness, not a user's mistake.
 */
function orgControl(org: MockOrg): MockControl {
  const applied = (what: string, result: SetupResult<unknown>): void => {
    if (!result.ok) throw new Error(`the mock in this process refused ${what}: ${result.message}`);
  };
  return {
    index: () => org.index,
    reset: () => applied('reset', resetMock(org)),
    setKnobs: (knobs) => applied('knobs', setKnobs(org, knobs)),
    force: (forced) => applied('force', forceOutcome(org, forced)),
    touchApp: (app) => applied('touch-app', touchApp(org, { app: app.name })),
    clearCertificates: (app) => applied('clear-certificates', clearCertificates(org, { app: app.name })),
    recordLogins: (user, count) => applied('record-logins', recordLogins(org, { username: user.username, count })),
    trace: (id) => org.journal.get(id),
  };
}

/**
 * A mock elsewhere, through its admin API's client. Its world is known here (a mock's admin API never
 * tells consumer secrets): the roles are read from this copy, which the mock's reset restores its own to.
 */
function adminControl(admin: string, token: string | null, world: World, fetchAdmin: FetchLike): MockControl {
  const index = new WorldIndex(world);
  const client = adminClient(admin, { fetch: fetchAdmin, token });
  const valueOrThrow = <T>(answer: AdminAnswer<T>): T => {
    if (answer.ok) return answer.value;
    // 401: the token is missing or wrong, which no rebuilt image cures.
    const hint = answer.status === 401 ? "Pass the mock's adminToken (serve --json prints it) to remoteMockTarget." : 'An older image without this admin action? Rebuild it: container/build.sh';
    throw new ResourceError(`the mock's admin API answered ${answer.route} with ${answer.status}: ${answer.message}`, {
      actions: [...(answer.fix === undefined ? [] : [answer.fix]), hint],
    });
  };
  return {
    index: () => index,
    reset: async () => void valueOrThrow(await client.reset()),
    setKnobs: async (knobs) => void valueOrThrow(await client.setKnobs(knobs)),
    force: async (forced) => void valueOrThrow(await client.forceOutcome(forced)),
    touchApp: async (app) => void valueOrThrow(await client.touchApp({ app: app.name })),
    // The fingerprints as the mock holds them (after the reset: the world's own).
    clearCertificates: async (app) => void valueOrThrow(await client.clearCertificates({ app: app.name })),
    recordLogins: async (user, count) => void valueOrThrow(await client.recordLogins({ username: user.username, count })),
    trace: async (id) => {
      const answer = await client.trace(id);
      // The journal keeps only the newest requests: a trace it no longer holds is no trace.
      return !answer.ok && answer.status === 404 ? undefined : valueOrThrow(answer);
    },
  };
}

/**
 * Every app's consumer secret, not only the scenario's app's (a mistake may send another one), named
 * as the mock names them in its own traces: `the consumer secret of app A, app B` for a shared one.
 */
function consumerSecrets(world: World): KnownSecret[] {
  const apps = new Map<string, string[]>();
  for (const app of world.apps) if (app.consumerSecret !== undefined) apps.set(app.consumerSecret, [...(apps.get(app.consumerSecret) ?? []), app.name]);
  return [...apps].map(([value, names]) => ({ value, kind: `the consumer secret of app ${names.join(', app ')}` }));
}

interface MockTargetOptions {
  control: MockControl;
  privateKeyPem: string;
  /** Base URL of a logical host as the client sees it. */
  baseUrl: (host: string) => string;
  fetch: FetchLike;
  clock: Clock;
}

function mockTarget(name: string, kind: Exclude<TargetKind, 'real'>, o: MockTargetOptions, close: () => Promise<void>): Target {
  const key = loadPrivateKey(Buffer.from(o.privateKeyPem)).key;
  const index = () => o.control.index();
  const userOf = (role: string) => index().world.users.find((u) => u.role === role);
  return {
    name,
    kind,
    fetch: o.fetch,
    context(s: Scenario): RequestContext | { skip: string } {
      const user = userOf(s.as.user);
      const app = index().app(APP_NAMES.get(s.as.app) ?? '');
      const org = user === undefined ? undefined : index().org(user.org);
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
      const natural = s.as.host === 'login' || s.as.host === 'test' || s.as.host === 'site' ? s.as.host : app.kind === 'external-client-app' ? 'my-domain' : org.kind === 'sandbox' ? 'test' : 'login';
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
      const c = o.control;
      await c.reset();
      const m = s.mock;
      if (m === undefined) return undefined;
      if (m.knobs !== undefined) await c.setKnobs(m.knobs);
      if (m.force !== undefined) await c.force(m.force);
      const app = index().app(APP_NAMES.get(s.as.app) ?? '');
      if (m.touchApp === true && app !== undefined) await c.touchApp(app);
      if (m.clearCertificates === true && app !== undefined) await c.clearCertificates(app);
      const user = userOf(s.as.user);
      if (m.priorLogins !== undefined && user !== undefined) await c.recordLogins(user, m.priorLogins);
      return undefined;
    },
    trace: (answer) => (answer.traceId === undefined ? undefined : o.control.trace(answer.traceId)),
    knownSecrets: () => consumerSecrets(index().world),
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
  return mockTarget('mock (in-process)', 'mock-msw', { control: orgControl(org), privateKeyPem, baseUrl: (h) => `https://${h}`, fetch: guarded, clock }, async () => server.close());
}

/** The mock over HTTPS on 127.0.0.1, trusted through its local CA for this client only. */
export async function httpsTarget(setup: MockTargetSetup = {}): Promise<Target> {
  const { world, privateKeyPem } = resolveWorld(setup);
  const clock = setup.clock ?? systemClock;
  const started = await startMockOrg({ world, clock, ...(setup.seed === undefined ? {} : { seed: setup.seed }), ...(setup.stateDir === undefined ? {} : { stateDir: setup.stateDir }) });
  return mockTarget('mock (HTTPS)', 'mock-https', { control: orgControl(started.org), privateKeyPem, baseUrl: (h) => started.hosts[h] ?? '', fetch: fetchTrusting(started.caPem), clock }, () =>
    started.close(),
  );
}

/** A mock served elsewhere over HTTPS, as `serve --json` describes it (a StartedSalesforceMock is one). */
export interface RemoteMock {
  /** Base URL of every logical host, by host name. */
  hosts: Record<string, string>;
  /** Base URL of the admin API. */
  admin: string;
  /** The token its state changes need (`serve --json` prints it as adminToken); null or absent for none. */
  adminToken?: string | null;
  /** The CA that signed its HTTPS certificate. */
  caPem: string | null;
  /** The world it serves, consumer secrets included, and the private key of its apps' certificate. */
  world: World;
  privateKeyPem: string | null;
}

/**
 * A mock in another process or a container, driven through its admin API: the same roles and the
 * same `mock` sections as the in-process targets, so every scenario that runs on `mock-https` runs
 * on it. It must not be strict (the deciding check is found by the x-sfjwt-trace header) and must
 * serve HTTPS (those scenarios count on the tls check). Closing it leaves the mock running.
 */
export function remoteMockTarget(mock: RemoteMock, options: { name?: string; clock?: Clock } = {}): Target {
  const login = mock.hosts[LOGIN_HOST];
  if (login === undefined || !login.startsWith('https://')) {
    throw new UsageError(`a remote mock target needs the mock over HTTPS, got ${login === undefined ? 'no login host' : login}`, {
      actions: ['Start the mock without --http (SFJWT_TLS=true; no withHttp()).'],
    });
  }
  if (mock.privateKeyPem === null)
    throw new UsageError("a remote mock target needs the private key of its apps' certificate", { actions: ['Serve the default world, whose key the mock prints as privateKeyFile.'] });
  if (!mock.admin.endsWith(ADMIN_PREFIX)) throw new UsageError(`the admin API's base URL ends with ${ADMIN_PREFIX}, got ${mock.admin}`);
  const fetchMock = fetchTrusting(mock.caPem);
  return mockTarget(
    options.name ?? 'mock (remote)',
    'mock-https',
    {
      control: adminControl(mock.admin, mock.adminToken ?? null, mock.world, fetchMock),
      privateKeyPem: mock.privateKeyPem,
      baseUrl: (h) => mock.hosts[h] ?? '',
      fetch: fetchMock,
      clock: options.clock ?? systemClock,
    },
    async () => undefined,
  );
}
