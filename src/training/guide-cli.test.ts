/**
 * `sfjwt guide` and `sfjwt sign --scenario`, in this process through `main(argv, io)`: the guide is
 * written into sfjwt-guide/ (or --out), the files it wrote are printed, a second run replaces the
 * folder it wrote, and a folder of that name that is not sfjwt's is refused with exit 2 and left as
 * it was. `sign --scenario` signs what the scenario sends for a served mock's ready line (its claims
 * and header as the runner builds them, verifiable with the served certificate) and refuses what
 * cannot go with it.
 */
import { createPublicKey, verify } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NOW, NOW_S, testKeys } from '../../mock-server/testing/fixtures.ts';
import { DEFAULT_APPS } from '../../mock-server/world/default-world.ts';
import { main } from '../cli/main.ts';
import { collector } from '../cli/testing/collector.ts';
import { servedWorld } from './scenario-request.ts';

const home = mkdtempSync(join(tmpdir(), 'sfjwt-guide-cli-'));

async function run(argv: string[]) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { stdout, stderr, stdin: Readable.from([]), env: { SFJWT_HOME: join(home, '.sfjwt'), NO_COLOR: '1' }, now: () => NOW, cwd: home });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('sfjwt guide', () => {
  it('writes index.html and guide.md into sfjwt-guide/, says so, and replaces its own folder on the next run', async () => {
    const expected = { code: 0, stdout: 'wrote sfjwt-guide/index.html\nwrote sfjwt-guide/guide.md\n', stderr: '' };
    expect(await run(['guide'])).toEqual(expected);
    expect(readdirSync(join(home, 'sfjwt-guide')).sort()).toEqual(['.sfjwt-report.json', 'guide.md', 'index.html']);
    expect(readFileSync(join(home, 'sfjwt-guide', 'index.html'), 'utf8')).toMatch(/^<!DOCTYPE html>\n/);
    expect(await run(['guide'])).toEqual(expected);
  });

  it('--out DIR writes there; a folder of that name that sfjwt did not write is refused and left alone', async () => {
    expect(await run(['guide', '--out', 'training/field-guide'])).toMatchObject({ code: 0, stdout: 'wrote training/field-guide/index.html\nwrote training/field-guide/guide.md\n' });
    mkdirSync(join(home, 'mine'));
    writeFileSync(join(home, 'mine', 'notes.txt'), 'mine');
    const r = await run(['guide', '--out', 'mine']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `sfjwt: not replacing ${join(home, 'mine')}: it has no readable .sfjwt-report.json (ENOENT), and sfjwt replaces only report folders it wrote itself\n  → Move or delete ${join(home, 'mine')}, or choose another folder with --out.\n`,
    );
    expect(readdirSync(join(home, 'mine'))).toEqual(['notes.txt']);
  });
});

describe('sfjwt sign --scenario', () => {
  const world = servedWorld(testKeys().certificatePem);
  const app = world.apps.find((a) => a.name === DEFAULT_APPS.selfAuthorized);
  writeFileSync(join(home, 'server.key'), testKeys().privateKeyPem);
  writeFileSync(join(home, 'server.crt'), testKeys().certificatePem);
  const line = (consumerKey: string | undefined) =>
    JSON.stringify({
      hosts: { 'login.salesforce.com': 'https://127.0.0.1:8443' },
      admin: 'https://127.0.0.1:8443/__sfjwt',
      consumerKey,
      privateKeyFile: join(home, 'server.key'),
      certificateFile: join(home, 'server.crt'),
    });
  writeFileSync(join(home, 'mock.json'), line(app?.consumerKey));
  writeFileSync(join(home, 'other.json'), line('3MVG9someOtherWorld'));

  it("signs the scenario's own claims and header, with the served key", async () => {
    const r = await run(['sign', '--from-serve', 'mock.json', '--scenario', 'aud.test-at-login', '--force']);
    expect(r.code).toBe(0);
    const [h, p, s] = r.stdout.trim().split('.');
    expect(JSON.parse(Buffer.from(h ?? '', 'base64url').toString())).toEqual({ alg: 'RS256' });
    expect(JSON.parse(Buffer.from(p ?? '', 'base64url').toString())).toEqual({ iss: app?.consumerKey, sub: 'integration@acme.com', aud: 'https://test.salesforce.com', exp: NOW_S + 180 });
    expect(verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey(testKeys().certificatePem), Buffer.from(s ?? '', 'base64url'))).toBe(true);
    // The lint sees the mistake: the sandbox audience on the production host.
    expect(r.stderr).toContain('aud');
  });

  it.each([
    [['--scenario', 'baseline.login'], 'sfjwt: --scenario needs --from-serve FILE: the scenario is made against a served mock\n'],
    [['--from-serve', 'mock.json', '--scenario', 'baseline.login', '--sub', 'x@acme.com'], 'sfjwt: --scenario makes the claims itself: drop --sub\n'],
    [['--from-serve', 'mock.json', '--scenario', 'no.such-scenario'], 'sfjwt: no scenario "no.such-scenario" in the catalogue\n  → npx sfjwt scenarios lists every id.\n'],
  ])('refuses %j', async (argv, first) => {
    const r = await run(['sign', ...argv]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith(first)).toBe(true);
  });

  it('refuses a mock that does not serve the default training ground', async () => {
    const r = await run(['sign', '--from-serve', 'other.json', '--scenario', 'baseline.login']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^sfjwt: the served mock does not serve the default training ground/);
  });
});
