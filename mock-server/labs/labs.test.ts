/**
 * Every lab, in-process with the time frozen: its broken setup gets the symptom the catalogue writes
 * down (status and body bytes, as Salesforce answers them), the intended fix is solved by `check`,
 * and a plausible wrong fix is not. The fixes are written here, apart from the catalogue: the
 * catalogue holds only what a trainee may see before solving.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair, issueCertificate } from '../../lib/pki/generate.ts';
import { catalogue } from '../../scenarios/load.ts';
import { MockOrg, type ServeContext } from '../core/mock-org.ts';
import { SETUP_ACTIONS } from '../setup/actions.ts';
import { LOGIN_HOST, realHostUrls, TEST_HOST } from '../world/hosts.ts';
import { prepareWorld } from '../world/prepare.ts';
import { findLab, LAB_CATALOGUE } from './catalogue.ts';
import type { Draft } from './draft.ts';
import { attachLabs, type LabsRuntime } from './runtime.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const stateDir = mkdtempSync(join(tmpdir(), 'sfjwt-labs-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));
const prepared = prepareWorld({ stateDir });
const key = prepared.appKey;
if (key === undefined) throw new Error('the default world has an app key');
const sc: ServeContext = { host: LOGIN_HOST, secure: true, clientIp: '127.0.0.1', urls: realHostUrls() };
const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function fresh(): { org: MockOrg; labs: LabsRuntime } {
  const org = new MockOrg({ world: prepared.world, clock: { now: () => NOW }, seed: 7 });
  return { org, labs: attachLabs(org, { privateKeyPem: key?.privateKeyPem ?? '' }) };
}

const run = (org: MockOrg, action: keyof typeof SETUP_ACTIONS, input: Record<string, unknown>) => {
  const result = (SETUP_ACTIONS[action] as (o: MockOrg, i: unknown) => { ok: boolean; message?: string })(org, input);
  if (!result.ok) throw new Error(`${action}: ${result.message}`);
};

interface Fix {
  request?: (d: Draft) => void;
  org?: (org: MockOrg) => void;
}

const otherCertificate = () => issueCertificate(generateRsaKeyPair(2048), { subject: [{ shortName: 'CN', value: 'somebody else' }], notBefore: new Date(NOW - 86_400_000) });

/** Per lab: the fix a trainer would give, and one that looks right and is not. */
const FIXES: Record<string, { right: Fix; wrong: Fix }> = {
  'grant-type-typo': {
    right: { request: (d) => void (d.form = { grant_type: GRANT, assertion: '{{assertion}}' }) },
    wrong: { request: (d) => void (d.form = { grant_type: 'jwt-bearer', assertion: '{{assertion}}' }) },
  },
  'json-body': { right: { request: (d) => void (d.contentType = 'application/x-www-form-urlencoded') }, wrong: { request: (d) => void (d.contentType = 'text/plain') } },
  'iss-capitalised': {
    right: {
      request: (d) => {
        const { Iss, ...rest } = d.jwt.claims;
        d.jwt.claims = { iss: Iss, ...rest };
      },
    },
    wrong: {
      request: (d) => {
        const { Iss: _, ...rest } = d.jwt.claims;
        d.jwt.claims = { iss: 'Acme Integration', ...rest };
      },
    },
  },
  'hmac-signature': { right: { request: (d) => void (d.jwt.header = { alg: 'RS256' }) }, wrong: { request: (d) => void (d.jwt.header = { alg: 'RS512' }) } },
  'aud-token-url': {
    right: { request: (d) => void (d.jwt.claims['aud'] = 'https://login.salesforce.com') },
    wrong: { request: (d) => void (d.jwt.claims['aud'] = 'https://login.salesforce.com/services/oauth2') },
  },
  'skewed-clock': { right: { request: (d) => void (d.clockOffsetSeconds = 0) }, wrong: { request: (d) => void (d.jwt.claims['exp'] = '{{now + 3000}}') } },
  'sandbox-user-at-login': {
    right: {
      request: (d) => {
        d.url = `https://${TEST_HOST}/services/oauth2/token`;
        d.jwt.claims['aud'] = 'https://test.salesforce.com';
      },
    },
    wrong: { request: (d) => void (d.jwt.claims['aud'] = 'https://test.salesforce.com') },
  },
  'key-certificate-mismatch': {
    right: { org: (org) => run(org, 'upload-certificate', { app: 'Acme Integration', pem: readFileSync(key.certificateFile, 'utf8') }) },
    wrong: { org: (org) => run(org, 'upload-certificate', { app: 'Acme Integration', pem: otherCertificate() }) },
  },
  'never-approved': {
    right: { org: (org) => run(org, 'approve', { username: 'unapproved@acme.com', app: 'Acme Integration' }) },
    wrong: { org: (org) => run(org, 'assign-permission-set', { username: 'unapproved@acme.com', permissionSet: 'JWT Integration' }) },
  },
  'profile-not-admitted': {
    right: { org: (org) => run(org, 'assign-permission-set', { username: 'analyst@acme.com', permissionSet: 'JWT Integration' }) },
    wrong: { org: (org) => run(org, 'approve', { username: 'analyst@acme.com', app: 'Acme Admin-Approved Integration' }) },
  },
  'frozen-user': {
    right: { org: (org) => run(org, 'user-state', { username: 'frozen@acme.com', frozen: false }) },
    wrong: { org: (org) => run(org, 'user-state', { username: 'frozen@acme.com', active: true }) },
  },
  'ip-restricted': {
    right: { org: (org) => run(org, 'login-ip-ranges', { username: 'remote@acme.com', ranges: [{ start: '127.0.0.1', end: '127.0.0.1' }] }) },
    wrong: { org: (org) => run(org, 'login-ip-ranges', { username: 'remote@acme.com', ranges: [{ start: '127.0.0.2', end: '127.0.0.9' }] }) },
  },
  'eca-not-installed': {
    right: { org: (org) => run(org, 'install-app', { app: 'Acme External Client App', org: 'acme-uat' }) },
    wrong: { org: (org) => run(org, 'approve', { username: 'integration@acme.com.uat', app: 'Acme External Client App' }) },
  },
};

async function attempt(lab: string, fix?: Fix) {
  const { org, labs } = fresh();
  const started = labs.start(lab);
  if (!started.ok) throw new Error(started.message);
  const draft = labs.starter(started.value, sc.urls);
  fix?.request?.(draft);
  fix?.org?.(org);
  const sent = await labs.send(draft, sc);
  if (!sent.ok) throw new Error(sent.message);
  const checked = labs.check();
  if (!checked.ok) throw new Error(checked.message);
  return { sent: sent.value, check: checked.value, labs, org };
}

describe('the lab catalogue', () => {
  it('has at least twelve labs with unique ids, each with hints, a fix and a wrong fix here', () => {
    expect(LAB_CATALOGUE.length).toBeGreaterThanOrEqual(12);
    const ids = LAB_CATALOGUE.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(FIXES).sort()).toEqual([...ids].sort());
    for (const lab of LAB_CATALOGUE) expect(lab.hints.length).toBeGreaterThanOrEqual(2);
    expect(LAB_CATALOGUE.map((l) => l.number)).toEqual(ids.map((_, i) => i + 1));
  });

  it("each lab's symptom is the answer of the scenario it names", () => {
    const byId = new Map(catalogue().map((sc) => [sc.id, sc]));
    for (const lab of LAB_CATALOGUE) {
      const scenario = byId.get(lab.scenario);
      expect(scenario, lab.id).toBeDefined();
      expect(lab.symptom, lab.id).toEqual({ status: scenario?.expect.status, body: JSON.stringify({ error: scenario?.expect.error, error_description: scenario?.expect.error_description }) });
    }
  });

  it("is the trainer's table of the README, row for row", () => {
    const doc = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const rows = doc.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows).toEqual(LAB_CATALOGUE.map((l) => `| ${l.number} | \`${l.id}\`: ${l.title} | ${l.fixedIn} | ${l.teaches} |`));
  });

  it.each([
    ['3', 'iss-capitalised'],
    ['iss-capitalised', 'iss-capitalised'],
    ['13', 'eca-not-installed'],
  ])('finds lab %s', (ref, id) => expect(findLab(ref)?.id).toBe(id));

  it.each(['0', '99', 'nope', 'constructor'])('finds no lab %s', (ref) => expect(findLab(ref)).toBeUndefined());
});

describe.each(LAB_CATALOGUE.map((l) => [l.number, l.id] as const))('lab %i (%s)', (_n, id) => {
  const lab = findLab(id);
  if (lab === undefined) throw new Error(id);

  it('its broken setup gets the symptom, byte for byte, and check says not yet', async () => {
    const { sent, check } = await attempt(id);
    expect({ status: sent.status, body: sent.body }).toEqual(lab.symptom);
    expect(check.solved).toBe(false);
    expect(check.details[0]).toMatch(/still the symptom the lab started with/);
  });

  it('the intended fix passes check', async () => {
    const { sent, check } = await attempt(id, FIXES[id]?.right);
    expect(sent.status).toBe(200);
    expect(check).toMatchObject({ solved: true, headline: `Solved: ${lab.as.username} logged in with ${lab.as.app}.` });
  });

  it('a wrong fix does not', async () => {
    const { sent, check } = await attempt(id, FIXES[id]?.wrong);
    expect(sent.status).not.toBe(200);
    expect(check.solved).toBe(false);
    expect(check.headline).toMatch(/^Not yet: HTTP 400 /);
  });
});

describe('check', () => {
  it('a login as somebody else goes round the lab: not solved', async () => {
    const { check } = await attempt('frozen-user', { request: (d) => void (d.jwt.claims['sub'] = 'integration@acme.com') });
    expect(check).toMatchObject({ solved: false, headline: 'Not yet: that login worked, but as integration@acme.com with Acme Integration.' });
  });

  it('says so when no request came since the lab started, and counts attempts', async () => {
    const { org, labs } = fresh();
    labs.start('1');
    const none = labs.check();
    expect(none.ok && none.value).toMatchObject({ solved: false, attempts: 0, headline: 'No request yet: no JWT Bearer request has reached the mock since the lab started.' });
    const lab = findLab('1');
    if (lab === undefined) throw new Error('lab 1');
    await labs.send(labs.starter(lab, sc.urls), sc);
    await labs.send(labs.starter(lab, sc.urls), sc);
    const two = labs.check();
    expect(two.ok && two.value.attempts).toBe(2);
    expect(org.journal.total).toBe(2);
  });

  it('refuses with the fix when no lab is started', () => {
    const { labs } = fresh();
    expect(labs.check()).toEqual({ ok: false, status: 409, message: 'no lab is started', fix: "Start one first: npx sfjwt lab start 1 (or the console's Labs page)." });
  });
});

describe('hints and progress', () => {
  it('gives the hints one at a time, then the last again, and keeps them in the progress file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfjwt-progress-'));
    try {
      const file = join(dir, 'labs', 'progress.json');
      const org = new MockOrg({ world: prepared.world, clock: { now: () => NOW } });
      const labs = attachLabs(org, { privateKeyPem: key.privateKeyPem, progressFile: file });
      labs.start('grant-type-typo');
      const lab = findLab('grant-type-typo');
      const shown = [1, 2, 3, 4].map(() => {
        const h = labs.hint();
        return h.ok ? `${h.value.shown}/${h.value.of} ${h.value.hint}` : h.message;
      });
      expect(shown).toEqual([`1/3 ${lab?.hints[0]}`, `2/3 ${lab?.hints[1]}`, `3/3 ${lab?.hints[2]}`, `3/3 ${lab?.hints[2]}`]);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ current: 'grant-type-typo', labs: { 'grant-type-typo': { started: '2026-03-02T10:00:00.000Z', hints: 3, checks: 0 } } });
      // A new mock on the same state folder: the progress is there, the lab's setup is not, and it says so.
      const again = attachLabs(new MockOrg({ world: prepared.world, clock: { now: () => NOW } }), { privateKeyPem: key.privateKeyPem, progressFile: file });
      expect(again.list().progress.labs['grant-type-typo']?.hints).toBe(3);
      expect(again.check()).toMatchObject({ ok: false, status: 409, message: 'lab 1 (grant-type-typo) was started on a mock that has stopped since: this one has not set it up' });
      expect(again.reset().ok).toBe(true);
      expect(again.shownHints()).toEqual(lab?.hints);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
