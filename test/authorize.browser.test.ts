/**
 * A trainee's one-time approval in a real browser: headless Chromium (Debian's /usr/bin/chromium
 * driven by playwright-core, fresh profile) against the mock over HTTPS, trusting only the mock's
 * certificate. A JWT grant fails with `user hasn't approved this consumer`; the browser opens the
 * authorize URL, logs in with the keyboard, clicks Allow and reaches the callback URL (a server of the
 * test's, listed on the app) with the token in the fragment; the same JWT grant then succeeds. No console or page error, nothing fetched but
 * the mock's pages and the callback. Screenshots of the login and Allow pages are saved in a folder
 * the run prints (not in the repository). Without /usr/bin/chromium the test is skipped, and says why.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedMockOrg, startMockOrg } from '../mock-server/adapters/node-server.ts';
import { frozenClock } from '../mock-server/core/clock.ts';
import { formBody, goodClaims, JWT_GRANT, NOW, signAssertion, testStateDir, testWorld } from '../mock-server/testing/fixtures.ts';
import { DEFAULT_APPS } from '../mock-server/world/default-world.ts';
import { fetchTrusting } from '../src/client/https-fetch.ts';
import { CHROMIUM, chromiumArgs } from './chromium.ts';

const missing = !existsSync(CHROMIUM);
if (missing) console.warn(`authorize.browser.test.ts: skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`);

const USER = 'unapproved@acme.com';
const world = testWorld();
// The integration's callback: a server of this test on a free port, listed among the app's callback URLs.
const callbackServer = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!DOCTYPE html><title>Callback</title><p>approved</p>'));
await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
callbackServer.unref();
const CALLBACK = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`;
world.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized)?.callbackUrls.push(CALLBACK);
const PASSWORD = world.users.find((u) => u.username === USER)?.password ?? '';
const consumerKey = world.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized)?.consumerKey ?? '';

describe.skipIf(missing)(`the one-time approval in Chromium${missing ? ` (skipped: ${CHROMIUM} is missing)` : ''}`, () => {
  const stateDir = testStateDir('sfjwt-authorize-browser-');
  const shots = mkdtempSync(join(tmpdir(), 'sfjwt-authorize-screenshots-'));
  const problems: string[] = [];
  const requests: string[] = [];
  let mock: StartedMockOrg;
  let profile: string;
  let context: BrowserContext;

  beforeAll(async () => {
    mock = await startMockOrg({ world, clock: frozenClock(NOW), seed: 3, stateDir });
    profile = mkdtempSync(join(tmpdir(), 'sfjwt-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: chromiumArgs(stateDir),
    });
    console.log(`authorize.browser.test.ts: screenshots in ${shots}`);
  });

  afterAll(async () => {
    await context?.close();
    await mock?.close();
    callbackServer.close();
    rmSync(profile, { recursive: true, force: true });
  });

  const jwtGrant = async () => {
    const res = await fetchTrusting(mock.caPem)(`${mock.login}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(world, { sub: USER }) }) }),
    });
    return { status: res.status, body: await res.text() };
  };

  it("a refused JWT grant, the login and Allow pages, the token in the callback's fragment, and the JWT grant accepted", async () => {
    expect(await jwtGrant()).toEqual({ status: 400, body: '{"error":"invalid_grant","error_description":"user hasn\'t approved this consumer"}' });

    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => void (m.type() === 'error' || m.type() === 'warning' ? problems.push(`console ${m.type()}: ${m.text()}`) : undefined));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(new URL(r.url()).origin));

    const url = `${mock.login}/services/oauth2/authorize?${new URLSearchParams({ response_type: 'token', client_id: consumerKey, redirect_uri: CALLBACK, scope: 'api refresh_token', state: 'lab-1' })}`;
    await page.goto(url);
    expect(await page.title()).toBe('Login | Salesforce');
    await page.screenshot({ path: join(shots, 'login.png') });
    // By label and keyboard, as a person would.
    await page.getByLabel('Username').fill(USER);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForSelector('h1:text("Allow Access?")');
    expect(await page.textContent('main')).toContain('Acme Integration is asking to:');
    await page.screenshot({ path: join(shots, 'allow.png') });
    await Promise.all([page.waitForURL(`${CALLBACK}**`), page.getByRole('button', { name: 'Allow' }).click()]);

    const fragment = new URLSearchParams(new URL(page.url()).hash.slice(1));
    expect(fragment.get('access_token')).toMatch(/^00D5g0000000001!AQ/);
    expect([fragment.get('token_type'), fragment.get('scope'), fragment.get('state')]).toEqual(['Bearer', 'api refresh_token', 'lab-1']);
    expect((await jwtGrant()).status).toBe(200);
    expect(problems).toEqual([]);
    expect([...new Set(requests)].sort()).toEqual([mock.login, new URL(CALLBACK).origin].sort());
  });
});
