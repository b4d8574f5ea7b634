/**
 * The field guide page as a reader opens it: written by writeGuide, loaded from file:// in headless
 * Chromium (Debian's /usr/bin/chromium driven by playwright-core, offline, a fresh profile). With its
 * Content-Security-Policy in force: no console or page error (a style or script the policy refused
 * would be one), nothing requested but the file itself, the stylesheet applied, the sequence diagram
 * drawn (every lane and message laid out, with its title), the skip link the first Tab stop and the
 * contents' links landing on their sections. In light and in dark: axe-core finds no violation at all,
 * and the page's colours follow the scheme. Screenshots are saved in a folder the run prints. Without
 * /usr/bin/chromium the tests are skipped, and say why.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGuideModel } from '../src/training/guide-model.ts';
import { writeGuide } from '../src/training/guide-write.ts';
import { CHROMIUM } from './chromium.ts';

const missing = !existsSync(CHROMIUM);
if (missing) console.warn(`guide.browser.test.ts: skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`);

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const AXE = readFileSync(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

type AxeResult = { violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]; passes: { id: string }[] };

describe.skipIf(missing)(`the field guide in Chromium${missing ? ` (skipped: ${CHROMIUM} is missing)` : ''}`, () => {
  // The folder stays after the run: it holds the page and its screenshots.
  const dir = mkdtempSync(join(tmpdir(), 'sfjwt-guide-page-'));
  const model = buildGuideModel();
  const url = pathToFileURL(join(dir, 'guide', 'index.html')).href;
  const problems: string[] = [];
  const requests: string[] = [];
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    writeGuide(model, join(dir, 'guide'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true });
    page = await context.newPage();
    page.on('console', (m) => void (m.type() === 'error' || m.type() === 'warning' ? problems.push(`console ${m.type()}: ${m.text()}`) : undefined));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url);
    console.log(`guide.browser.test.ts: the page and its screenshots are in ${join(dir, 'guide')}`);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens with its stylesheet applied, no error, and nothing fetched but the file', async () => {
    expect(await page.title()).toBe(model.title);
    expect(await page.$eval('body', (b) => getComputedStyle(b).fontFamily)).toContain('system-ui');
    expect(requests.filter((r) => r !== url && !r.startsWith('data:'))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('draws the sequence diagram: every lane and message laid out, with its title', async () => {
    const drawn = await page.$eval('svg.seq', (svg) => ({
      width: svg.getBoundingClientRect().width,
      height: svg.getBoundingClientRect().height,
      lanes: [...svg.querySelectorAll('.seq-lane')].map((t) => t.textContent),
      messages: [...svg.querySelectorAll('.seq-msg')].filter((g) => (g as SVGGElement).getBBox().width > 0).length,
      title: svg.querySelector('title')?.textContent,
      stroke: getComputedStyle(svg.querySelector('.seq-arrow') as Element).stroke,
    }));
    expect(drawn.width).toBeGreaterThan(600);
    expect(drawn.height).toBeGreaterThan(400);
    expect(drawn.lanes).toEqual(model.diagram.lanes.map((l) => l.label));
    expect(drawn.messages).toBe(model.diagram.messages.length);
    expect(drawn.title).toBe(model.diagram.title);
    expect(drawn.stroke).not.toBe('none');
  });

  it('the skip link is the first Tab stop and lands on the guide; the contents link to their sections', async () => {
    await page.reload();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => [document.activeElement?.tagName, document.activeElement?.textContent])).toEqual(['A', 'Skip to the guide']);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    const targets = await page.$$eval('nav.contents a', (links) => links.map((a) => document.getElementById((a.getAttribute('href') ?? '').slice(1))?.tagName ?? null));
    expect(targets).toEqual(Array(targets.length).fill('SECTION'));
    await page.click('a[href="#scenario-grant-type.grand-type"]');
    expect(await page.evaluate(() => location.hash)).toBe('#scenario-grant-type.grand-type');
    expect(problems).toEqual([]);
  });

  it.each(['light', 'dark'] as const)('axe-core finds no violation in the %s scheme, and the colours follow it', async (scheme) => {
    // axe is injected as a script, which the page's own policy refuses: a context of its own bypasses it.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, offline: true, bypassCSP: true, colorScheme: scheme });
    const p = await context.newPage();
    await p.goto(url);
    const background = await p.$eval('body', (b) => getComputedStyle(b).backgroundColor);
    expect(background).toBe(scheme === 'light' ? 'rgb(246, 247, 249)' : 'rgb(20, 23, 28)');
    await p.addScriptTag({ content: AXE });
    const result = await p.evaluate(() => (window as unknown as { axe: { run: () => Promise<AxeResult> } }).axe.run());
    const found = result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
    expect(found).toEqual([]);
    // axe did run: the contrast of the page's text was checked and passed.
    expect(result.passes.map((x) => x.id)).toContain('color-contrast');
    await p.screenshot({ path: join(dir, 'guide', `screenshot-${scheme}.png`) });
    await p.locator('figure').screenshot({ path: join(dir, 'guide', `diagram-${scheme}.png`) });
    await context.close();
  });
});
