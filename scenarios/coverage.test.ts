/**
 * The catalogue covers what it must: every row of the reference's Outcomes table (or the reason it
 * cannot), the reference's other facts and every mistake of the guide; every `reproduces` entry names
 * one of them; ids are unique, match their file names and never silently change or disappear.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUIDE_MISTAKES, GUIDE_PREFIX, NOT_COVERED, REFERENCE_FACTS, REFERENCE_PREFIX, REFERENCE_ROWS } from './coverage.ts';
import { CATALOGUE_DIR, loadScenarios } from './load.ts';

/** Every id of the catalogue, written out: an id is published once and never renamed or removed. */
const EXPECTED_IDS = [
  'alg.es256',
  'alg.hs256-private-key-text',
  'alg.none',
  'alg.rs512',
  'app.changed-minutes-ago',
  'app.eca-login-audience',
  'app.eca-my-domain',
  'app.eca-not-installed',
  'assertion.empty',
  'assertion.missing',
  'assertion.payload-invalid-json',
  'assertion.two-parts',
  'aud.login-at-test',
  'aud.loginurl-prefix',
  'aud.missing',
  'aud.missing-scheme',
  'aud.my-domain-connected-app',
  'aud.random-url',
  'aud.sandbox-my-domain-url',
  'aud.test-at-login',
  'aud.token-url',
  'aud.trailing-slash',
  'baseline.admin-approved',
  'baseline.extra-claims',
  'baseline.login',
  'baseline.my-domain-login-audience',
  'baseline.sandbox-at-test',
  'baseline.sandbox-my-domain',
  'baseline.site',
  'baseline.typ-jwt',
  'claims.iss-app-name',
  'claims.iss-capitalised',
  'claims.iss-consumer-secret',
  'claims.iss-missing',
  'claims.iss-unknown',
  'exp.capitalised',
  'exp.far-future',
  'exp.milliseconds',
  'exp.missing',
  'exp.now',
  'exp.past',
  'exp.string-digits',
  'exp.text',
  'exp.within-leeway',
  'form.json-body',
  'form.multipart',
  'form.no-content-type',
  'form.params-as-headers',
  'form.query-string',
  'form.text-plain',
  'grant-type.grand-type',
  'grant-type.missing',
  'grant-type.truncated',
  'grant-type.unknown-value',
  'org.locked',
  'send.get',
  'send.lightning-host',
  'send.plain-http',
  'send.wrong-path',
  'signature.certificate-cleared',
  'signature.payload-changed-after-signing',
  'signature.stripped',
  'signature.truncated',
  'signature.wrong-key',
  'sub.capitalised',
  'sub.email',
  'sub.prn',
  'sub.prn-wins',
  'sub.prod-user-at-test',
  'sub.sandbox-user-at-login',
  'sub.typo',
  'sub.user-id',
  'transient.unknown-error',
  'user.frozen',
  'user.inactive',
  'user.ip-restricted',
  'user.login-rate-exceeded',
  'user.never-approved',
  'user.profile-not-admitted',
];

const scenarios = loadScenarios();
const rows: readonly string[] = REFERENCE_ROWS;
const facts: readonly string[] = REFERENCE_FACTS;
const mistakes: readonly string[] = GUIDE_MISTAKES;
const notCovered: Readonly<Record<string, string | undefined>> = NOT_COVERED;

/** Scenario ids by the entry of `reproduces` they list. */
function reproducedBy(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of scenarios) for (const r of s.reproduces) out.set(r, [...(out.get(r) ?? []), s.id]);
  return out;
}

const duplicates = (list: readonly string[]) => list.filter((x, i) => list.indexOf(x) !== i);

describe('catalogue coverage', () => {
  // The checks below are "nothing missing" checks: they pass on empty lists, so the lists' sizes are pinned.
  it("the lists are the reference's 28 rows and 10 facts and the guide's 34 mistakes", () => {
    expect([rows.length, facts.length, mistakes.length]).toEqual([28, 10, 34]);
    expect(scenarios.length).toBeGreaterThanOrEqual(rows.length);
  });

  it('the lists have no duplicates and do not overlap', () => {
    expect(duplicates([...rows, ...facts])).toEqual([]);
    expect(duplicates(mistakes)).toEqual([]);
  });

  it('every reference row is reproduced by a scenario, or is in NOT_COVERED with the reason', () => {
    const by = reproducedBy();
    const missing = rows.filter((row) => !by.has(`${REFERENCE_PREFIX}${row}`) && notCovered[row] === undefined);
    expect(missing).toEqual([]);
  });

  it('NOT_COVERED names reference rows that no scenario reproduces, each with a reason', () => {
    const by = reproducedBy();
    for (const [row, reason] of Object.entries(notCovered)) {
      expect(rows, `NOT_COVERED names "${row}", which is not a reference row`).toContain(row);
      expect(reason ?? '').not.toBe('');
      expect(by.get(`${REFERENCE_PREFIX}${row}`) ?? [], `"${row}" is covered now: remove it from NOT_COVERED`).toEqual([]);
    }
  });

  it('every reference fact is reproduced by a scenario', () => {
    const by = reproducedBy();
    expect(facts.filter((fact) => !by.has(`${REFERENCE_PREFIX}${fact}`))).toEqual([]);
  });

  it('every guide mistake is reproduced by a scenario', () => {
    const by = reproducedBy();
    expect(mistakes.filter((m) => !by.has(`${GUIDE_PREFIX}${m}`))).toEqual([]);
  });

  it('every reproduces entry names a known reference row or fact, or a guide mistake', () => {
    const known = new Set([...rows, ...facts].map((r) => `${REFERENCE_PREFIX}${r}`).concat(mistakes.map((m) => `${GUIDE_PREFIX}${m}`)));
    const unknown = scenarios.flatMap((s) => s.reproduces.filter((r) => !known.has(r)).map((r) => `${s.id}: ${r}`));
    expect(unknown).toEqual([]);
  });

  it('every "shared reference:" in references names a known row or fact', () => {
    const prefix = 'shared reference: ';
    const known = new Set([...rows, ...facts]);
    const unknown = scenarios.flatMap((s) => s.references.filter((r) => r.startsWith(prefix) && !known.has(r.slice(prefix.length))).map((r) => `${s.id}: ${r}`));
    expect(unknown).toEqual([]);
  });
});

describe('catalogue ids', () => {
  const files = readdirSync(CATALOGUE_DIR).sort();

  it('the folder holds only scenario files', () => {
    expect(files.filter((f) => !f.endsWith('.json'))).toEqual([]);
  });

  it('each id matches its file name', () => {
    const mismatched = files
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f, (JSON.parse(readFileSync(join(CATALOGUE_DIR, f), 'utf8')) as { id?: unknown }).id] as const)
      .filter(([f, id]) => f !== `${String(id)}.json`);
    expect(mismatched).toEqual([]);
  });

  it('ids are unique', () => {
    expect(duplicates(scenarios.map((s) => s.id))).toEqual([]);
  });

  it('the ids are exactly the published ones (EXPECTED_IDS)', () => {
    expect(duplicates(EXPECTED_IDS)).toEqual([]);
    expect(scenarios.map((s) => s.id).sort()).toEqual([...EXPECTED_IDS].sort());
  });
});

describe('catalogue rules', () => {
  it('a scenario that needs the mock in a state never runs on a real org', () => {
    expect(scenarios.filter((s) => s.mock !== undefined && s.runsOn.includes('real')).map((s) => s.id)).toEqual([]);
  });

  it('a plain-http scenario runs in-process only (it cannot reach a TLS port)', () => {
    const plain = scenarios.filter((s) => s.mistakes.some((m) => m.at === 'send' && m.scheme === 'http'));
    expect(plain.length).toBeGreaterThan(0);
    for (const s of plain) expect(s.runsOn, s.id).toEqual(['mock-msw']);
  });

  it('mistakes reproducing a reference row are MUST; accepted variations are MUST or SHOULD', () => {
    const rowEntries = new Set(rows.map((r) => `${REFERENCE_PREFIX}${r}`));
    const wrong = scenarios.filter((s) => (s.expect.status === 200 ? s.level === 'MAY' : s.level !== 'MUST' && s.reproduces.some((r) => rowEntries.has(r)))).map((s) => `${s.id}: ${s.level}`);
    expect(wrong).toEqual([]);
  });

  it('an error answered as JSON names both error and error_description', () => {
    const incomplete = scenarios.filter((s) => s.expect.status >= 400 && s.expect.body === 'json' && (s.expect.error === undefined || s.expect.error_description === undefined));
    expect(incomplete.map((s) => s.id)).toEqual([]);
  });
});
