/**
 * A real org whose setup is broken (its certificate is not on the app, so it refuses even the
 * baseline with `invalid_grant` / `invalid assertion`) is reported as a broken setup, not as Salesforce
 * diverging: the run gets a finding naming the target, its answer and the doctor command; the
 * baseline's result is a failure whose fix is the setup (not "Nothing to fix"); the org's other
 * answers are not judged (none is a divergence, nor a pass); the mock's results are untouched; and the
 * terminal, run.json, run.md, run.html and junit.xml all say so, before anything else. The org is a
 * real-org target whose fetch answers as such an org does.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../mock-server/core/clock.ts';
import { NOW, testKeys, testWorld } from '../../mock-server/testing/fixtures.ts';
import { catalogue } from '../../scenarios/load.ts';
import { summaryTable } from '../cli/run.ts';
import { loadConfig } from '../runner/config.ts';
import { mswTarget } from '../runner/mock-target.ts';
import { realTarget } from '../runner/real-target.ts';
import { type RunReport, runCatalogue } from '../runner/run.ts';
import type { Target } from '../runner/target.ts';
import { escapeMarkdown } from './escape.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { renderJson } from './write.ts';

const plain = { green: (s: string) => s, red: (s: string) => s, dim: (s: string) => s, bold: (s: string) => s, yellow: (s: string) => s };
/**
 * The baseline, a negative scenario the broken org answers as expected, one it answers otherwise and a
 * positive one; the baseline second, as in the catalogue's order (a scenario before it is voided too).
 */
const IDS = ['alg.none', 'baseline.login', 'claims.iss-capitalised', 'exp.now'];
const MESSAGE =
  'the baseline login failed against target "uat": its setup is broken (answer 400 invalid_grant: invalid assertion); the other 3 answers from "uat" are not judged: none is a divergence';

describe('a real org whose baseline fails: its setup is broken', () => {
  const sent: string[] = [];
  let targets: Target[];
  let report: RunReport;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfjwt-setup-broken-'));
    writeFileSync(join(dir, 'server.key'), testKeys().privateKeyPem);
    const file = join(dir, 'sfjwt.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        targets: {
          uat: {
            loginUrl: 'https://login.salesforce.com',
            consumerKey: 'k'.repeat(20),
            username: 'integration@acme.com',
            keyFile: 'server.key',
            delayMs: 0,
            allowNegative: true,
            maxFailuresPerUser: 10,
          },
        },
      }),
    );
    const [config] = loadConfig(file, {});
    if (config === undefined) throw new Error('no target');
    // The org refuses every assertion, as one does whose app has another certificate than the key's.
    const org = realTarget(config, {
      now: () => NOW,
      fetch: async (input) => {
        sent.push(String(input));
        return new Response(JSON.stringify({ error: 'invalid_grant', error_description: 'invalid assertion' }), { status: 400, headers: { 'content-type': 'application/json' } });
      },
    });
    targets = [mswTarget({ world: testWorld(), privateKeyPem: testKeys().privateKeyPem, clock: frozenClock(NOW), seed: 7 }), org];
    report = await runCatalogue(
      catalogue().filter((s) => IDS.includes(s.id)),
      targets,
      { now: () => new Date(NOW) },
    );
  });
  afterAll(async () => Promise.all(targets.map((t) => t.close())));

  it('the run: one finding, the baseline failed with the setup as its fix, the rest not judged, the mock untouched', () => {
    expect(sent).toHaveLength(4);
    expect(report.findings).toEqual([
      {
        kind: 'setup-broken',
        target: 'uat',
        scenario: 'baseline.login',
        answer: { status: 400, body: 'json', error: 'invalid_grant', error_description: 'invalid assertion' },
        notJudged: 3,
        message: MESSAGE,
        command: 'npx sfjwt doctor --target uat',
      },
    ]);
    const uat = report.results.filter((r) => r.target === 'uat');
    expect(uat.map((r) => [r.scenario, r.verdict])).toEqual([
      ['alg.none', 'inconclusive'],
      ['baseline.login', 'fail'],
      ['claims.iss-capitalised', 'inconclusive'],
      ['exp.now', 'inconclusive'],
    ]);
    const baseline = uat[1];
    expect(baseline?.reason).toBe('the setup of target "uat" is broken: the baseline login got 400 invalid_grant: invalid assertion (status 400, expected 200)');
    expect(baseline?.fix).toContain('npx sfjwt doctor --target uat');
    expect(baseline?.fix).not.toContain('Nothing to fix');
    // A wrong answer is no divergence and a right one no pass while the setup is broken; the answer is kept.
    expect(uat[0]?.reason).toBe('not judged, as the baseline login failed on this target (the expected answer came, which says nothing while the setup is broken)');
    expect(uat[2]?.reason).toMatch(/^not judged, as the baseline login failed on this target: error "invalid_grant", expected "invalid_client_id"/);
    expect(uat[2]?.actual).toMatchObject({ status: 400, error: 'invalid_grant' });
    expect(report.results.filter((r) => r.targetKind !== 'real').every((r) => r.verdict === 'pass')).toBe(true);
    expect(report.summary).toEqual({ total: 8, pass: 4, fail: 1, divergence: 0, inconclusive: 3, skip: 0 });
  });

  it('the terminal: the finding and the doctor command above the counts, no divergence', () => {
    const lines = summaryTable(report, plain).split('\n');
    expect(lines.slice(-3)).toEqual([`setup broken: ${MESSAGE}`, '  → npx sfjwt doctor --target uat', '4 passed, 1 failed, 0 diverged, 3 not judged, 0 skipped (8 results)']);
    expect(lines.find((l) => l.includes('baseline.login') && l.includes('uat'))?.startsWith('FAILED')).toBe(true);
    expect(lines.filter((l) => l.startsWith('not judged'))).toHaveLength(3);
    expect(lines.join('\n')).not.toContain('DIVERGED');
  });

  it('run.json holds the finding', () => {
    expect((JSON.parse(renderJson(report)) as RunReport).findings[0]?.message).toBe(MESSAGE);
  });

  it('run.md: the finding and the command first, before the counts', () => {
    const md = renderMarkdown(report);
    const finding = md.indexOf(`> ⛔ **Setup broken:** ${escapeMarkdown(MESSAGE)}.`);
    expect(finding).toBeGreaterThan(0);
    expect(md).toContain('> Run `npx sfjwt doctor --target uat` to find the cause.');
    expect(finding).toBeLessThan(md.indexOf('**4 passed, 1 failed, 0 diverged, 3 not judged, 0 skipped**'));
    expect(md).not.toContain('## ⚠️ Diverged');
    expect(md).toMatch(/## ❌ Failed \(1\)\n\n### ❌ `baseline\.login`/);
  });

  it('run.html: the finding in its own section under the headline; the baseline failed, the rest not judged', () => {
    const html = renderHtml(report);
    const finding = html.indexOf('<section class="findings"');
    expect(finding).toBeGreaterThan(0);
    // Right under the headline: before the counts per target, the matrix and any result.
    expect(finding).toBeLessThan(html.indexOf('<div class="cards">'));
    expect(finding).toBeLessThan(html.indexOf('<section id="matrix"'));
    expect(html).toContain('Run <code>npx sfjwt doctor --target uat</code> to find the cause.');
    const badges = [...html.matchAll(/<details class="result \w+" id="r-([a-z.-]+)-1"[^>]*>\n<summary><span class="badge \w+">([^<]*)</g)].map((m) => `${m[1]} ${m[2]}`);
    expect(badges).toEqual(['baseline.login failed', 'alg.none not judged', 'claims.iss-capitalised not judged', 'exp.now not judged']);
  });

  it('junit.xml: the baseline a failure, the rest skipped as not judged, the finding a property of the suite', () => {
    const xml = renderJunit(report);
    expect(xml).toContain('<property name="sfjwt.finding" value="setup broken: the baseline login failed against target &quot;uat&quot;');
    expect(xml).toContain('<property name="sfjwt.counts" value="0 passed, 1 failed, 0 diverged, 3 not judged, 0 skipped"/>');
    expect(xml.match(/<skipped message="not judged, as the baseline login failed on this target/g)).toHaveLength(3);
    expect(xml).toMatch(/<failure message="the setup of target &quot;uat&quot; is broken[^"]*" type="failed">/);
  });
});
