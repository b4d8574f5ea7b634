/**
 * The report page as a person opens it: written to disk by writeRunReport, loaded from file:// in
 * headless Chromium (Debian's /usr/bin/chromium driven by playwright-core, offline, fresh profile).
 * No console error, no page error, no request leaving the file; the scenario × target matrix comes
 * first and each of its cells names its result's verdict and links to it (by mouse and keyboard); the
 * filters hide and show the right results and rows, and the headings count what is shown; a <details>
 * opens; landmarks and labels are there; a strict XML parser in the browser accepts the page and the
 * JUnit file. Screenshots (light and dark) are saved in the run folder. Without /usr/bin/chromium the
 * tests are skipped, and say why.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFixture } from './fixtures.ts';
import { writeRunReport } from './write.ts';

const CHROMIUM = '/usr/bin/chromium';
const missing = !existsSync(CHROMIUM);
if (missing) console.warn(`html.browser.test.ts: skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`);

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe.skipIf(missing)(`the HTML report in Chromium${missing ? ` (skipped: ${CHROMIUM} is missing)` : ''}`, () => {
  const problems: string[] = [];
  const requests: string[] = [];
  let profile: string;
  let runDir: string;
  let url: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // The run folder stays after the run (it holds the screenshots); the browser profile does not.
    runDir = writeRunReport(reportFixture(), mkdtempSync(join(tmpdir(), 'sfjwt-html-'))).runDir;
    url = pathToFileURL(join(runDir, 'run.html')).href;
    profile = mkdtempSync(join(tmpdir(), 'sfjwt-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1280, height: 900 }, offline: true });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => void (m.type() === 'error' || m.type() === 'warning' ? problems.push(`console ${m.type()}: ${m.text()}`) : undefined));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url);
  });

  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  const visible = () => page.$$eval('details.result', (all) => all.filter((d) => !(d as HTMLElement).hidden).map((d) => `${d.id} ${d.getAttribute('data-verdict')}`));
  const visibleRows = () => page.$$eval('tr.grid-row', (all) => all.filter((r) => !(r as HTMLElement).hidden).map((r) => r.querySelector('code')?.textContent));
  /** The headings of the matrix and of each result group still shown, with their counts. */
  const headings = () =>
    page.$$eval('#matrix h2, section.group h2', (all) => all.filter((h) => (h.closest('section') as HTMLElement).hidden === false).map((h) => h.textContent?.replace(/\s+/g, ' ').trim()));

  it('loads with the filter bar shown, no console or page error, nothing fetched but the file', async () => {
    expect(await page.isVisible('#filters')).toBe(true);
    expect(await page.textContent('#shown')).toBe('8 of 8 results shown');
    expect(requests.filter((r) => r !== url && !r.startsWith('data:'))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("leads with the matrix: every cell names its result's verdict and links to it", async () => {
    await page.reload();
    const order = await page.evaluate(() => {
      const matrix = document.getElementById('matrix') as HTMLElement;
      const first = document.querySelector('details.result') as HTMLElement;
      return Boolean(matrix.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(order).toBe(true);
    const cells = await page.$$eval('#matrix td[data-verdict]', (all) =>
      all.map((td) => {
        const href = td.querySelector('a')?.getAttribute('href') ?? '';
        const target = document.getElementById(href.slice(1));
        return [td.querySelector('.badge')?.textContent, target?.querySelector('summary .badge')?.textContent, target?.getAttribute('data-target') === td.getAttribute('data-target')];
      }),
    );
    expect(cells).toHaveLength(8);
    for (const [cell, result, sameTarget] of cells) {
      expect(cell).toBe(result);
      expect(sameTarget).toBe(true);
    }
    expect(await headings()).toEqual(['Scenarios × targets (4)', 'Needs attention: diverged, then failed (2)', 'Passed (5)', 'Skipped (1)']);
  });

  it.each([
    [
      'only divergences and failures',
      { uncheck: ['verdict:pass', 'verdict:skip'] },
      ['r-claims.iss-capitalised-1 divergence', 'r-aud.test-at-login-0 fail'],
      ['claims.iss-capitalised', 'aud.test-at-login'],
      ['Scenarios × targets (2 of 4 shown)', 'Needs attention: diverged, then failed (2)'],
    ],
    [
      'failures on the mock only',
      { uncheck: ['verdict:pass', 'verdict:skip', 'target:1'] },
      ['r-aud.test-at-login-0 fail'],
      ['aud.test-at-login'],
      ['Scenarios × targets (1 of 4 shown)', 'Needs attention: diverged, then failed (1 of 2 shown)'],
    ],
    [
      'the tag "claims"',
      { tag: 'claims' },
      ['r-claims.iss-capitalised-1 divergence', 'r-claims.iss-capitalised-0 pass'],
      ['claims.iss-capitalised'],
      ['Scenarios × targets (1 of 4 shown)', 'Needs attention: diverged, then failed (1 of 2 shown)', 'Passed (1 of 5 shown)'],
    ],
    ['skips', { uncheck: ['verdict:pass', 'verdict:fail', 'verdict:divergence'] }, ['r-user.frozen-1 skip'], ['user.frozen'], ['Scenarios × targets (1 of 4 shown)', 'Skipped (1)']],
  ])('filters to %s, and the headings count what is shown', async (_name, filter: { uncheck?: string[]; tag?: string }, results, rows, counted) => {
    await page.reload();
    for (const box of filter.uncheck ?? []) {
      const [name, value] = box.split(':');
      await page.uncheck(`#filters input[name="${name}"][value="${value}"]`);
    }
    if (filter.tag !== undefined) await page.selectOption('#filters select[name="tag"]', filter.tag);
    expect(await visible()).toEqual(results);
    expect(await visibleRows()).toEqual(rows);
    expect(await page.textContent('#shown')).toBe(`${results.length} of 8 results shown`);
    expect(await headings()).toEqual(counted);
    expect(problems).toEqual([]);
  });

  it('opens a result when its summary is clicked, and from a link in the grid', async () => {
    await page.reload();
    const pass = page.locator('#r-baseline\\.login-0');
    expect(await pass.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await pass.locator('summary').click();
    expect(await pass.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    // Fifteen checks passed as they usually do (one row naming them); app-access passed as only here.
    expect(await pass.locator('table.checks tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/^1–15host path method tls grant-type assertion alg issuer signature audience expiry user user-state ip-restriction rate-limit passed as usual$/),
      expect.stringMatching(/^16app-accessUser may use the apppass/),
    ]);
    expect(await page.locator('#checks table.checks tbody tr').count()).toBe(15);
    expect(await pass.locator('text=Nothing to fix').isVisible()).toBe(true);
    await page.click('td[data-column="1"] a[href="#r-user.frozen-1"]');
    expect(await page.locator('#r-user\\.frozen-1').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(problems).toEqual([]);
  });

  it('a result hidden by a filter opens from the matrix by keyboard, and the counts say what is shown', async () => {
    await page.reload();
    await page.uncheck('#filters input[name="verdict"][value="skip"]');
    expect(await page.locator('#r-user\\.frozen-1').isHidden()).toBe(true);
    await page.uncheck('#filters input[name="verdict"][value="pass"]');
    await page.check('#filters input[name="verdict"][value="skip"]');
    await page.focus('td[data-column="1"] a[href="#r-user.frozen-1"]');
    await page.keyboard.press('Enter');
    const frozen = page.locator('#r-user\\.frozen-1');
    expect(await frozen.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await frozen.isVisible()).toBe(true);
    // The summary is a native control: Space on it closes and opens the result.
    await frozen.locator('summary').focus();
    await page.keyboard.press('Space');
    expect(await frozen.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(problems).toEqual([]);
  });

  it('has the landmarks, and every control a label', async () => {
    await page.reload();
    const roles = await page.evaluate(() => ({
      banner: document.querySelectorAll('body > header').length,
      main: document.querySelectorAll('main').length,
      navigation: document.querySelectorAll('nav[aria-label]').length,
      search: document.querySelectorAll('form[role="search"][aria-label]').length,
      contentinfo: document.querySelectorAll('body > footer').length,
    }));
    expect(roles).toEqual({ banner: 1, main: 1, navigation: 1, search: 1, contentinfo: 1 });
    const unlabelled = await page.$$eval('input, select', (all) => all.filter((c) => ((c as HTMLInputElement).labels?.length ?? 0) === 0).map((c) => c.outerHTML));
    expect(unlabelled).toEqual([]);
    // Each section is named by its heading.
    const unnamed = await page.$$eval('main section', (all) => all.filter((s) => document.getElementById(s.getAttribute('aria-labelledby') ?? '') === null).map((s) => s.id));
    expect(unnamed).toEqual([]);
  });

  it('is well-formed for a strict XML parser, and so is the JUnit file', async () => {
    const files = { page: readFileSync(join(runDir, 'run.html'), 'utf8'), junit: readFileSync(join(runDir, 'junit.xml'), 'utf8') };
    // In a blank page of its own: parsed inside the report, the copy would fall under the report's
    // Content-Security-Policy, and as XML its style's text (CDATA markers gone) has another hash.
    const blank = await context.newPage();
    const errors = await blank.evaluate(({ page: html, junit }) => {
      const parse = (text: string, type: DOMParserSupportedType) => new DOMParser().parseFromString(text, type).getElementsByTagName('parsererror')[0]?.textContent ?? '';
      return [parse(html, 'application/xhtml+xml'), parse(junit, 'application/xml')];
    }, files);
    await blank.close();
    expect(errors).toEqual(['', '']);
  });

  /**
   * The whole page through the DevTools protocol, with the viewport as tall as the page so that the
   * sticky filter bar stays where it belongs. (page.screenshot() injects a <style> into the page, which
   * the page's Content-Security-Policy rightly refuses, with a console error that is not the page's.)
   */
  async function screenshot(file: string): Promise<void> {
    const [width = 1280, height = 900] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
    await page.setViewportSize({ width, height });
    const cdp = await context.newCDPSession(page);
    const shot = (await cdp.send('Page.captureScreenshot', { format: 'png', clip: { x: 0, y: 0, width, height, scale: 1 } })) as { data: string };
    await cdp.detach();
    await page.setViewportSize({ width: 1280, height: 900 });
    writeFileSync(file, Buffer.from(shot.data, 'base64'));
  }

  it('saves screenshots in the run folder (light and dark)', async () => {
    await page.goto(url);
    await screenshot(join(runDir, 'screenshot.png'));
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(join(runDir, 'screenshot-dark.png'));
    expect(readFileSync(join(runDir, 'screenshot.png')).subarray(1, 4).toString()).toBe('PNG');
    console.log(`screenshots: ${join(runDir, 'screenshot.png')}, ${join(runDir, 'screenshot-dark.png')}`);
    expect(problems).toEqual([]);
  });
});
