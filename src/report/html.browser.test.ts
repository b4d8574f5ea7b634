/**
 * The report page as a person opens it: written to disk by writeRunReport, loaded from file:// in
 * headless Chromium (Debian's /usr/bin/chromium driven by playwright-core, offline, fresh profile).
 * No console error, no page error, no request leaving the file; the filters hide and show the right
 * results; a <details> opens; the grid's links open their result; a strict XML parser in the browser
 * accepts the page and the JUnit file. Screenshots (light and dark) are saved in the run folder.
 * Without /usr/bin/chromium the tests are skipped, and say why.
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

  it('loads with the filter bar shown, no console or page error, nothing fetched but the file', async () => {
    expect(await page.isVisible('#filters')).toBe(true);
    expect(await page.textContent('#shown')).toBe('8 of 8 results shown');
    expect(requests.filter((r) => r !== url && !r.startsWith('data:'))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it.each([
    [
      'only divergences and failures',
      { uncheck: ['verdict:pass', 'verdict:skip'] },
      ['r-claims.iss-capitalised-1 divergence', 'r-aud.test-at-login-0 fail'],
      ['claims.iss-capitalised', 'aud.test-at-login'],
    ],
    ['failures on the mock only', { uncheck: ['verdict:pass', 'verdict:skip', 'target:1'] }, ['r-aud.test-at-login-0 fail'], ['aud.test-at-login']],
    ['the tag "claims"', { tag: 'claims' }, ['r-claims.iss-capitalised-1 divergence', 'r-claims.iss-capitalised-0 pass'], ['claims.iss-capitalised']],
    ['skips', { uncheck: ['verdict:pass', 'verdict:fail', 'verdict:divergence'] }, ['r-user.frozen-1 skip'], ['user.frozen']],
  ])('filters to %s', async (_name, filter: { uncheck?: string[]; tag?: string }, results, rows) => {
    await page.reload();
    for (const box of filter.uncheck ?? []) {
      const [name, value] = box.split(':');
      await page.uncheck(`#filters input[name="${name}"][value="${value}"]`);
    }
    if (filter.tag !== undefined) await page.selectOption('#filters select[name="tag"]', filter.tag);
    expect(await visible()).toEqual(results);
    expect(await visibleRows()).toEqual(rows);
    expect(await page.textContent('#shown')).toBe(`${results.length} of 8 results shown`);
    expect(problems).toEqual([]);
  });

  it('opens a result when its summary is clicked, and from a link in the grid', async () => {
    await page.reload();
    const pass = page.locator('#r-baseline\\.login-0');
    expect(await pass.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await pass.locator('summary').click();
    expect(await pass.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await pass.locator('table.checks tbody tr').count()).toBe(16);
    expect(await pass.locator('text=Nothing to fix').isVisible()).toBe(true);
    await page.click('td[data-column="1"] a[href="#r-user.frozen-1"]');
    expect(await page.locator('#r-user\\.frozen-1').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(problems).toEqual([]);
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
