/**
 * The console's Labs page in a real browser (Debian's Chromium through playwright-core, trusting
 * only the mock's certificate), on the training ground as `sfjwt serve` runs it: a trainee with only
 * a browser starts the frozen-user lab, sees the story and the symptom, asks for a hint, sends the
 * integration's request from the editor and gets the symptom, Check says not yet; the fix on the
 * user's page (Unfreeze), a second Send and Check say solved, and the list marks the lab solved.
 * Then the request-side lab of the `Iss` claim is fixed in the editor itself. axe-core finds no
 * serious or critical violation on the Labs page, light or dark; nothing is fetched but the mock's
 * own origin and no console error is logged. Without /usr/bin/chromium the test is skipped and says why.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedMockOrg, startMockOrg } from '../mock-server/adapters/node-server.ts';
import { frozenClock } from '../mock-server/core/clock.ts';
import { findLab } from '../mock-server/labs/catalogue.ts';
import { NOW, testStateDir } from '../mock-server/testing/fixtures.ts';
import { CHROMIUM, chromiumArgs } from './chromium.ts';

const missing = !existsSync(CHROMIUM);
if (missing) console.warn(`labs.browser.test.ts: skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`);
const AXE = readFileSync(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const UI = '/__sfjwt/ui';

describe.skipIf(missing)(`the Labs page in Chromium${missing ? ` (skipped: ${CHROMIUM} is missing)` : ''}`, () => {
  const stateDir = testStateDir('sfjwt-labs-browser-');
  let mock: StartedMockOrg;
  let browser: Browser;
  const problems: string[] = [];
  const origins = new Set<string>();

  beforeAll(async () => {
    // The default world, as serve runs it: its labs are attached.
    mock = await startMockOrg({ clock: frozenClock(NOW), seed: 3, stateDir });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs(stateDir) });
  });

  afterAll(async () => {
    await browser?.close();
    await mock?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const open = async (bypassCSP = false): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP });
    const page = await context.newPage();
    page.on('console', (m) => void (m.type() === 'error' || m.type() === 'warning' ? problems.push(`console ${m.type()}: ${m.text()}`) : undefined));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => origins.add(new URL(r.url()).origin));
    await page.goto(`${mock.login}${UI}/login?token=${encodeURIComponent(mock.adminToken ?? '')}`);
    await page.goto(`${mock.login}${UI}/labs`);
    return page;
  };
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is asserted
  const text = async (page: Page, selector: string) => (await page.innerText(selector)).replace(/\s+/g, ' ').trim();
  const click = async (page: Page, name: string) => {
    await Promise.all([page.waitForURL(/\/labs\?(done|refused)=/), page.getByRole('button', { name, exact: true }).click()]);
  };

  it('a trainee does the frozen-user lab with the browser alone', async () => {
    const lab = findLab('frozen-user');
    if (lab === undefined) throw new Error('frozen-user');
    const page = await open();
    await click(page, 'Start lab 11');
    expect(await text(page, 'main h2')).toBe(`Lab 11: ${lab.title}`);
    expect(await text(page, 'main')).toContain(lab.story);
    expect(await text(page, 'main')).not.toContain(lab.hints[0]);
    await click(page, 'Show hint 1 of 3');
    expect(await text(page, 'main ol')).toBe(lab.hints[0]);

    await click(page, 'Send');
    expect(await text(page, '.flash')).toBe('Sent: HTTP 400.');
    expect(await page.locator('h3:text("The answer") + pre').textContent()).toBe(`HTTP 400\n${lab.symptom.body}`);
    await click(page, 'Check');
    expect(await text(page, '[role="status"].card p')).toBe('Not yet: HTTP 400 invalid_grant: user is frozen.');

    await page.goto(`${mock.login}${UI}/setup/users/${encodeURIComponent('frozen@acme.com')}`);
    await Promise.all([page.waitForURL(/done=/), page.getByRole('button', { name: 'Unfreeze' }).click()]);
    await page.goto(`${mock.login}${UI}/labs`);
    await click(page, 'Send');
    await click(page, 'Check');
    expect(await text(page, '[role="status"].card p')).toBe('Solved: frozen@acme.com logged in with Acme Integration.');
    expect(await text(page, 'tr[aria-current="true"]')).toBe(`11 ${lab.title} solved Restart lab 11`);
  });

  it('a request-side lab is fixed in the editor itself, and what was typed stays there', async () => {
    const page = await open();
    await click(page, 'Start lab 3');
    const editor = page.locator('textarea[name="draft"]');
    const starter = await editor.inputValue();
    expect(JSON.parse(starter)).toMatchObject({ url: 'https://login.salesforce.com/services/oauth2/token', jwt: { claims: { Iss: expect.any(String) } } });
    await editor.fill(starter.replace('"Iss"', '"iss"'));
    await click(page, 'Send');
    expect(await text(page, '.flash')).toBe('Sent: HTTP 200.');
    expect(await editor.inputValue()).toContain('"iss"');
    expect(await page.locator('h3:text("The answer") + pre').textContent()).toMatch(/^HTTP 200\n\{"access_token":"…\(redacted\)",/);
    await click(page, 'Check');
    expect(await text(page, '[role="status"].card p')).toBe('Solved: integration@acme.com logged in with Acme Integration.');
  });

  it('axe-core finds no serious or critical violation on the Labs page, light or dark; nothing else was fetched', async () => {
    const page = await open(true);
    const found: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${mock.login}${UI}/labs`);
      await page.addScriptTag({ content: AXE });
      const result = await page.evaluate(() =>
        (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[]; passes: { id: string }[] }> } }).axe.run(),
      );
      for (const v of result.violations) if (v.impact === 'serious' || v.impact === 'critical') found.push(`${scheme} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(result.passes.some((p) => p.id === 'color-contrast')).toBe(true);
    }
    expect(found).toEqual([]);
    expect(problems).toEqual([]);
    expect([...origins]).toEqual([mock.login]);
  });
});
