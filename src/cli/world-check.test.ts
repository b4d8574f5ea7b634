/**
 * `world` and `world --check` as a new user meets them, in this process through `main`: the printed
 * world says (in its `$comment` and on standard error) that its certificate is this machine's; a
 * check names the world file and the field of every problem at once (shape, references, a corrupt
 * certificate, an Id with the wrong suffix and the one it meant), exit code 2 and no stack; and a
 * valid world that is likely a mistake passes with warnings on standard error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NOW, testKeys } from '../../mock-server/testing/fixtures.ts';
import { defaultWorld } from '../../mock-server/world/default-world.ts';
import { main } from './main.ts';
import { collector } from './testing/collector.ts';
import { CERTIFICATE_COMMENT } from './world.ts';

const home = mkdtempSync(join(tmpdir(), 'sfjwt-world-check-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function run(argv: string[]) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { stdout, stderr, env: { SFJWT_HOME: home, NO_COLOR: '1' }, now: () => NOW });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The default world as a file would hold it, changed by `mutate`, written to `name` in its own folder. */
function worldFile(name: string, mutate: (w: any) => void): string {
  const w = JSON.parse(JSON.stringify(defaultWorld({ seed: 42, certificatePem: testKeys().certificatePem })));
  mutate(w);
  const dir = join(home, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'world.json');
  writeFileSync(file, JSON.stringify(w, null, 2));
  return file;
}

const corruptPem = () => testKeys().certificatePem.split('\n').toSpliced(3, 5).join('\n');

describe('sfjwt world', () => {
  it("prints valid JSON that says, first, whose certificate its apps hold; standard error says it too, with this machine's file", async () => {
    const r = await run(['world']);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(printed)[0]).toBe('$comment');
    expect(printed['$comment']).toBe(CERTIFICATE_COMMENT);
    expect(CERTIFICATE_COMMENT).toContain('Another machine has a key pair of its own');
    expect(r.stderr).toBe(
      `sfjwt: note: the apps' certificates are this machine's (${join(home, 'keys', 'default-app.crt')}); a teammate's machine has its own key pair, so its certificate must be added to the apps before it can log in to this world (see "$comment").\n`,
    );
    // The printed world, comment and all, is a valid world without warnings.
    const file = join(home, 'printed.json');
    writeFileSync(file, r.stdout);
    expect(await run(['world', '--check', file])).toEqual({ code: 0, stdout: `${file}: a valid world (3 orgs, 3 apps, 8 users)\n`, stderr: '' });
  });
});

describe('sfjwt world --check', () => {
  it('names the world file and the field of a corrupt certificate given as PEM text: exit 2, no stack', async () => {
    const file = worldFile('inline-pem', (w) => (w.apps[1].certificates = [corruptPem()]));
    const r = await run(['world', '--check', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `sfjwt: ${file} is not a valid world (1 problem):\n  apps[1].certificates[0]: a corrupt PEM certificate: the text between its BEGIN and END lines is not an X.509 certificate (cut short, or changed when copied?)\n  → Fix the fields named above; \`npx sfjwt world\` prints a valid world to start from.\n`,
    );
  });

  it('names the world file, the field and the certificate file of a corrupt certificate given as a path', async () => {
    const file = worldFile('file-pem', (w) => (w.apps[0].certificates = ['app.crt']));
    writeFileSync(join(home, 'file-pem', 'app.crt'), corruptPem());
    const r = await run(['world', '--check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toEqual([
      `sfjwt: ${file}: apps[0].certificates[0]: the certificate file app.crt holds a corrupt PEM certificate: the text between its BEGIN and END lines is not an X.509 certificate (cut short, or changed when copied?)`,
      '  → Give the PEM certificate uploaded to the app (-----BEGIN CERTIFICATE-----): its text, or a path relative to the world file.',
      '',
    ]);
  });

  it('lists a shape problem and a dangling reference together, and the Id a wrong one meant', async () => {
    const file = worldFile('all-at-once', (w) => {
      w.apps[0].policy = 'all';
      w.users[0].org = 'globex';
      w.users[1].id = '00558000001N0KeAAA';
    });
    const r = await run(['world', '--check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').slice(0, 4)).toEqual([
      `sfjwt: ${file} is not a valid world (3 problems):`,
      '  apps[0].policy: expected one of "self-authorize", "admin-approved", got "all"',
      '  users[1].id: expected an 18-character Salesforce Id with a valid case-checksum suffix, got "00558000001N0KeAAA"; did you mean "00558000001N0KeAAK"?',
      '  users[0].org: no org is named "globex"; expected one of "acme", "acme-uat", "initech"',
    ]);
  });

  it('passes a valid world that is likely a mistake, with a warning per field on standard error', async () => {
    const file = worldFile('warnings', (w) => {
      w.apps[0].certificates = [];
      w.apps[2].profiles = ['Integration Usr'];
    });
    const r = await run(['world', '--check', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${file}: a valid world (3 orgs, 3 apps, 8 users)\n`);
    expect(r.stderr.split('\n')).toEqual([
      `sfjwt: warning: ${file}: apps[0].certificates: the app "Acme Integration" has no certificate, so no JWT bearer login to it can succeed (a signature is verified with the app's certificates); add the PEM certificate of the key that signs the assertions`,
      `sfjwt: warning: ${file}: apps[2].profiles[0]: no user has the profile "Integration Usr", so it admits no one; did you mean "Integration User"? (profile names are case-sensitive)`,
      '',
    ]);
  });

  it('--help names the warnings and the state folder', async () => {
    const r = await run(['world', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('warnings (an app without a certificate, a likely typo of a profile) on stderr');
    expect(r.stdout).toContain('--state-dir DIR');
  });
});
