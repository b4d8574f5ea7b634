/**
 * The mock as a container (the image container/build.sh builds), started through the testcontainers
 * module with host networking on free ports of 127.0.0.1: every catalogue scenario that runs on
 * mock-https gets the same answer, verdict and deciding check from it as from the HTTPS mock in this
 * process; a token it gives works on its REST and identity endpoints; the image's health check
 * passes without a shell; `await using` stops and removes it. Without a Docker engine or without the
 * image, every test here is skipped and the reason printed: never silently.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceError, WorldError } from '../lib/errors.ts';
import { DEFAULT_MOCK_IMAGE, SalesforceMockContainer, type StartedSalesforceMock } from '../mock-server/adapters/container.ts';
import type { KnobChanges } from '../mock-server/core/knobs.ts';
import { LATEST_API_VERSION } from '../mock-server/core/rest.ts';
import { testKeys, testWorld } from '../mock-server/testing/fixtures.ts';
import { DEFAULT_APPS } from '../mock-server/world/default-world.ts';
import { catalogue } from '../scenarios/load.ts';
import { importPrivateKey } from '../src/client/assertion.ts';
import { fetchTrusting } from '../src/client/https-fetch.ts';
import { requestToken } from '../src/client/send.ts';
import { httpsTarget, remoteMockTarget } from '../src/runner/mock-target.ts';
import { runScenario, type ScenarioResult } from '../src/runner/run.ts';
import type { Target } from '../src/runner/target.ts';

// Ryuk's image cannot be pulled everywhere, and these tests stop what they start. A container on an
// engine with no bridge network (dockerd --bridge=none) makes testcontainers look for a gateway:
// with host networking the host is this machine.
process.env['TESTCONTAINERS_RYUK_DISABLED'] ??= 'true';
process.env['TESTCONTAINERS_HOST_OVERRIDE'] ??= '127.0.0.1';

function whyNot(): string | undefined {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 30_000 });
  if (info.error !== undefined) return `the docker command cannot run (${info.error.message})`;
  if (info.status !== 0)
    return `docker info failed: ${(
      info.stderr
        .trim()
        .split('\n')
        .find((l) => l.trim() !== '') ?? `exit code ${String(info.status)}`
    ).trim()}`;
  const image = spawnSync('docker', ['image', 'inspect', '--format', '{{.Id}}', DEFAULT_MOCK_IMAGE], { encoding: 'utf8', timeout: 30_000 });
  if (image.status !== 0)
    return `the Docker engine has no image ${DEFAULT_MOCK_IMAGE} (build it: container/build.sh, or offline container/build-base-image.sh then container/build.sh --base sfjwt/node-base:local)`;
  return undefined;
}

const skipReason = whyNot();
if (skipReason !== undefined) console.warn(`\nWARNING: the container tests are skipped: ${skipReason}\n`);

const scenarios = catalogue().filter((s) => s.runsOn.includes('mock-https'));

/** What must be the same on both targets: the answer, the verdict and the check that decided. */
const outcome = (r: ScenarioResult) => ({ verdict: r.verdict, reason: r.reason, actual: r.actual, decidedBy: r.decidedBy });

/** The command of the image's HEALTHCHECK (exec form: ["CMD", …]). */
function healthCheckCommand(): string[] {
  const r = spawnSync('docker', ['image', 'inspect', '--format', '{{json .Config.Healthcheck.Test}}', DEFAULT_MOCK_IMAGE], { encoding: 'utf8', timeout: 30_000 });
  const test = JSON.parse(r.stdout) as string[];
  expect(test[0]).toBe('CMD');
  return test.slice(1);
}

const containerState = (id: string) => spawnSync('docker', ['inspect', '--format', '{{.State.Status}}', id], { encoding: 'utf8', timeout: 30_000 });

describe.skipIf(skipReason !== undefined)(`the mock in a container (${DEFAULT_MOCK_IMAGE})`, () => {
  let mock: StartedSalesforceMock;
  let inContainer: Target;
  let inProcess: Target;

  beforeAll(async () => {
    mock = await new SalesforceMockContainer().start();
    inContainer = remoteMockTarget(mock, { name: 'mock (container)' });
    // The same world and key, served by this process: the reference the container must match.
    inProcess = await httpsTarget({ world: mock.world, privateKeyPem: mock.privateKeyPem ?? '', stateDir: mkdtempSync(join(tmpdir(), 'sfjwt-container-ref-')) });
  }, 120_000);
  afterAll(async () => {
    await inProcess?.close();
    await mock?.stop();
  });

  it('says where it listens and what a client needs: base URLs on 127.0.0.1, the key and CA copied to the host, the world with its secrets', () => {
    expect(mock.login).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.admin).toBe(`${mock.login}/__sfjwt`);
    expect(Object.keys(mock.hosts)).toEqual([
      'login.salesforce.com',
      'test.salesforce.com',
      'acme.my.salesforce.com',
      'acme.my.site.com',
      'acme.lightning.force.com',
      'acme--uat.sandbox.my.salesforce.com',
      'acme--uat.sandbox.lightning.force.com',
      'initech.my.salesforce.com',
      'initech.lightning.force.com',
    ]);
    for (const url of Object.values(mock.hosts)) expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.myDomain).toBe(mock.hosts['acme.my.salesforce.com']);
    expect(mock.description.privateKeyFile).toBe('/var/lib/sfjwt/keys/default-app.key');
    expect(mock.description.ca).toBe('/var/lib/sfjwt/tls/ca.crt');
    expect(readFileSync(mock.keyFile ?? '', 'utf8')).toBe(mock.privateKeyPem);
    expect(readFileSync(mock.ca ?? '', 'utf8')).toBe(mock.caPem);
    expect(mock.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(mock.caPem).toMatch(/^-----BEGIN CERTIFICATE-----\r?\n/);
    expect(mock.username).toBe('integration@acme.com');
    const app = mock.world.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized);
    expect(mock.consumerKey).toBe(app?.consumerKey);
    expect(app?.consumerSecret).toMatch(/^\d{64}$/);
    expect(mock.world.users.map((u) => u.username)).toEqual(mock.description.users.map((u) => u.username));
  });

  it.each(scenarios.map((s) => [s.id, s] as const))('%s: the same answer, verdict and deciding check as the HTTPS mock', async (_id, scenario) => {
    const there = await runScenario(scenario, inContainer);
    const here = await runScenario(scenario, inProcess);
    expect(there.reason ?? '').toBe('');
    expect(there.verdict).toBe('pass');
    expect(there.decidedBy).toBe(scenario.expect.decidedBy);
    expect(outcome(there)).toEqual(outcome(here));
  });

  it(`a token from the container works on instance_url's /services/data/v${LATEST_API_VERSION}.0/limits and on the identity URL`, async () => {
    // Trusting the CA file copied to the host, as a client given NODE_EXTRA_CA_CERTS would.
    const fetchMock = fetchTrusting(readFileSync(mock.ca ?? '', 'utf8'));
    const token = await requestToken({
      loginUrl: mock.login,
      consumerKey: mock.consumerKey ?? '',
      username: mock.username ?? '',
      privateKey: importPrivateKey(readFileSync(mock.keyFile ?? '')),
      fetch: fetchMock,
    });
    expect(token.status).toBe(200);
    expect(token.instanceUrl).toBe(mock.myDomain);
    const auth = { headers: { Authorization: `Bearer ${token.accessToken ?? ''}` } };
    const limits = await fetchMock(`${token.instanceUrl ?? ''}/services/data/v${LATEST_API_VERSION}.0/limits`, auth);
    expect(limits.status).toBe(200);
    expect(await limits.json()).toMatchObject({ DailyApiRequests: { Max: 15_000, Remaining: 14_999 } });
    const user = mock.world.users.find((u) => u.username === mock.username);
    const acme = mock.world.orgs.find((o) => o.name === 'acme');
    expect(token.id).toBe(`${mock.login}/id/${acme?.id ?? ''}/${user?.id ?? ''}`);
    const identity = await fetchMock(token.id ?? '', auth);
    expect(identity.status).toBe(200);
    expect(await identity.json()).toMatchObject({ id: token.id, username: mock.username, email: user?.email, user_id: user?.id, organization_id: acme?.id });
    const unauthorised = await fetchMock(`${token.instanceUrl ?? ''}/services/data/v${LATEST_API_VERSION}.0/limits`);
    expect(unauthorised.status).toBe(401);
  });

  it('serves the web console: its Requests page lists the requests the container answered', async () => {
    const fetchMock = fetchTrusting(readFileSync(mock.ca ?? '', 'utf8'));
    const page = await fetchMock(`${mock.admin}/ui/requests`);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await page.text()).toMatch(/<title>Requests · sfjwt console<\/title>[\s\S]*<td>login\.salesforce\.com<\/td><td><code>POST \/services\/oauth2\/token<\/code><\/td>/);
  });

  it('runs the labs: the Labs page, a lab started, sent and checked over the admin API', async () => {
    const fetchMock = fetchTrusting(readFileSync(mock.ca ?? '', 'utf8'));
    const admin = (path: string, body?: unknown) =>
      fetchMock(`${mock.admin}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${mock.adminToken ?? ''}` }, body: JSON.stringify(body ?? {}) });
    const started = await admin('/labs/start', { lab: 'frozen-user' });
    expect(started.status).toBe(200);
    const { starter } = (await started.json()) as { starter: unknown };
    const sent = await admin('/labs/send', { draft: starter });
    expect(await sent.json()).toMatchObject({ status: 400, body: '{"error":"invalid_grant","error_description":"user is frozen"}' });
    expect(await (await admin('/labs/check')).json()).toMatchObject({ solved: false, headline: 'Not yet: HTTP 400 invalid_grant: user is frozen.' });
    const page = await fetchMock(`${mock.admin}/ui/labs`);
    expect(await page.text()).toContain('<h2>Lab 11: After the security review</h2>');
    expect((await admin('/reset')).status).toBe(200);
  });

  it("the image's health check, run as Docker runs it (exec form, no shell): exit 0", async () => {
    const r = await mock.container.exec(healthCheckCommand());
    expect(r.output).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it('withWorld(file), withFixtures(dir), withHttp(), withStrict(): that world and its fixtures over HTTP without trace headers; `await using` stops and removes it', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sfjwt-container-world-'));
    const file = join(folder, 'world.json');
    writeFileSync(file, JSON.stringify(testWorld()));
    const fixtures = join(folder, 'fixtures');
    mkdirSync(join(fixtures, 'services', 'apexrest', 'orders'), { recursive: true });
    writeFileSync(join(fixtures, 'services', 'apexrest', 'orders', 'GET.json'), '[{"id":"A-1"}]');
    let id: string;
    {
      await using other = await new SalesforceMockContainer().withWorld(file).withFixtures(fixtures).withHttp().withStrict().start();
      id = other.container.getId();
      expect(containerState(id).stdout.trim()).toBe('running');
      expect(other.login).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(other).toMatchObject({ ca: null, caPem: null, keyFile: null, privateKeyPem: null, username: 'integration@acme.com' });
      expect(other.world).toEqual(testWorld());
      const token = await requestToken({ loginUrl: other.login, consumerKey: other.consumerKey ?? '', username: 'integration@acme.com', privateKey: importPrivateKey(testKeys().privateKeyPem) });
      expect(token.status).toBe(200);
      expect(token.traceId).toBeUndefined();
      const orders = await fetch(`${token.instanceUrl ?? ''}/services/apexrest/orders`, { headers: { Authorization: `Bearer ${token.accessToken ?? ''}` } });
      expect([orders.status, await orders.text()]).toEqual([200, '[{"id":"A-1"}]']);
      const health = await other.container.exec(healthCheckCommand());
      expect(health.exitCode).toBe(0);
    }
    const gone = containerState(id);
    expect(gone.status).not.toBe(0);
    expect(gone.stderr).toContain('No such object');
  });

  it('a container that stops at start: the error quotes what the mock printed', async () => {
    const start = new SalesforceMockContainer().withKnobs({ loginRatePerHour: 'often' } as unknown as KnobChanges).start();
    const error = await start.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResourceError);
    expect((error as ResourceError).message).toMatch(/^the mock's container \(sfjwt\/mock:local\) did not start: /);
    expect((error as ResourceError).actions.join('\n')).toContain('sfjwt: bad --knob loginRatePerHour: must be null or an integer from 1 to 100000, got "often"');
  });

  it('a world that is not valid is refused on the host, before any container', async () => {
    const broken = { ...testWorld(), apps: [] } as unknown as Parameters<SalesforceMockContainer['withWorld']>[0];
    await expect(new SalesforceMockContainer().withWorld(broken).start()).rejects.toBeInstanceOf(WorldError);
  });
});
