/**
 * The CLI as a user meets it, run in this process through `main(argv, io)` with captured output, a
 * frozen clock and an env of its own: usage mistakes exit 2 with a message and no stack trace;
 * `serve --json` prints one line with what a client needs and stops when its signal is aborted;
 * `world` prints a world that `world --check` accepts, and names the wrong field of a broken one.
 * A real `node bin/sfjwt.js` process runs only where the process is what is tested: its exit code,
 * `serve --json` stopped by SIGTERM, and a reader that closes the pipe early.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { NOW } from '../../mock-server/testing/fixtures.ts';
import { main } from './main.ts';
import { COMMANDS } from './registry.ts';
import { collector } from './testing/collector.ts';

const BIN = new URL('../../bin/sfjwt.js', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'sfjwt-cli-'));
const env = { SFJWT_HOME: home, NO_COLOR: '1' };
/** The parent's SFJWT_* variables must not leak into the processes started here. */
const processEnv = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SFJWT_'))), ...env };

/** `npx sfjwt …` in this process: exit code and what it wrote. */
async function run(argv: string[], signal?: AbortSignal) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { stdout, stderr, env, now: () => NOW, ...(signal === undefined ? {} : { signal }) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('sfjwt CLI', () => {
  it.each([
    [['bogus'], 'sfjwt: unknown command "bogus"'],
    [['serve', '--port', 'abc'], 'sfjwt: --port takes a whole number from 0 to 65535, got "abc"'],
    [['serve', '--nope'], "sfjwt: Unknown option '--nope'"],
    [['serve', '--knob', 'loginRatePerHour=abc'], 'sfjwt: bad --knob loginRatePerHour: must be null or an integer from 1 to 100000, got "abc"'],
    [['serve', '--knob', 'maxBodyBytes=104857600'], 'sfjwt: bad --knob maxBodyBytes: must be an integer from 1024 to 4194304, got 104857600'],
    [['world', '--check', join(home, 'missing.json')], `sfjwt: cannot read the world file ${join(home, 'missing.json')}: ENOENT`],
    [['keys', 'check'], 'sfjwt: keys check needs --key FILE, --cert FILE or both'],
    [['keys', 'check', '--key', join(home, 'nope.key')], `sfjwt: cannot read the key file ${join(home, 'nope.key')}: ENOENT`],
    [['keys', 'generate'], 'sfjwt: keys generate needs --out DIR'],
    [
      ['keys', 'generate', '--out', join(home, 'k1'), '--jks', '--alias', '1'],
      'sfjwt: the JKS alias "1" is keytool\'s default (after keytool -importkeystore from a PKCS#12 without a friendly name), which Salesforce refuses',
    ],
    [['keys', 'generate', '--out', join(home, 'k2'), '--subject', 'CN'], 'sfjwt: --subject: "CN" is not NAME=value in the subject "CN"'],
  ])('%j exits 2 with a clear message', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('keys generate then keys check: exit 0 for a matching pair, 1 with findings, JSON on request', async () => {
    const out = join(home, 'generated');
    const gen = await run(['keys', 'generate', '--out', out, '--passphrase', 'secret', '--json']);
    expect(gen.code).toBe(0);
    expect(JSON.parse(gen.stdout)).toMatchObject({ generatedPassphrase: false, files: { key: join(out, 'server.key'), certificate: join(out, 'server.crt') } });
    const ok = await run(['keys', 'check', '--key', join(out, 'server.pass.key'), '--passphrase', 'secret', '--cert', join(out, 'server.crt'), '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true });
    const swapped = await run(['keys', 'check', '--key', join(out, 'server.crt'), '--cert', join(out, 'server.key')]);
    expect(swapped.code).toBe(1);
    expect(swapped.stdout).toContain('error   key-not-private: Not a private key');
    expect(swapped.stdout).toContain('error   cert-not-certificate: Not a certificate');
    expect(swapped.stdout).not.toContain('-----BEGIN');
    const again = await run(['keys', 'generate', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('sfjwt: not overwriting');
  });

  it("keys generate and keys check read the context's clock", async () => {
    const out = join(home, 'dated');
    expect((await run(['keys', 'generate', '--out', out, '--json'])).code).toBe(0);
    const checkAt = async (at: number) => {
      const stdout = collector();
      await main(['keys', 'check', '--cert', join(out, 'server.crt'), '--json'], { stdout, stderr: collector(), env, now: () => at });
      return (JSON.parse(stdout.text) as { findings: { id: string; saw: string }[] }).findings;
    };
    // Made at the frozen NOW (2026-03-01) for 365 days: valid then, not a day before, expired a year and a day later.
    const atNow = await checkAt(NOW);
    expect(atNow.map((f) => f.id)).toEqual(['cert-ok']);
    expect(atNow[0]?.saw).toContain('valid 2026-03-01 to 2027-03-01');
    expect((await checkAt(NOW - 86_400_000)).map((f) => f.id)).toContain('cert-not-yet-valid');
    expect((await checkAt(NOW + 366 * 86_400_000)).map((f) => f.id)).toContain('cert-expired');
  });

  it('a port in use, a broken config and an unreadable key: exit 2 with the file or port named', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      // An aborted signal: should serve start after all, it stops at once instead of running on.
      const busy = await run(['serve', '--http', '--port', String(port)], AbortSignal.abort());
      expect(busy.code).toBe(2);
      expect(busy.stderr.split('\n')[0]).toBe(`sfjwt: port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
    const config = join(home, 'sfjwt.config.json');
    writeFileSync(config, '{"targets":{"org":{"loginUrl":"https://127.0.0.1:1","consumerKey":"k","username":"u","keyFile":"missing.key","passphrase":"p4ss"}}}');
    const noKey = await run(['run', '--config', config, '--target', 'org']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain(`sfjwt: target "org": cannot read the key file ${join(home, 'missing.key')}: ENOENT`);
    expect(noKey.stderr).not.toContain('p4ss');
    writeFileSync(config, '{"targets":{"org":{"loginUrl":"nope"}}}');
    const broken = await run(['run', '--config', config, '--target', 'org']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`sfjwt: ${config} is not a valid sfjwt config:`);
    expect(broken.stderr).toContain('targets.org.loginUrl: expected a URL such as https://login.salesforce.com');
    expect(broken.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help lists the commands, each command has --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}serve +Serve the mock Salesforce org/m);
    for (const { name, summary } of COMMANDS) {
      expect(r.stdout).toContain(`  ${name.padEnd(9)}  ${summary}\n`);
      // Every loader resolves to a command that answers --help.
      const help = await run([name, '--help']);
      expect(help).toMatchObject({ code: 0, stderr: '' });
      expect(help.stdout).toContain(`npx sfjwt ${name}`);
    }
  });

  it("relative paths and the default state folder are in the context's folder", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sfjwt-cli-cwd-'));
    const inCwd = async (argv: string[]) => {
      const stdout = collector();
      const stderr = collector();
      const code = await main(argv, { stdout, stderr, env: { NO_COLOR: '1' }, now: () => NOW, cwd });
      return { code, stdout: stdout.text, stderr: stderr.text };
    };
    const printed = await inCwd(['world']);
    expect(printed.code).toBe(0);
    // No SFJWT_HOME: the default world's key went to <cwd>/.sfjwt, not to the test process's folder.
    expect(readFileSync(join(cwd, '.sfjwt', 'keys', 'default-app.crt'), 'utf8')).toContain('BEGIN CERTIFICATE');
    writeFileSync(join(cwd, 'w.json'), printed.stdout);
    expect(await inCwd(['world', '--check', 'w.json'])).toMatchObject({ code: 0, stdout: `${join(cwd, 'w.json')}: a valid world (3 orgs, 3 apps, 8 users)\n` });
    expect((await inCwd(['world', '--check', 'missing.json'])).stderr.split('\n')[0]).toBe(`sfjwt: cannot read the world file ${join(cwd, 'missing.json')}: ENOENT`);
  });

  it('world prints a valid world; a broken copy is refused naming the field', async () => {
    const printed = await run(['world', '--seed', '3']);
    expect(printed.code).toBe(0);
    const file = join(home, 'world.json');
    writeFileSync(file, printed.stdout);
    expect(await run(['world', '--check', file])).toMatchObject({ code: 0, stdout: `${file}: a valid world (3 orgs, 3 apps, 8 users)\n` });
    const world = JSON.parse(readFileSync(file, 'utf8')) as { apps: { policy: string }[] };
    if (world.apps[0] !== undefined) world.apps[0].policy = 'all';
    writeFileSync(file, JSON.stringify(world));
    const bad = await run(['world', '--check', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file} is not a valid world (1 problem):`);
    expect(bad.stderr).toContain('apps[0].policy: expected one of "self-authorize", "admin-approved", got "all"');
    expect(bad.stderr).not.toMatch(/Invalid (input|option)|received/);
  });

  it('serve --json prints one line with the base URLs, the key file and the users, and stops when its signal is aborted', async () => {
    const stop = new AbortController();
    let listening: (line: string) => void = () => {};
    const firstLine = new Promise<string>((resolve) => (listening = resolve));
    const stdout = collector((text) => text.includes('\n') && listening(text.slice(0, text.indexOf('\n'))));
    const served = main(['serve', '--json', '--http', '--port', '0'], { stdout, stderr: collector(), env, now: () => NOW, signal: stop.signal });
    let admin = '';
    try {
      const d = JSON.parse(await firstLine) as Record<string, unknown>;
      expect(d).toMatchObject({ ca: null, username: 'integration@acme.com' });
      for (const key of ['login', 'test', 'myDomain', 'admin']) expect(d[key]).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
      expect(d['privateKeyFile']).toBe(join(home, 'keys', 'default-app.key'));
      expect(d['users']).toContainEqual({ username: 'remote@acme.com', org: 'acme', situation: 'IP restricted', password: 'Train-XasB1WLndu7' });
      expect(d['apps']).toContainEqual(expect.objectContaining({ name: 'Acme Admin-Approved Integration', policy: 'admin-approved' }));
      admin = String(d['admin']);
      const health = await fetch(`${admin}/health`);
      expect(await health.json()).toEqual({ status: 'ok', requests: 0 });
    } finally {
      stop.abort();
    }
    expect(await served).toBe(0);
    // Stopped means closed: the port no longer answers.
    await expect(fetch(`${admin}/health`)).rejects.toThrow();
    expect(stdout.text.split('\n')).toHaveLength(2);
  });
});

describe('sfjwt as a process', () => {
  function spawnBin(args: string[]) {
    const r = spawnSync(process.execPath, [BIN, ...args], { env: processEnv, encoding: 'utf8', timeout: 30_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('the exit code of main is the exit code of the process: 2 for a usage mistake (no stack), 0 for --help', () => {
    const bad = spawnBin(['serve', '--port', 'abc']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr.split('\n')[0]).toBe('sfjwt: --port takes a whole number from 0 to 65535, got "abc"');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const help = spawnBin(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}serve +Serve the mock Salesforce org/m);
  });

  it('serve --json on free ports of 127.0.0.1 prints its line, answers, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--json', '--http', '--port', '0'], { env: processEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
      const d = JSON.parse(line) as Record<string, unknown>;
      expect(d['login']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(d['privateKeyFile']).toBe(join(home, 'keys', 'default-app.key'));
      const health = await fetch(`${String(d['admin'])}/health`);
      expect(await health.json()).toEqual({ status: 'ok', requests: 0 });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('a reader that closes the pipe early (sfjwt … | head) ends nothing with a stack: exit 0, only the note on stderr', async () => {
    // Megabytes of JSON in one write: the reader is gone long before it is through.
    const child = spawn(process.execPath, [BIN, 'world', '--generate', '--orgs', '20', '--users', '500'], { env: processEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    // The one line world --generate always writes (whose certificate the world holds), nothing of the pipe.
    expect(stderr.split('\n').filter((l) => l !== '' && !l.startsWith('sfjwt: note: '))).toEqual([]);
    expect(code).toBe(0);
  });
});
