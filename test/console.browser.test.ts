/**
 * The web console (/__sfjwt/ui) in a real browser: headless Chromium (Debian's /usr/bin/chromium
 * driven by playwright-core, a fresh profile per run) against the mock over HTTPS, trusting only the
 * mock's certificate. A failing JWT grant streams into Requests without a reload and its trace names
 * the deciding check; uploading server.crt in App Manager makes the next grant succeed; freezing a
 * user makes the next grant answer `user is frozen` and shows in Login History; a form of another
 * origin, a post without Origin, a wrong form token and a post without the session cookie are each
 * refused and change nothing; axe-core finds no serious or critical violation on any page (light and
 * dark), and the skip link is the first Tab stop. No console or page error, nothing fetched but the
 * mock's own origin (and the other origin's page where that is the point). Screenshots of each page
 * are saved in a folder the run prints (not in the repository). Without /usr/bin/chromium the test
 * is skipped, and says why.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type StartedMockOrg, startMockOrg } from '../mock-server/adapters/node-server.ts';
import { frozenClock } from '../mock-server/core/clock.ts';
import { OUTCOMES } from '../mock-server/core/outcomes.ts';
import { resetMock } from '../mock-server/setup/harness.ts';
import { formBody, goodClaims, JWT_GRANT, NOW, signAssertion, testKeys, testStateDir, testWorld } from '../mock-server/testing/fixtures.ts';
import { DEFAULT_APPS } from '../mock-server/world/default-world.ts';
import { fetchTrusting } from '../src/client/https-fetch.ts';
import { CHROMIUM, chromiumArgs } from './chromium.ts';

const missing = !existsSync(CHROMIUM);
if (missing) console.warn(`console.browser.test.ts: skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`);

const UI = '/__sfjwt/ui';
const USER = 'integration@acme.com';
const APP = DEFAULT_APPS.selfAuthorized;
const world = testWorld();
const AXE = readFileSync(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const CERT_SHA256 = new X509Certificate(testKeys().certificatePem).fingerprint256;

// Another origin: a server of this test on another port of 127.0.0.1, whose page auto-submits a form to the console.
let target = '';
const otherSite = createServer((req, res) => {
  const csrf = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('csrf');
  const guessed = csrf === null ? '' : `<input type="hidden" name="csrf" value="${csrf}">`;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(
    `<!DOCTYPE html><html lang="en"><title>Another site</title><form method="post" action="${target}${UI}/setup/user-state"><input type="hidden" name="username" value="${USER}"><input type="hidden" name="frozen" value="true">${guessed}</form><script>document.forms[0].submit()</script></html>`,
  );
});
await new Promise<void>((resolve) => otherSite.listen(0, '127.0.0.1', resolve));
otherSite.unref();
const OTHER = `http://127.0.0.1:${(otherSite.address() as AddressInfo).port}`;

interface Watched {
  page: Page;
  problems: string[];
  origins: Set<string>;
}

describe.skipIf(missing)(`the web console in Chromium${missing ? ` (skipped: ${CHROMIUM} is missing)` : ''}`, () => {
  const stateDir = testStateDir('sfjwt-console-browser-');
  const shots = mkdtempSync(join(tmpdir(), 'sfjwt-console-screenshots-'));
  const files = mkdtempSync(join(tmpdir(), 'sfjwt-console-files-'));
  let mock: StartedMockOrg;
  let browser: Browser;
  let context: BrowserContext;
  let axeContext: BrowserContext;
  const open: Watched[] = [];

  beforeAll(async () => {
    // The clock is frozen (assertions are made for NOW); the Requests page's long poll waits on real time.
    mock = await startMockOrg({ world, clock: frozenClock(NOW), seed: 3, stateDir });
    target = mock.login;
    // launch() gives the browser a fresh, temporary profile of its own.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: chromiumArgs(stateDir),
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: mock.login });
    // The axe pass only: axe-core is injected as an inline script, which the console's CSP (its own script, by hash) forbids.
    axeContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    console.log(`console.browser.test.ts: screenshots in ${shots}`);
  });

  afterAll(async () => {
    await browser?.close();
    await mock?.close();
    otherSite.close();
    rmSync(files, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    for (const w of open.splice(0)) await w.page.close();
    resetMock(mock.org);
  });

  /** A page of `ctx` whose console errors, page errors and fetched origins are recorded, logged in to the console. */
  const newPage = async (ctx: BrowserContext = context): Promise<Watched> => {
    const page = await ctx.newPage();
    const w: Watched = { page, problems: [], origins: new Set() };
    page.on('console', (m) => void (m.type() === 'error' || m.type() === 'warning' ? w.problems.push(`console ${m.type()}: ${m.text()}`) : undefined));
    page.on('pageerror', (e) => w.problems.push(`page error: ${e.message}`));
    page.on('request', (r) => w.origins.add(new URL(r.url()).origin));
    open.push(w);
    await page.goto(`${mock.login}${UI}/login?token=${encodeURIComponent(mock.adminToken ?? '')}`);
    expect(page.url()).toBe(`${mock.login}${UI}/requests`);
    return w;
  };

  const clean = (w: Watched, origins: string[] = [mock.login], problems: string[] = []) => {
    expect(w.problems).toEqual(problems);
    expect([...w.origins].sort()).toEqual([...origins].sort());
  };

  /** A screenshot of the whole page, which is no wider than the window (long unbroken values such as the grant type wrap). */
  const shot = async (page: Page, name: string) => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  };
  // The text as the page shows it (innerText: a <br> is a break), with its white space collapsed.
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is asserted
  const text = async (page: Page, selector: string) => (await page.innerText(selector)).replace(/\s+/g, ' ').trim();
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is asserted
  const cells = (page: Page, selector: string) => page.locator(selector).evaluateAll((tds) => tds.map((td) => (td as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));

  const grant = async (claims: Record<string, unknown> = {}) => {
    const res = await fetchTrusting(mock.caPem)(`${mock.login}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: formBody({ grant_type: JWT_GRANT, assertion: signAssertion({ claims: goodClaims(world, claims) }) }),
    });
    return { status: res.status, body: await res.text() };
  };

  /** A console form post from node, with exactly the headers given (node:https adds no Origin or Sec-Fetch-*). */
  const post = (path: string, fields: Record<string, string>, headers: Record<string, string>) =>
    new Promise<{ status: number; body: string; location: string | undefined }>((resolve, reject) => {
      const body = formBody(fields);
      const req = httpsRequest(
        `${mock.login}${UI}/${path}`,
        { method: 'POST', ca: mock.caPem ?? undefined, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)), ...headers } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, location: res.headers.location }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string; cookie: string | undefined }>((resolve, reject) => {
      const req = httpsRequest(`${mock.login}${UI}/${path}`, { ca: mock.caPem ?? undefined, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, cookie: res.headers['set-cookie']?.[0] }));
      });
      req.on('error', reject);
      req.end();
    });

  /** After a form's button: the page the console went back to, with its "done" flash (else what it answered instead). */
  const done = async (page: Page) => {
    await page.waitForLoadState('load');
    if (!new URL(page.url()).searchParams.has('done')) throw new Error(`the console answered ${page.url()}: ${await text(page, 'main')}`);
  };

  const refusedMain = (message: string) => `<main id="main" tabindex="-1"><h1>Refused</h1><p>${message}</p></main>`;
  const frozen = () => mock.org.index.userByUsername(USER)?.frozen === true;

  it('a failing grant streams into Requests without a reload, and its trace names the deciding check, its fix and the redacted signature', async () => {
    const w = await newPage();
    const { page } = w;
    expect(await text(page, '#no-requests')).toBe('No request yet. Send one to the token endpoint and it appears here.');
    await page.evaluate(() => {
      (window as unknown as { sameDocument: string }).sameDocument = 'yes';
    });
    expect(await grant({ aud: 'https://test.salesforce.com' })).toEqual({ status: 400, body: '{"error":"invalid_grant","error_description":"audience is invalid"}' });
    const row = page.locator('tbody[data-live] tr');
    await row.first().waitFor({ timeout: 5_000 });
    expect(await cells(page, 'tbody[data-live] tr td')).toEqual([
      '12:00:00.000',
      'token',
      'login.salesforce.com',
      'POST /services/oauth2/token',
      'audienceInvalid',
      '400 invalid_grant: audience is invalid',
      USER,
      APP,
      'audience',
    ]);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: string }).sameDocument)).toBe('yes');
    expect(await page.locator('#no-requests').count()).toBe(0);
    expect(await text(page, '#live-status')).toBe('Live: new requests appear at the top.');
    await shot(page, 'requests');

    await Promise.all([page.waitForURL(`${mock.login}${UI}/requests/*`), row.first().getByRole('link').click()]);
    const id = mock.org.journal.list()[0]?.id ?? '';
    expect(page.url()).toBe(`${mock.login}${UI}/requests/${encodeURIComponent(id)}`);
    expect(await page.locator('tr.decided').count()).toBe(1);
    const fix = 'test.salesforce.com is the audience for sandboxes. For this production login host use "https://login.salesforce.com", or send sandbox logins to https://test.salesforce.com.';
    expect(await cells(page, 'tr.decided > *')).toEqual(['aud is an audience of the host (deciding check) audience', 'fail', 'https://login.salesforce.com', 'aud "https://test.salesforce.com"', fix]);
    expect(await text(page, 'main p:has(> strong:text-is("Fix:"))')).toBe(`Fix: ${fix}`);
    const assertion = JSON.parse((await page.locator('h2:text-is("The assertion, decoded") + pre').textContent()) ?? '{}');
    // An RS256 signature with a 2048-bit key is 256 bytes; it was never kept.
    expect(assertion).toEqual({ header: { alg: 'RS256' }, payload: goodClaims(world, { aud: 'https://test.salesforce.com' }), signature: '[redacted 256 bytes]' });
    expect(await page.getByRole('button', { name: 'Copy as curl' }).count()).toBe(1);
    // The button names what it did once clicked.
    const copy = page.locator('button[data-copy="curl"]');
    await copy.click();
    await expect.poll(() => copy.textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await page.textContent('#curl'));
    await shot(page, 'trace');
    clean(w);
  });

  it('removing the certificate fails the signature check; uploading server.crt in App Manager makes the next grant succeed', async () => {
    const w = await newPage();
    const { page } = w;
    await page.getByRole('link', { name: 'App Manager' }).click();
    await page.waitForURL(`${mock.login}${UI}/setup/apps`);
    await shot(page, 'app-manager');
    await page.getByRole('link', { name: APP, exact: true }).click();
    await page.waitForURL(`${mock.login}${UI}/setup/apps/${encodeURIComponent(APP)}`);
    expect(await cells(page, 'h2:text-is("Use digital signatures: certificates") + table tbody td:nth-child(3)')).toEqual([CERT_SHA256]);
    await shot(page, 'app');
    await page.getByRole('button', { name: 'Remove' }).click();
    await done(page);
    expect(await text(page, 'p.flash')).toBe('Done: remove certificate.');
    expect(await text(page, 'h2:text-is("Use digital signatures: certificates") + p')).toBe('No certificate: every JWT Bearer login with this app fails its signature check.');
    expect(await grant()).toEqual({ status: 400, body: '{"error":"invalid_grant","error_description":"invalid assertion"}' });
    expect(mock.org.journal.list()[0]?.decidedBy).toBe('signature');

    const crt = join(files, 'server.crt');
    writeFileSync(crt, testKeys().certificatePem);
    await page.getByLabel('Certificate file').setInputFiles(crt);
    // A textarea's value has its line ends as LF (the PEM file has CRLF).
    await expect.poll(() => page.getByLabel('Certificate (PEM)').inputValue()).toBe(testKeys().certificatePem.replace(/\r\n/g, '\n'));
    await page.getByRole('button', { name: 'Upload' }).click();
    await done(page);
    expect(await text(page, 'p.flash')).toBe('Done: upload certificate.');
    expect(await cells(page, 'h2:text-is("Use digital signatures: certificates") + table tbody td:nth-child(3)')).toEqual([CERT_SHA256]);
    await shot(page, 'app-uploaded');
    expect((await grant()).status).toBe(200);
    clean(w);
  });

  it('freezing a user makes the next grant answer "user is frozen", and Login History shows it', async () => {
    const w = await newPage();
    const { page } = w;
    await page.getByRole('link', { name: 'Users' }).click();
    await page.waitForURL(`${mock.login}${UI}/setup/users`);
    await shot(page, 'users');
    await page.getByRole('link', { name: USER, exact: true }).click();
    await page.waitForURL(`${mock.login}${UI}/setup/users/${encodeURIComponent(USER)}`);
    expect(await text(page, 'main p:text-is("No login yet.")')).toBe('No login yet.');
    await page.getByRole('button', { name: 'Freeze', exact: true }).click();
    await done(page);
    expect(await text(page, 'p.flash')).toBe('Done: user state.');
    expect(await text(page, 'main table tr:has(th:text-is("State")) td')).toBe('Frozen');
    expect(frozen()).toBe(true);
    expect(await grant()).toEqual({ status: 400, body: '{"error":"invalid_grant","error_description":"user is frozen"}' });

    await page.reload();
    const history = page.locator('h2:text-is("Login History") + table');
    const headers = await history.locator('thead th').allTextContents();
    const rows = await history.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(rows.length).toBe(1);
    expect(rows[0]?.[headers.indexOf('Status')]).toBe(OUTCOMES.frozenUser.loginHistory);
    expect(rows[0]?.[headers.indexOf('Status')]).toBe('User is frozen');
    expect(rows[0]?.[headers.indexOf('Login Time')]).toBe(new Date(NOW).toISOString());
    await shot(page, 'user');
    clean(w);
  });

  it("a form of another origin is refused with 403 and changes nothing; so are posts without Origin, with a wrong form token, and without the console's cookie", async () => {
    for (const csrf of [undefined, 'guessed-token']) {
      const w = await newPage();
      const { page } = w;
      const [response] = await Promise.all([page.waitForResponse((r) => r.url() === `${mock.login}${UI}/setup/user-state`), page.goto(`${OTHER}/form${csrf === undefined ? '' : `?csrf=${csrf}`}`)]);
      await page.waitForURL(`${mock.login}${UI}/setup/user-state`);
      expect(response.status()).toBe(403);
      expect(await text(page, 'main')).toBe(`Refused a form of another site (Origin: ${OTHER}) cannot change the mock`);
      expect(frozen()).toBe(false);
      if (csrf !== undefined) await shot(page, 'refused');
      // Chromium logs the refused navigation itself; nothing else may appear.
      clean(w, [OTHER, mock.login], ['console error: Failed to load resource: the server responded with a status of 403 (Forbidden)']);
    }

    const csrf = /name="csrf" value="([^"]+)"/.exec((await get(`setup/users/${encodeURIComponent(USER)}`)).body)?.[1] ?? '';
    expect(mock.adminToken).toEqual(expect.any(String));
    const setCookie = (await get(`login?token=${encodeURIComponent(mock.adminToken ?? '')}`)).cookie ?? '';
    const [cookie = '', ...attributes] = setCookie.split('; ');
    expect([csrf.length > 0, cookie.startsWith('sfjwt-console='), attributes]).toEqual([true, true, [`Path=${UI}`, 'HttpOnly', 'SameSite=Strict', 'Secure']]);
    const fields = { username: USER, frozen: 'true', csrf, back: 'setup/users' };
    const cases: [string, Record<string, string>, Record<string, string>, string][] = [
      ['no Origin, no Sec-Fetch-Site', fields, { Cookie: cookie }, 'a form of another site (Sec-Fetch-Site: absent) cannot change the mock'],
      ['Sec-Fetch-Site: cross-site', fields, { Cookie: cookie, 'Sec-Fetch-Site': 'cross-site' }, 'a form of another site (Sec-Fetch-Site: cross-site) cannot change the mock'],
      ['a wrong form token', { ...fields, csrf: 'guessed-token' }, { Cookie: cookie, Origin: mock.login }, 'the form token is missing or out of date: reload the page and send the form again'],
      ['no form token', { username: USER, frozen: 'true' }, { Cookie: cookie, Origin: mock.login }, 'the form token is missing or out of date: reload the page and send the form again'],
      ['no session cookie', fields, { Origin: mock.login }, 'the console needs the admin token first: open the console link the mock prints (…/__sfjwt/ui/login?token=…)'],
      [
        'a wrong session cookie',
        fields,
        { Origin: mock.login, Cookie: 'sfjwt-console=guessed' },
        'the console needs the admin token first: open the console link the mock prints (…/__sfjwt/ui/login?token=…)',
      ],
    ];
    for (const [name, form, headers, message] of cases) {
      const res = await post('setup/user-state', form, headers);
      expect({ name, status: res.status, refused: res.body.includes(refusedMain(message)), frozen: frozen() }).toEqual({ name, status: 403, refused: true, frozen: false });
    }
    // The same post with all three (Origin, form token, cookie) does change the mock.
    expect(await post('setup/user-state', fields, { Cookie: cookie, Origin: mock.login })).toEqual({
      status: 303,
      body: '',
      location: `${UI}/setup/users?done=${encodeURIComponent('Done: user state.')}`,
    });
    expect(frozen()).toBe(true);
  });

  it('axe-core finds no serious or critical violation on any console page, light or dark; the skip link is the first Tab stop and moves focus to main', async () => {
    expect(await grant()).toMatchObject({ status: 200 });
    const id = mock.org.journal.list()[0]?.id ?? '';
    const pages = [
      ['requests', 'requests'],
      ['trace', `requests/${encodeURIComponent(id)}`],
      ['app-manager', 'setup/apps'],
      ['app', `setup/apps/${encodeURIComponent(APP)}`],
      ['users', 'setup/users'],
      ['user', `setup/users/${encodeURIComponent(USER)}`],
      ['faults', 'faults'],
    ] as const;
    const w = await newPage(axeContext);
    const { page } = w;
    const found: { page: string; scheme: string; id: string; impact: string; help: string; nodes: string[] }[] = [];
    const unchecked: string[] = [];
    for (const [name, path] of pages) {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(`${mock.login}${UI}/${path}`);
        await page.addScriptTag({ content: AXE });
        const result = await page.evaluate(() =>
          (
            window as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]; passes: { id: string }[] }> } }
          ).axe.run(),
        );
        for (const v of result.violations)
          if (v.impact === 'serious' || v.impact === 'critical') found.push({ page: name, scheme, id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) });
        // axe did run: the contrast of the page's text was checked and passed.
        if (!result.passes.some((p) => p.id === 'color-contrast')) unchecked.push(`${name} ${scheme}`);
        await shot(page, `${name}-${scheme}`);
      }
    }
    if (found.length > 0) console.log(`console.browser.test.ts: axe violations:\n${JSON.stringify(found, null, 2)}`);
    expect(found).toEqual([]);
    expect(unchecked).toEqual([]);
    clean(w);

    // The keyboard, in the console's own context (its CSP in force).
    const k = await newPage();
    for (const [, path] of pages) {
      await k.page.goto(`${mock.login}${UI}/${path}`);
      await k.page.keyboard.press('Tab');
      expect(await k.page.evaluate(() => [document.activeElement?.tagName, document.activeElement?.textContent])).toEqual(['A', 'Skip to the content']);
      await k.page.keyboard.press('Enter');
      expect(await k.page.evaluate(() => document.activeElement?.id)).toBe('main');
      await k.page.keyboard.press('Tab');
      expect(await k.page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
    }
    clean(k);
  });
});
