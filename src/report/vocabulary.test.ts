/**
 * One vocabulary and one way of counting, wherever a run is told: the terminal's summary, run.json,
 * run.md, run.html and junit.xml all render the same run (a divergence on a real org, a failure on the
 * mock, a skip, passes) with the same counts in the same words, and name the divergent result with the
 * same word. A divergence is counted apart from failures (a finding about Salesforce, not something
 * broken on this side); JUnit, which knows only failures, counts both there and tells them apart by type.
 */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { summaryTable } from '../cli/run.ts';
import { reportFixture } from './fixtures.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { renderJson } from './write.ts';

const plain = { green: (s: string) => s, red: (s: string) => s, dim: (s: string) => s, bold: (s: string) => s, yellow: (s: string) => s };
const report = reportFixture();
const COUNTS = '5 passed, 1 failed, 1 diverged, 1 skipped';

/** The text a reader sees in an HTML fragment: tags dropped, entities of the page's escaper undone. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe('the same counts, in the same words, everywhere', () => {
  it('run.json counts what the results say', () => {
    const json = JSON.parse(renderJson(report)) as typeof report;
    expect(json.summary).toEqual({ total: 8, pass: 5, fail: 1, divergence: 1, inconclusive: 0, skip: 1 });
    for (const verdict of ['pass', 'fail', 'divergence', 'skip'] as const) expect(json.results.filter((r) => r.verdict === verdict)).toHaveLength(json.summary[verdict]);
  });

  it('the terminal: the counts line, and the divergent row named "diverged"', () => {
    const out = summaryTable(report, plain);
    expect(out.split('\n').at(-1)).toBe(`${COUNTS} (8 results)`);
    const row = out.split('\n').find((l) => l.includes('claims.iss-capitalised') && l.includes('uat'));
    expect(row?.split(/\s{2,}/)[0]).toBe('DIVERGED');
    expect(out).not.toMatch(/DIVERGES|divergences/);
  });

  it('run.md: the counts line, and the divergent result under "Diverged"', () => {
    const md = renderMarkdown(report);
    expect(md).toContain(`**${COUNTS}** of 8 results`);
    expect(md).toContain('## ⚠️ Diverged (1): a real org answered otherwise than the catalogue');
    expect(md).toContain('| target | kind | passed | failed | diverged | skipped |');
  });

  it('run.html: the counts line in the title and the headline, and the divergent result badged "diverged"', () => {
    const html = renderHtml(report);
    expect(text(/<title>(.*?)<\/title>/.exec(html)?.[1] ?? '')).toBe(`sfjwt run ${report.runId}: ${COUNTS}`);
    expect(text(/<p class="headline">(.*?)<\/p>/.exec(html)?.[1] ?? '')).toContain(COUNTS);
    const badge = /<details class="result divergence"[^>]*>\n<summary><span class="badge divergence">([^<]*)<\/span>/.exec(html)?.[1];
    expect(badge).toBe('diverged');
    expect([...html.matchAll(/<span class="badge \w+">([^<]*)<\/span>/g)].map((m) => m[1]).filter((w) => !['passed', 'failed', 'diverged', 'skipped'].includes(w ?? ''))).toEqual([]);
  });

  it('junit.xml: the counts line as a property, the divergence a failure of type "diverged"', () => {
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(renderJunit(report)) as {
      testsuites: { failures: string; skipped: string; testsuite: { name: string; properties: { property: { name: string; value: string }[] }; testcase: { failure?: { type: string } }[] }[] };
    };
    const root = xml.testsuites;
    // JUnit has failures only: a divergence is one there too, told apart by its type.
    expect([root.failures, root.skipped]).toEqual(['2', '1']);
    const summaries = root.testsuite.map((s) => s.properties.property.find((p) => p.name === 'sfjwt.counts')?.value);
    expect(summaries).toEqual(['3 passed, 1 failed, 0 diverged, 0 skipped', '2 passed, 0 failed, 1 diverged, 1 skipped']);
    expect(root.testsuite.flatMap((s) => s.testcase.flatMap((c) => (c.failure === undefined ? [] : [`${s.name}: ${c.failure.type}`])))).toEqual(['mock (in-process): failed', 'uat: diverged']);
  });
});
