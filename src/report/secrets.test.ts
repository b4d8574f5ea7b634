/**
 * Reports never hold secrets, checked on a real run: the catalogue, plus mistakes that move the
 * assertion into a query string, headers, JSON or multipart bodies or break its signature, runs against
 * the in-process mock with a fetch that records every request and response. Every report format is
 * then written, and no file may contain the private key (whole or any line of it), a whole assertion
 * that was sent, any signature segment, or any access token that came back.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../mock-server/core/clock.ts';
import { NOW, testKeys, testWorld } from '../../mock-server/testing/fixtures.ts';
import { catalogue, parseScenario } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import { mswTarget } from '../runner/mock-target.ts';
import { type RunReport, runCatalogue } from '../runner/run.ts';
import type { Target } from '../runner/target.ts';
import { escapeMarkdown } from './escape.ts';
import { RENDERERS, REPORT_FORMATS, writeRunReport } from './write.ts';

/** Mistakes that put the assertion somewhere else or break its signature: each is a new way a secret could travel. */
const MOVES: unknown[] = [
  { at: 'form', encoding: 'query' },
  { at: 'form', encoding: 'json' },
  { at: 'form', encoding: 'headers' },
  { at: 'form', encoding: 'multipart' },
  { at: 'form', encoding: 'text-plain' },
  { at: 'send', method: 'GET' },
  { at: 'send', scheme: 'http' },
  { at: 'sign', with: 'hmac-private-key-text' },
  { at: 'sign', with: 'other-key' },
  { at: 'sign', tamper: 'payload-after-signing' },
  { at: 'sign', tamper: 'truncate-signature' },
  { at: 'payload', replace: { find: '"aud"', with: '"aud' } },
];

const extra: Scenario[] = MOVES.map((mistake, i) =>
  parseScenario(
    {
      id: `secrets.move-${i}`,
      title: `assertion moved: ${JSON.stringify(mistake)}`,
      level: 'MAY',
      tags: ['secrets'],
      mistakes: [mistake],
      expect: { status: 400, decidedBy: null },
      explanation: 'A test of the reports only.',
      fix: 'None.',
      confidence: 'INF',
      runsOn: ['mock-msw'],
    },
    'secrets.test.ts',
  ),
);

/** Compact JWS-looking strings (with or without a signature) in any text, URL-decoded or not. */
function jwts(text: string): string[] {
  let decoded = text;
  try {
    decoded = decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    // Not URL-encoded: the raw text is searched anyway.
  }
  return [...`${text}\n${decoded}`.matchAll(/eyJ[\w-]*\.[\w-]*(?:\.[\w-]*)?/g)].map((m) => m[0]);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('reports hold no secrets', () => {
  const sent: string[] = [];
  const received: string[] = [];
  let target: Target;
  let report: RunReport;
  let files: { path: string; text: string }[];

  beforeAll(async () => {
    target = mswTarget({ world: testWorld(), privateKeyPem: testKeys().privateKeyPem, clock: frozenClock(NOW), seed: 7 });
    const inner = target.fetch;
    target.fetch = async (input, init) => {
      sent.push(String(input), JSON.stringify(init?.headers ?? {}), typeof init?.body === 'string' ? init.body : '');
      const response = await inner(input, init);
      received.push(await response.clone().text());
      return response;
    };
    report = await runCatalogue([...catalogue(), ...extra], [target], { seed: 1, now: () => new Date(NOW) });
    const dir = mkdtempSync(join(tmpdir(), 'sfjwt-secrets-'));
    writeRunReport(report, dir, REPORT_FORMATS);
    files = filesUnder(dir).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  });
  afterAll(async () => target.close());

  const secrets = (): [string, string[]][] => {
    const pem = testKeys().privateKeyPem;
    const assertions = [...new Set(sent.flatMap(jwts))].filter((j) => j.split('.').length === 3);
    const signatures = [...new Set(assertions.map((j) => j.split('.')[2] ?? ''))].filter((s) => s.length >= 16);
    const tokens = received.flatMap((body) => {
      try {
        const token = (JSON.parse(body) as { access_token?: unknown }).access_token;
        return typeof token === 'string' ? [token] : [];
      } catch {
        return [];
      }
    });
    return [
      ['the private key PEM', [pem.trim()]],
      ['a line of the private key', pem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))],
      ['an assertion sent', assertions],
      ['a signature segment', signatures],
      ['an access token', tokens],
    ];
  };

  it('ran for real: every format written twice (run and latest), assertions sent, tokens received, traces kept', () => {
    expect(files.map((f) => f.path.split(/[\\/]/).slice(-2).join('/')).sort()).toEqual(
      ['.sfjwt-report.json', 'junit.xml', 'run.html', 'run.json', 'run.md'].flatMap((f) => [`${report.runId}/${f}`, `latest/${f}`]).sort(),
    );
    const found = Object.fromEntries(secrets().map(([name, values]) => [name, values.length]));
    // Not every scenario sends a signed assertion (some remove it, some are skipped); each added one does.
    expect(found['an assertion sent']).toBeGreaterThanOrEqual(extra.length);
    expect(found['a signature segment']).toBeGreaterThanOrEqual(extra.length);
    expect(found['an access token']).toBeGreaterThanOrEqual(1);
    expect(found['a line of the private key']).toBeGreaterThanOrEqual(20);
    // The reports are not empty of what surrounds the secrets: redacted tokens and signatures are there.
    const json = files.find((f) => f.path.endsWith('run.json'))?.text ?? '';
    expect(json).toContain('![redacted]');
    expect(json).toMatch(/\[redacted \d+ bytes\]/);
  });

  it('would notice a leak: a secret put in a report is found in every format', () => {
    const leaky = structuredClone(report);
    const [, [assertion]] = secrets()[2] as [string, string[]];
    const first = leaky.results.find((r) => r.verdict !== 'pass') ?? leaky.results[0];
    if (first === undefined || assertion === undefined) throw new Error('the run sent nothing');
    first.explanation = `oops ${assertion}`;
    first.verdict = 'fail';
    for (const format of REPORT_FORMATS) {
      const text = RENDERERS[format].render(leaky);
      expect(text.includes(assertion) || text.includes(escapeMarkdown(assertion)), format).toBe(true);
    }
  });

  it.each(['run.json', 'run.md', 'run.html', 'junit.xml'])('%s holds none of them', (name) => {
    // Two of each (the run's folder and latest/), so the loop below cannot pass by finding none.
    const written = files.filter((f) => f.path.endsWith(name));
    expect(written).toHaveLength(2);
    for (const file of written) {
      for (const [kind, values] of secrets()) {
        // Markdown prose escapes "_" (base64url uses it): look for the escaped form too.
        const leaked = values.filter((v) => file.text.includes(v) || file.text.includes(escapeMarkdown(v)));
        expect(leaked, `${file.path} holds ${kind}`).toEqual([]);
      }
    }
  });
});
