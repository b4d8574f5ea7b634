/**
 * A consumer secret a client sends where it does not belong (as `iss`, as `sub`, in a claim or a JOSE
 * header) never reaches a report: the catalogue's `claims.iss-consumer-secret` and three more such
 * mistakes run against the in-process mock, the mock over HTTPS and a mock reached through its admin
 * API (as a container is), every report format is written, and no file in the folder holds any
 * consumer secret of the world, in any spelling; the scenario's verdict and diagnosis are still
 * there, with a marker saying whose secret stood where. Then the mechanism on its own: a target whose
 * answers and traces carry its secrets (a real org's config, a mock that echoes), and the redactor's
 * rules (exact and within, escaped and encoded spellings, keys, a copy, one pass).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedMockOrg, startMockOrg } from '../../mock-server/adapters/node-server.ts';
import { frozenClock } from '../../mock-server/core/clock.ts';
import type { Trace } from '../../mock-server/core/trace.ts';
import { NOW, testKeys, testStateDir, testWorld } from '../../mock-server/testing/fixtures.ts';
import { catalogue, parseScenario } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import { loadConfig } from '../runner/config.ts';
import { httpsTarget, mswTarget, remoteMockTarget } from '../runner/mock-target.ts';
import { realTarget } from '../runner/real-target.ts';
import { MIN_SUBSTRING_LENGTH, redactionMarker, secretRedactor } from '../runner/redact-secrets.ts';
import { type RunReport, runCatalogue, runScenario, type ScenarioResult } from '../runner/run.ts';
import type { Target } from '../runner/target.ts';
import { escapeMarkdown } from './escape.ts';
import { REPORT_FORMATS, writeRunReport } from './write.ts';

const ISS_SECRET = 'claims.iss-consumer-secret';
const world = testWorld();
const SECRETS = world.apps.flatMap((a) => (a.consumerSecret === undefined ? [] : [{ app: a.name, secret: a.consumerSecret }]));
const DEFAULT_APP = world.apps[0]?.name ?? '';
const MARKER = redactionMarker(`the consumer secret of app ${DEFAULT_APP}`);

/** Every spelling a report could hold a secret in: as is, in Markdown prose, in a JSON string, URL-encoded. */
const spellings = (secret: string) => [...new Set([secret, escapeMarkdown(secret), JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])];

/** More places a client can put the consumer secret; each comes back in the mock's trace. */
const extra = (id: string, mistake: unknown, expect: Record<string, unknown>, app = 'default'): Scenario =>
  parseScenario(
    {
      id,
      title: `the consumer secret sent: ${JSON.stringify(mistake)}`,
      level: 'MAY',
      tags: ['secrets'],
      as: { user: 'default', app, host: 'login' },
      mistakes: [mistake],
      expect,
      explanation: 'A test of the reports only.',
      fix: 'None.',
      confidence: 'INF',
      runsOn: ['mock-msw', 'mock-https'],
    },
    'secret-redaction.test.ts',
  );

const SCENARIOS: Scenario[] = [
  ...catalogue().filter((s) => s.id === ISS_SECRET),
  extra('secrets.sub', { at: 'claims', set: { sub: { $: 'consumerSecret' } } }, { status: 400, error: 'invalid_grant', error_description: "user hasn't approved this consumer", decidedBy: 'user' }),
  // An extra claim is ignored: a token comes back, and the trace still holds the claim.
  extra('secrets.claim', { at: 'claims', set: { client_secret: { $: 'consumerSecret' } } }, { status: 200, decidedBy: null }),
  extra(
    'secrets.header-of-another-app',
    { at: 'header', set: { kid: { $: 'consumerSecret' } } },
    { status: 400, error: 'app_not_found', error_description: 'External client app is not installed in this org', decidedBy: 'app-access' },
    'eca',
  ),
  extra(
    'secrets.iss-of-another-app',
    { at: 'claims', set: { iss: { $: 'consumerSecret' } } },
    { status: 400, error: 'invalid_client_id', error_description: 'client identifier invalid', decidedBy: 'issuer' },
    'eca',
  ),
];

function filesUnder(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

describe('reports of a run whose client sent the consumer secret', () => {
  const sent: string[] = [];
  let started: StartedMockOrg;
  let targets: Target[];
  let report: RunReport;
  let files: { path: string; text: string }[];

  beforeAll(async () => {
    const stateDir = testStateDir('sfjwt-redact-');
    const setup = { world: testWorld(), privateKeyPem: testKeys().privateKeyPem, clock: frozenClock(NOW), seed: 7, stateDir };
    started = await startMockOrg({ world: testWorld(), stateDir, clock: frozenClock(NOW) });
    const remote = remoteMockTarget(
      { hosts: started.hosts, admin: started.admin, adminToken: started.adminToken, caPem: started.caPem, world: testWorld(), privateKeyPem: testKeys().privateKeyPem },
      { clock: frozenClock(NOW) },
    );
    targets = [mswTarget(setup), await httpsTarget(setup), remote];
    for (const target of targets) {
      const inner = target.fetch;
      target.fetch = (input, init) => {
        sent.push(typeof init?.body === 'string' ? init.body : '');
        return inner(input, init);
      };
    }
    report = await runCatalogue(SCENARIOS, targets, { seed: 1, now: () => new Date(NOW) });
    const dir = mkdtempSync(join(tmpdir(), 'sfjwt-redact-reports-'));
    writeRunReport(report, dir, REPORT_FORMATS);
    files = filesUnder(dir);
  });
  afterAll(async () => {
    await Promise.all(targets.map((t) => t.close()));
    await started.close();
  });

  it('ran for real: each scenario on each target, the secret sent in every assertion, every format written twice', () => {
    expect(report.results.map((r) => [r.target, r.scenario, r.verdict, r.reason])).toEqual(targets.flatMap((t) => SCENARIOS.map((s) => [t.name, s.id, 'pass', undefined])));
    // The assertions as sent carry the secret (in the payload or the header, base64url-encoded).
    const decoded = sent.map((body) => {
      const assertion = new URLSearchParams(body).get('assertion') ?? '';
      return assertion
        .split('.')
        .slice(0, 2)
        .map((part) => Buffer.from(part, 'base64url').toString('utf8'))
        .join('.');
    });
    expect(decoded.filter((d) => SECRETS.some(({ secret }) => d.includes(secret)))).toHaveLength(SCENARIOS.length * targets.length);
    expect(files.map((f) => f.path.split(/[\\/]/).at(-1)).sort()).toEqual(['.sfjwt-report.json', 'junit.xml', 'run.html', 'run.json', 'run.md'].flatMap((f) => [f, f]).sort());
  });

  it('no file in the folder holds a consumer secret of the world, in any spelling', () => {
    expect(files).toHaveLength(10);
    for (const file of files) {
      for (const { app, secret } of SECRETS) {
        const leaked = spellings(secret).filter((s) => file.text.includes(s));
        expect(leaked, `${file.path} holds the consumer secret of ${app}`).toEqual([]);
      }
    }
  });

  it('the runner hands out no secret either (what `sfjwt run --json` prints)', () => {
    const json = JSON.stringify(report);
    for (const { secret } of SECRETS) expect(json.includes(secret)).toBe(false);
  });

  it.each([0, 1, 2])('target %i: the diagnosis still reads: verdict, answer, deciding check, its words, and whose secret was sent', (i) => {
    const result = report.results.find((r) => r.scenario === ISS_SECRET && r.target === targets[i]?.name) as ScenarioResult;
    expect(result).toMatchObject({ verdict: 'pass', decidedBy: 'issuer', actual: { status: 400, error: 'invalid_client_id', error_description: 'client identifier invalid' } });
    expect(result.trace?.checks.find((c) => c.check === 'issuer')).toMatchObject({ verdict: 'fail', actual: `iss is the consumer secret of ${JSON.stringify(DEFAULT_APP)}` });
    // In the payload the trace keeps, the marker says whose secret iss was (the mock's words and the runner's are the same).
    expect(result.trace?.request.assertion?.payload['iss']).toBe(MARKER);
    expect(result.explanation).toContain('the JWT flow needs only the key');
  });

  it.each([
    ['run.json', ['invalid_client_id', 'iss is the consumer secret of \\"Acme Integration\\"']],
    ['run.md', ['`400 invalid_client_id: client identifier invalid`']],
    ['run.html', ['invalid_client_id', 'iss is the consumer secret of &quot;Acme Integration&quot;']],
    // JUnit tells a pass by its name only.
    ['junit.xml', []],
  ])('%s still names the scenario and its answer', (name, words) => {
    const file = files.find((f) => f.path.endsWith(name));
    expect(file?.text).toContain(ISS_SECRET);
    for (const word of words) expect(file?.text).toContain(word);
  });
});

describe('the runner removes what a target knows, wherever it arrives', () => {
  const SECRET = 'fHw9!"q\\s3cr3t/+&=%😀';
  const PASSPHRASE = 'pass-phrase-42';
  const dir = testStateDir('sfjwt-redact-real-');
  writeFileSync(join(dir, 'server.key'), testKeys().privateKeyPem);
  writeFileSync(
    join(dir, 'sfjwt.config.json'),
    JSON.stringify({
      targets: {
        org: { loginUrl: 'https://127.0.0.1:9', consumerKey: 'k'.repeat(20), consumerSecret: SECRET, username: 'integration@acme.com', keyFile: 'server.key', delayMs: 0, allowNegative: true },
      },
    }),
  );
  const baseline = catalogue().find((s) => s.id === 'baseline.login') as Scenario;
  const issSecret = catalogue().find((s) => s.id === ISS_SECRET) as Scenario;

  it("a real org's answer that echoes the config's consumer secret: redacted in the answer and the reason", async () => {
    const [config] = loadConfig(join(dir, 'sfjwt.config.json'));
    if (config === undefined) throw new Error('no target');
    const echo = `bad client_secret ${SECRET} (${encodeURIComponent(SECRET)})`;
    const target = realTarget(
      { ...config, passphrase: PASSPHRASE },
      { now: () => NOW, fetch: async () => new Response(JSON.stringify({ error: 'invalid_client', error_description: `${echo}; passphrase ${PASSPHRASE}` }), { status: 400 }) },
    );
    const marker = redactionMarker('the consumer secret of target org');
    const expected = `bad client_secret ${marker} (${marker}); passphrase ${redactionMarker('the key passphrase of target org')}`;
    // The scenario that sends the config's secret as iss; the answer and the reason (which quotes it) both held it.
    for (const result of [await runScenario(issSecret, target), (await runCatalogue([issSecret], [target])).results[0]]) {
      expect(result?.verdict).toBe('divergence');
      expect(result?.actual?.error_description).toBe(expected);
      expect(result?.reason).toBe(`error "invalid_client", expected "invalid_client_id"; error_description "${expected}", expected "client identifier invalid"`);
      const json = JSON.stringify(result);
      for (const spelling of spellings(SECRET)) expect(json).not.toContain(spelling);
      expect(json).not.toContain(PASSPHRASE);
    }
  });

  it("a mock's trace that holds a secret in values, keys, JSON-escaped and URL-encoded: each becomes the marker; the mock's own trace is untouched", async () => {
    const inner = mswTarget({ world: testWorld(), privateKeyPem: testKeys().privateKeyPem, clock: frozenClock(NOW), seed: 7 });
    const secret = SECRETS[0]?.secret ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(MIN_SUBSTRING_LENGTH);
    let kept: Trace | undefined;
    const target: Target = {
      ...inner,
      trace: async (answer) => {
        const trace = (await inner.trace(answer)) as Trace;
        trace.checks[0] = { ...trace.checks[0], actual: `"${secret}" and ${encodeURIComponent(secret)}` } as Trace['checks'][number];
        (trace as unknown as Record<string, unknown>)[secret] = { [`k-${secret}`]: [secret] };
        kept = trace;
        return trace;
      },
    };
    try {
      const result = await runScenario(baseline, target);
      expect(result.trace?.checks[0]?.actual).toBe(`"${MARKER}" and ${MARKER}`);
      expect((result.trace as unknown as Record<string, unknown>)[MARKER]).toEqual({ [`k-${MARKER}`]: [MARKER] });
      expect(JSON.stringify(result)).not.toContain(secret);
      // A copy: the journal's trace still holds what the mock saw.
      expect(JSON.stringify(kept)).toContain(secret);
    } finally {
      await inner.close();
    }
  });
});

describe('secretRedactor', () => {
  const redact = secretRedactor([
    { value: 'abcdefgh-secret', kind: 'A' },
    { value: 'short', kind: 'B' },
    { value: 'abcdefgh-secret-and-more', kind: 'C' },
  ]);

  it.each([
    ['a whole value', 'abcdefgh-secret', '[redacted: A]'],
    ['inside a text', 'x abcdefgh-secret y', 'x [redacted: A] y'],
    ['the longest secret first', 'abcdefgh-secret-and-more!', '[redacted: C]!'],
    [`a secret shorter than ${MIN_SUBSTRING_LENGTH} characters, whole`, 'short', '[redacted: B]'],
    [`a secret shorter than ${MIN_SUBSTRING_LENGTH} characters, inside a text: kept`, 'a short text', 'a short text'],
    ['nothing to redact', 'plain', 'plain'],
  ])('%s', (_name, input, output) => {
    expect(redact(input)).toBe(output);
  });

  it('copies objects and lists (keys too), leaves numbers, booleans and null, changes nothing it was given', () => {
    const input = { list: ['abcdefgh-secret', 1, true, null], 'abcdefgh-secret': { deep: 'x abcdefgh-secret' }, ['__proto__']: 'short' };
    const before = JSON.stringify(input);
    expect(redact(input)).toEqual({ list: ['[redacted: A]', 1, true, null], '[redacted: A]': { deep: 'x [redacted: A]' }, ['__proto__']: '[redacted: B]' });
    expect(JSON.stringify(input)).toBe(before);
  });

  it('one pass: a marker is never searched for another secret', () => {
    expect(
      secretRedactor([
        { value: 'abcdefgh', kind: 'the key A' },
        { value: 'redacted: the key', kind: 'B' },
      ])('abcdefgh and x'),
    ).toBe('[redacted: the key A] and x');
  });

  it('overlapping secrets: the span of both goes, no part of either is left', () => {
    const both = secretRedactor([
      { value: 'abcdefgh', kind: 'A' },
      { value: 'efghijkl', kind: 'B' },
    ]);
    expect(both('1abcdefghijkl2')).toBe('1[redacted: A][redacted: B]2');
  });

  it('a short secret quoted as JSON inside a text (as checks show values) is replaced, quotes kept', () => {
    expect(redact('iss "short" is no consumer key')).toBe('iss "[redacted: B]" is no consumer key');
  });

  it('a name that holds the secret is not put in the marker', () => {
    expect(secretRedactor([{ value: 'abcdefgh', kind: 'the consumer secret of app abcdefgh' }])('x abcdefgh')).toBe('x [redacted: a secret]');
  });

  it('an empty secret is no secret', () => {
    expect(secretRedactor([{ value: '', kind: 'A' }])('text')).toBe('text');
  });
});
