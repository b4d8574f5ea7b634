/**
 * The renderers against a run written by hand: each output is compared byte for byte with its golden
 * file in __golden__/ (UPDATE_GOLDEN=1 rewrites them; review the diff), the JUnit XML and the HTML page
 * are read back with an XML parser and their structure checked, and a run full of hostile text must
 * come out escaped: parseable, with the text intact where XML can hold it, and never as markup.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../runner/run.ts';
import { stripIllegalXml } from './escape.ts';
import { HOSTILE, hostileReport, reportFixture } from './fixtures.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { renderJson } from './write.ts';

const GOLDEN = new URL('./__golden__/', import.meta.url);
const RENDERERS: [string, (report: RunReport) => string][] = [
  ['run.json', renderJson],
  ['run.md', renderMarkdown],
  ['run.html', renderHtml],
  ['junit.xml', renderJunit],
];

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  htmlEntities: true,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => ['testsuite', 'testcase', 'property', 'details', 'section', 'tr', 'td', 'meta', 'script', 'option', 'label'].includes(name),
});

type Node = Record<string, unknown>;
const nodes = (value: unknown): Node[] => (Array.isArray(value) ? (value as Node[]) : value === undefined ? [] : [value as Node]);

/** Every element named `name` anywhere under `node`, depth first. */
function all(node: unknown, name: string): Node[] {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap((n) => all(n, name));
  return Object.entries(node as Node).flatMap(([key, value]) => [...(key === name ? nodes(value) : []), ...all(value, name)]);
}

describe('golden files', () => {
  it.each(RENDERERS)('%s matches its golden file', (file, render) => {
    const output = render(reportFixture());
    const golden = new URL(file, GOLDEN);
    if (process.env['UPDATE_GOLDEN'] === '1') {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(golden, output);
    }
    expect(existsSync(golden), `${file} has no golden file: run UPDATE_GOLDEN=1 npx vitest run src/report and review it`).toBe(true);
    expect(output).toBe(readFileSync(golden, 'utf8'));
  });

  it.each(RENDERERS)('%s is a pure function of the run', (_file, render) => {
    const report = reportFixture();
    expect(render(report)).toBe(render(report));
    expect(report).toEqual(reportFixture());
  });
});

describe('JUnit XML', () => {
  it('has one suite per target and one case per scenario, with counts, failure types and skips', () => {
    const text = renderJunit(reportFixture());
    expect(XMLValidator.validate(text)).toBe(true);
    const root = xml.parse(text).testsuites as Node;
    expect(root).toMatchObject({ tests: '8', failures: '2', errors: '0', skipped: '1', time: '4.250' });
    const suites = nodes(root['testsuite']);
    expect(suites.map((s) => [s['name'], s['tests'], s['failures'], s['skipped']])).toEqual([
      ['mock (in-process)', '4', '1', '0'],
      ['uat', '4', '1', '1'],
    ]);
    const cases: Node[] = suites.flatMap((s) => nodes(s['testcase']).map((c) => ({ suite: s['name'], ...c })));
    expect(cases.map((c) => [c['suite'], c['classname'], c['name'], c['failure'] === undefined ? '' : (c['failure'] as Node)['type'], c['skipped'] === undefined ? '' : 'skipped'])).toEqual([
      ['mock (in-process)', 'baseline', 'baseline.login: A correct request to login.salesforce.com gets a token', '', ''],
      ['mock (in-process)', 'claims', 'claims.iss-capitalised: "Iss" instead of "iss"', '', ''],
      ['mock (in-process)', 'aud', 'aud.test-at-login: aud `https://test.salesforce.com` | posted to login.salesforce.com', 'failed', ''],
      ['mock (in-process)', 'user', 'user.frozen: The user named by sub is frozen', '', ''],
      ['uat', 'baseline', 'baseline.login: A correct request to login.salesforce.com gets a token', '', ''],
      ['uat', 'claims', 'claims.iss-capitalised: "Iss" instead of "iss"', 'diverged', ''],
      ['uat', 'aud', 'aud.test-at-login: aud `https://test.salesforce.com` | posted to login.salesforce.com', '', ''],
      ['uat', 'user', 'user.frozen: The user named by sub is frozen', '', 'skipped'],
    ]);
    const failure = cases[5]?.['failure'] as Node;
    expect(failure['#text']).toContain('Expected: 400 invalid_client_id: client identifier invalid\nActual:   400 invalid_grant: invalid assertion');
    expect(cases.map((c) => c['time'])).toEqual(['0.031', '0.009', '0.009', '0.007', '0.412', '0.388', '0.401', '0.001']);
  });

  it('keeps hostile text as text: parseable, intact where XML can hold it', () => {
    const text = renderJunit(hostileReport());
    expect(XMLValidator.validate(text)).toBe(true);
    expect(text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    expect(text).not.toContain('<script>');
    const suites = nodes((xml.parse(text).testsuites as Node)['testsuite']);
    expect(suites[1]?.['name']).toBe(stripIllegalXml(`uat ${HOSTILE}`));
    const divergence = nodes(suites[1]?.['testcase']).find((c) => c['failure'] !== undefined)?.['failure'] as Node;
    expect(divergence['message']).toBe(stripIllegalXml(HOSTILE));
    expect(divergence['#text']).toContain(`Fix: ${stripIllegalXml(HOSTILE)}`);
  });
});

describe('HTML page', () => {
  it.each([
    ['the fixture', reportFixture],
    ['the hostile run', hostileReport],
  ])('%s is well-formed XHTML with one <details> per result and unique ids', (_name, make) => {
    const report = make();
    const text = renderHtml(report);
    expect(XMLValidator.validate(text)).toBe(true);
    const html = xml.parse(text).html as Node;
    const details = all(html, 'details');
    expect(details).toHaveLength(report.results.length);
    expect(new Set(details.map((d) => d['id'])).size).toBe(report.results.length);
    expect(all(html, 'script')).toHaveLength(1);
    expect(text.match(/<script/g)).toHaveLength(1);
    expect(text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    // Self-contained: nothing is loaded (no src, no stylesheet or icon from elsewhere); links only navigate.
    expect(text).not.toMatch(/\ssrc=/);
    expect([...text.matchAll(/<link [^>]*>/g)].map((m) => m[0])).toEqual(['<link rel="icon" href="data:,"/>']);
    expect(text).not.toContain('href="javascript:');
  });

  it('allows only its own style and script, by hash', () => {
    const text = renderHtml(reportFixture());
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(text)?.[1] ?? '';
    const hash = (tag: string) =>
      `'sha256-${createHash('sha256')
        .update(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(text)?.[1] ?? '')
        .digest('base64')}'`;
    expect(csp).toBe(`default-src 'none'; style-src ${hash('style')}; script-src ${hash('script')}; img-src data:; base-uri 'none'; form-action 'none'`);
  });

  it('shows divergences, then failures, before passes and skips', () => {
    const text = renderHtml(reportFixture());
    const order = [...text.matchAll(/<details class="result (\w+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['divergence', 'fail', 'pass', 'pass', 'pass', 'pass', 'pass', 'skip']);
  });
});

describe('HTML traces, told by what differs', () => {
  /** The fixture with a second mock whose traces are the first mock's: the same, or with another exp. */
  function twoMocks(change: (trace: NonNullable<RunReport['results'][number]['trace']>) => void): RunReport {
    const report = reportFixture();
    report.targets.splice(1, 0, { name: 'mock (HTTPS)', kind: 'mock-https' });
    const copies = report.results
      .filter((r) => r.targetKind === 'mock-msw')
      .map((r) => {
        const copy = structuredClone({ ...r, target: 'mock (HTTPS)', targetKind: 'mock-https' as const });
        if (copy.trace !== undefined) {
          copy.trace = { ...copy.trace, id: `${copy.trace.id}-https`, time: '2026-03-01T12:00:09.000Z' };
          change(copy.trace);
        }
        return copy;
      });
    report.results.splice(4, 0, ...copies);
    return report;
  }

  it('a trace the same as an earlier one of its scenario (but for id and time) is one sentence with a link', () => {
    const text = renderHtml(twoMocks(() => {}));
    const later = /<details [^>]*id="r-baseline\.login-1"[\s\S]*?<\/details>/.exec(text)?.[0] ?? '';
    expect(later).toContain('trace-1-https at 2026-03-01T12:00:09.000Z');
    expect(later).toContain('<p class="muted">The same request, answer and checks as <a href="#r-baseline.login-0">the trace on mock (in-process)</a>.</p>');
    expect(later).not.toContain('<table class="checks">');
  });

  it('a trace with another exp shows only that claim and the rows that differ; the rest is as there or as usual', () => {
    const text = renderHtml(
      twoMocks((trace) => {
        if (trace.request.assertion !== undefined) trace.request.assertion.payload['exp'] = 1772366590;
        const expiry = trace.checks.find((c) => c.check === 'expiry');
        if (expiry !== undefined) expiry.actual = 'exp 1772366590';
      }),
    );
    const later = /<details [^>]*id="r-aud\.test-at-login-1"[\s\S]*?<\/details>/.exec(text)?.[0] ?? '';
    expect(later).toContain('<p class="muted">Told against <a href="#r-aud.test-at-login-0">the trace on mock (in-process)</a>: what is not shown is as there.</p>');
    expect(later).toContain('<dt>JWT payload, where it differs</dt><dd><code>&quot;exp&quot;: 1772366590</code></dd>');
    expect(later).not.toContain('<dt>request</dt>');
    const rows = [...later.matchAll(/<tr class="([\w ]+)"><td>([\d–]+)<\/td><td[^>]*><code>([a-z-]+)<\/code>/g)].map((m) => `${m[2]} ${m[3]} ${m[1]}`);
    // The deciding check in full; expiry in full (it differs); the rest as usual or as in the first trace.
    expect(rows).toEqual(['1–9 host usual', '10 audience usual there', '11 expiry pass', '12–15 user usual', '16 app-access fail decided']);
    expect(later).toContain('<td>exp 1772366590</td>');
  });
});

describe('Markdown', () => {
  it.each([
    ['the fixture', reportFixture],
    ['the hostile run', hostileReport],
  ])('%s: every table row has as many cells as its header', (_name, make) => {
    const text = renderMarkdown(make());
    const cells = (line: string) => line.replace(/\\\\/g, '').split(/(?<!\\)\|/).length;
    let width = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith('|')) {
        width = 0;
        continue;
      }
      if (width === 0) width = cells(line);
      expect(cells(line), line).toBe(width);
    }
  });

  it('lists divergences first, then failures, with explanation and fix', () => {
    const text = renderMarkdown(reportFixture());
    const divergence = text.indexOf('## ⚠️ Diverged');
    const failure = text.indexOf('## ❌ Failed');
    const table = text.indexOf('## All results');
    expect(divergence).toBeGreaterThan(0);
    expect(failure).toBeGreaterThan(divergence);
    expect(table).toBeGreaterThan(failure);
    expect(text).toContain('- **Fix:** Write the claim names in lower case exactly: iss, sub, aud, exp.');
    expect(text).toContain('- **Deciding check:** `app-access`, expected `audience`');
  });

  it('says so when everything passed', () => {
    const report = reportFixture();
    report.results = report.results.filter((r) => r.verdict === 'pass');
    report.summary = { total: report.results.length, pass: report.results.length, fail: 0, divergence: 0, inconclusive: 0, skip: 0 };
    const text = renderMarkdown(report);
    expect(text).toContain('Every scenario got its expected answer.');
    expect(text).not.toContain('## ❌');
  });
});
