/**
 * The report page of a real run of the whole catalogue on both mocks (in-process and HTTPS, as
 * `npx sfjwt run` does) stays small and loses nothing: the traces are told by what differs
 * (html-trace.ts), which took the page from 1.29 MB to about 0.55 MB, and this keeps it under 0.7 MB;
 * every check of every trace is still on the page, in its result (in full or named in a folded row),
 * each folded row points at the page's table of usual rows or at a trace of the same scenario, and a
 * scenario's later trace is told against its first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../mock-server/core/clock.ts';
import { NOW, testKeys, testStateDir, testWorld } from '../../mock-server/testing/fixtures.ts';
import { catalogue } from '../../scenarios/load.ts';
import { httpsTarget, mswTarget } from '../runner/mock-target.ts';
import { type RunReport, runCatalogue } from '../runner/run.ts';
import type { Target } from '../runner/target.ts';
import { renderHtml } from './html.ts';
import { resultAnchor } from './view.ts';

describe('the report page of the whole catalogue on both mocks', () => {
  let targets: Target[];
  let report: RunReport;
  let html: string;

  beforeAll(async () => {
    const setup = { world: testWorld(), privateKeyPem: testKeys().privateKeyPem, clock: frozenClock(NOW), seed: 7, stateDir: testStateDir('sfjwt-html-size-') };
    targets = [mswTarget(setup), await httpsTarget(setup)];
    report = await runCatalogue(catalogue(), targets, { seed: 7, now: () => new Date(NOW) });
    html = renderHtml(report);
  });
  afterAll(async () => Promise.all(targets.map((t) => t.close())));

  it('ran the catalogue on both, and the page is under 700 kB (it was 1.29 MB before the traces were folded)', () => {
    expect(report.results).toHaveLength(catalogue().length * 2);
    expect(report.summary.fail).toBe(0);
    expect(Buffer.byteLength(html)).toBeLessThan(700_000);
  });

  it("every check of every trace is on the page, in its result's checks table", () => {
    const traced = report.results.filter((r) => r.trace !== undefined);
    expect(traced.length).toBeGreaterThan(100);
    for (const r of traced) {
      const id = resultAnchor(report, r);
      const details = new RegExp(`<details [^>]*id="${id.replaceAll('.', '\\.')}"[\\s\\S]*?</details>`).exec(html)?.[0] ?? '';
      const table = /<table class="checks">[\s\S]*?<\/table>/.exec(details)?.[0];
      // A trace the same as its sibling's is one sentence with the link; the sibling's table has every check.
      if (table === undefined) {
        expect(details, id).toMatch(/The same request, answer and checks as <a href="#r-[^"]+">the trace on /);
        continue;
      }
      const named = [...table.matchAll(/<code>([a-z-]+)<\/code>/g)].map((m) => m[1]);
      for (const step of r.trace?.checks ?? []) expect(named, `${id}: ${step.check}`).toContain(step.check);
    }
  });

  it('folded rows point at the usual rows or at an earlier trace of the same scenario', () => {
    const links = [...html.matchAll(/<tr class="usual(?: there)?">[\s\S]*?<a href="#([^"]+)">/g)].map((m) => m[1] ?? '');
    expect(links.length).toBeGreaterThan(100);
    for (const link of new Set(links)) expect(html, link).toContain(`id="${link}"`);
    expect(html).toContain('<section id="checks"');
  });
});
