/**
 * The CLI as a user meets it: a real `node bin/sfjwt.js` process. Usage mistakes exit 2 with a
 * message and no stack trace; `serve --json` prints one line with what a client needs; `world`
 * prints a world that `world --check` accepts, and names the wrong field of a broken one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/sfjwt.js', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'sfjwt-cli-'));
const env = { ...process.env, SFJWT_HOME: home, NO_COLOR: '1' };

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('sfjwt CLI', () => {
  it.each([
    [['bogus'], 'sfjwt: unknown command "bogus"'],
    [['serve', '--port', 'abc'], 'sfjwt: --port takes a whole number from 0 to 65535, got "abc"'],
    [['serve', '--nope'], "sfjwt: Unknown option '--nope'"],
    [['serve', '--knob', 'loginRatePerHour=abc'], 'sfjwt: bad --knob: loginRatePerHour: Invalid input: expected number, received string'],
    [['world', '--check', join(home, 'missing.json')], `sfjwt: cannot read the world file ${join(home, 'missing.json')}: ENOENT`],
    [['keys', 'check'], 'sfjwt: keys check needs --key FILE, --cert FILE or both'],
    [['keys', 'check', '--key', join(home, 'nope.key')], `sfjwt: cannot read the key file ${join(home, 'nope.key')}: ENOENT`],
    [['keys', 'generate'], 'sfjwt: keys generate needs --out DIR'],
    [['keys', 'generate', '--out', join(home, 'k1'), '--jks', '--alias', '1'], 'sfjwt: the JKS alias "1" is the one Salesforce refuses (keytool\'s default after -importkeystore)'],
    [['keys', 'generate', '--out', join(home, 'k2'), '--subject', 'CN'], 'sfjwt: --subject: "CN" is not NAME=value in the subject "CN"'],
  ])('%j exits 2 with a clear message', (args, message) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('keys generate then keys check: exit 0 for a matching pair, 1 with findings, JSON on request', () => {
    const out = join(home, 'generated');
    const gen = run(['keys', 'generate', '--out', out, '--passphrase', 'secret', '--json']);
    expect(gen.code).toBe(0);
    expect(JSON.parse(gen.stdout)).toMatchObject({ generatedPassphrase: false, files: { key: join(out, 'server.key'), certificate: join(out, 'server.crt') } });
    const ok = run(['keys', 'check', '--key', join(out, 'server.pass.key'), '--passphrase', 'secret', '--cert', join(out, 'server.crt'), '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true });
    const swapped = run(['keys', 'check', '--key', join(out, 'server.crt'), '--cert', join(out, 'server.key')]);
    expect(swapped.code).toBe(1);
    expect(swapped.stdout).toContain('error   key-not-private: Not a private key');
    expect(swapped.stdout).toContain('error   cert-not-certificate: Not a certificate');
    expect(swapped.stdout).not.toContain('-----BEGIN');
    const again = run(['keys', 'generate', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('sfjwt: not overwriting');
  });

  it('a port in use, a broken config and an unreadable key: exit 2 with the file or port named', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const busy = run(['serve', '--http', '--port', String(port)]);
      expect(busy.code).toBe(2);
      expect(busy.stderr.split('\n')[0]).toBe(`sfjwt: port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
    const config = join(home, 'sfjwt.config.json');
    writeFileSync(config, '{"targets":{"org":{"loginUrl":"https://127.0.0.1:1","consumerKey":"k","username":"u","keyFile":"missing.key","passphrase":"p4ss"}}}');
    const noKey = run(['run', '--config', config, '--target', 'org']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain(`sfjwt: target "org": cannot read the key file ${join(home, 'missing.key')}: ENOENT`);
    expect(noKey.stderr).not.toContain('p4ss');
    writeFileSync(config, '{"targets":{"org":{"loginUrl":"nope"}}}');
    const broken = run(['run', '--config', config, '--target', 'org']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`sfjwt: ${config} is not a valid sfjwt config:`);
    expect(broken.stderr).toContain('targets.org.loginUrl: expected a URL such as https://login.salesforce.com');
    expect(broken.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help lists the commands, each command has --help', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}serve +Serve the mock Salesforce org/m);
    for (const cmd of ['serve', 'start', 'world']) expect(run([cmd, '--help']).stdout).toContain(`npx sfjwt ${cmd}`);
  });

  it('world prints a valid world; a broken copy is refused naming the field', () => {
    const printed = run(['world', '--seed', '3']);
    expect(printed.code).toBe(0);
    const file = join(home, 'world.json');
    writeFileSync(file, printed.stdout);
    expect(run(['world', '--check', file])).toMatchObject({ code: 0, stdout: `${file}: a valid world (3 orgs, 3 apps, 8 users)\n` });
    const world = JSON.parse(readFileSync(file, 'utf8')) as { apps: { policy: string }[] };
    if (world.apps[0] !== undefined) world.apps[0].policy = 'all';
    writeFileSync(file, JSON.stringify(world));
    const bad = run(['world', '--check', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file} is not a valid world (1 problem):`);
    expect(bad.stderr).toContain('apps[0].policy: Invalid option: expected one of "self-authorize"|"admin-approved", got "all"');
  });

  it('serve --json prints one line with the base URLs, the key file and the users', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--json', '--http'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
      const d = JSON.parse(line) as Record<string, unknown>;
      expect(d).toMatchObject({ ca: null, username: 'integration@acme.com' });
      for (const key of ['login', 'test', 'myDomain', 'admin']) expect(d[key]).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
      expect(d['privateKeyFile']).toBe(join(home, 'keys', 'default-app.key'));
      expect(d['users']).toContainEqual({ username: 'remote@acme.com', org: 'acme', situation: 'IP restricted' });
      expect(d['apps']).toContainEqual(expect.objectContaining({ name: 'Acme Admin-Approved Integration', policy: 'admin-approved' }));
      const health = await fetch(`${String(d['admin'])}/health`);
      expect(await health.json()).toEqual({ status: 'ok', requests: 0 });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
