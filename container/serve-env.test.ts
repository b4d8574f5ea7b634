/**
 * How a container configures `sfjwt serve`: the SFJWT_* variables are the defaults of its flags, a
 * flag wins, an empty variable is unset, and a bad value is a usage error (exit 2) naming the
 * variable, never ignored. With a wildcard bind the printed URLs name localhost. The ready file holds
 * the JSON line while serve runs (the image's health check reads it) and is gone once it stops.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../lib/errors.ts';
import { startMockOrg } from '../mock-server/adapters/node-server.ts';
import { describeStarted } from '../mock-server/adapters/serve-description.ts';
import { testStateDir } from '../mock-server/testing/fixtures.ts';
import { serveSettings } from '../src/cli/serve.ts';

const BIN = new URL('../bin/sfjwt.js', import.meta.url).pathname;
// The state folder with the local CA and the default world's app key already made (nothing to generate).
const home = testStateDir('sfjwt-serve-env-');
/** The parent's SFJWT_* variables must not leak into these runs. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SFJWT_')));

describe('serveSettings: flags, then SFJWT_* variables, then defaults', () => {
  it('no flags and no variables: the block from 8443 on 127.0.0.1, HTTPS, not strict', () => {
    expect(serveSettings({}, {})).toEqual({ port: 8443, bind: '127.0.0.1', tls: true, requireTls: true, strict: false });
  });

  it('every variable, as the image sets them', () => {
    const env = { SFJWT_WORLD: '/etc/sfjwt/world.json', SFJWT_SEED: '7', SFJWT_TLS: 'false', SFJWT_STRICT: 'true', SFJWT_PORT: '8443', SFJWT_BIND: '0.0.0.0', SFJWT_READY_FILE: '/tmp/r.json' };
    expect(serveSettings({}, env)).toEqual({ port: 8443, bind: '0.0.0.0', tls: false, requireTls: false, world: '/etc/sfjwt/world.json', seed: 7, strict: true, readyFile: '/tmp/r.json' });
  });

  it('a flag wins over its variable', () => {
    const env = { SFJWT_WORLD: '/a.json', SFJWT_SEED: '7', SFJWT_TLS: 'true', SFJWT_PORT: '8443', SFJWT_BIND: '0.0.0.0', SFJWT_READY_FILE: '/tmp/a' };
    const values = { world: '/b.json', seed: '9', http: true, port: '0', bind: '127.0.0.1', 'ready-file': '/tmp/b', 'state-dir': '/s' };
    expect(serveSettings(values, env)).toEqual({ port: 0, bind: '127.0.0.1', tls: false, requireTls: false, world: '/b.json', seed: 9, strict: false, stateDir: '/s', readyFile: '/tmp/b' });
  });

  it('an empty variable counts as unset; 1 and 0 are true and false', () => {
    expect(serveSettings({}, { SFJWT_WORLD: '', SFJWT_SEED: '', SFJWT_PORT: '', SFJWT_BIND: '', SFJWT_TLS: '', SFJWT_STRICT: '' })).toEqual({
      port: 8443,
      bind: '127.0.0.1',
      tls: true,
      requireTls: true,
      strict: false,
    });
    expect(serveSettings({}, { SFJWT_TLS: '0', SFJWT_STRICT: '1' })).toMatchObject({ tls: false, strict: true });
    expect(serveSettings({ 'require-tls': true }, { SFJWT_TLS: 'false' })).toMatchObject({ tls: false, requireTls: true });
  });

  it.each([
    [{ SFJWT_TLS: 'yes' }, {}, 'SFJWT_TLS takes true or false, got "yes"'],
    [{ SFJWT_STRICT: 'TRUE' }, {}, 'SFJWT_STRICT takes true or false, got "TRUE"'],
    [{ SFJWT_PORT: 'http' }, {}, 'SFJWT_PORT takes a whole number from 0 to 65535, got "http"'],
    [{ SFJWT_PORT: '70000' }, {}, 'SFJWT_PORT takes a whole number from 0 to 65535, got "70000"'],
    [{ SFJWT_SEED: '-1' }, {}, 'SFJWT_SEED takes a whole number from 0 to 2147483647, got "-1"'],
    [{ SFJWT_BIND: 'localhost' }, {}, 'SFJWT_BIND takes an IP address such as 127.0.0.1 or 0.0.0.0, got "localhost"'],
    [{}, { bind: '0.0.0.0:8443' }, '--bind takes an IP address such as 127.0.0.1 or 0.0.0.0, got "0.0.0.0:8443"'],
    // A bad variable is reported even where a flag would have decided.
    [{ SFJWT_TLS: 'maybe' }, { http: true }, 'SFJWT_TLS takes true or false, got "maybe"'],
    [{ SFJWT_BIND: 'anywhere' }, { bind: '127.0.0.1' }, 'SFJWT_BIND takes an IP address such as 127.0.0.1 or 0.0.0.0, got "anywhere"'],
  ])('%j with flags %j: UsageError "%s"', (env, values, message) => {
    let thrown: unknown;
    try {
      serveSettings(values, env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toBe(message);
    expect((thrown as UsageError).actions.length).toBeGreaterThan(0);
  });
});

describe('the documentation', () => {
  const readme = readFileSync(new URL('../docs/serving.md', import.meta.url), 'utf8');
  const help = spawnSync(process.execPath, [BIN, 'serve', '--help'], { env: cleanEnv, encoding: 'utf8', timeout: 30_000 }).stdout;
  it.each(['SFJWT_WORLD', 'SFJWT_FIXTURES', 'SFJWT_SEED', 'SFJWT_TLS', 'SFJWT_STRICT', 'SFJWT_PORT', 'SFJWT_BIND', 'SFJWT_READY_FILE', 'SFJWT_HOME'])(
    'docs/serving.md and serve --help name %s',
    (name) => {
      expect(readme).toContain(`| \`${name}\` |`);
      expect(help).toContain(`[${name}`);
    },
  );
});

describe('describeStarted with a wildcard bind', () => {
  // Listening on 0.0.0.0 would open ports beyond loopback: the URLs of a loopback mock are rewritten instead.
  it.each(['0.0.0.0', '[::]'])('%s in a base URL is printed as localhost, which the listeners answer to', async (wildcard) => {
    const started = await startMockOrg({ tls: false, stateDir: home });
    try {
      const wild = (u: string) => u.replace('127.0.0.1', wildcard);
      const rewrite = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).map(([k, u]) => [k, wild(u)]));
      const d = describeStarted({
        ...started,
        login: wild(started.login),
        test: wild(started.test),
        admin: wild(started.admin),
        hosts: rewrite(started.hosts),
        myDomain: rewrite(started.myDomain),
        sites: rewrite(started.sites),
      });
      const local = (u: string) => u.replace('127.0.0.1', 'localhost');
      expect(d.login).toBe(local(started.login));
      expect(d.admin).toBe(local(started.admin));
      expect(d.myDomain).toBe(local(started.myDomain['acme'] ?? ''));
      expect(d.sites).toEqual({ 'acme/customers': local(started.sites['acme/customers'] ?? '') });
      expect(Object.values(d.hosts)).toEqual(Object.values(started.hosts).map(local));
    } finally {
      await started.close();
    }
  });
});

describe('sfjwt serve in the environment a container gives it', () => {
  it('a bad variable: exit 2, the message names it, no stack', () => {
    const r = spawnSync(process.execPath, [BIN, 'serve', '--json'], { env: { ...cleanEnv, SFJWT_HOME: home, SFJWT_TLS: 'maybe' }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('sfjwt: SFJWT_TLS takes true or false, got "maybe"\n  → Set SFJWT_TLS=true or SFJWT_TLS=false, or unset it.\n');
  });

  it('SFJWT_TLS=false, SFJWT_STRICT=true, SFJWT_SEED=7 and a ready file: HTTP, no trace header, the file gone after SIGTERM', async () => {
    const readyFile = join(home, 'ready.json');
    const env = { ...cleanEnv, SFJWT_HOME: home, SFJWT_TLS: 'false', SFJWT_STRICT: 'true', SFJWT_BIND: '127.0.0.1', SFJWT_PORT: '0', SFJWT_SEED: '7', SFJWT_READY_FILE: readyFile };
    const child = spawn(process.execPath, [BIN, 'serve', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
      expect(readFileSync(readyFile, 'utf8')).toBe(`${line}\n`);
      const d = JSON.parse(line) as { login: string; admin: string; ca: string | null; hosts: Record<string, string>; consumerKey: string };
      expect(d.ca).toBeNull();
      expect(d.login).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(d.admin).toBe(`${d.login}/__sfjwt`);
      expect(Object.keys(d.hosts)).toHaveLength(9);
      // Seed 7 is not the default world's 42: other consumer keys.
      const seeded = spawnSync(process.execPath, [BIN, 'world', '--seed', '7'], { env: { ...cleanEnv, SFJWT_HOME: home }, encoding: 'utf8', timeout: 30_000 });
      expect(d.consumerKey).toBe((JSON.parse(seeded.stdout) as { apps: { consumerKey: string }[] }).apps[0]?.consumerKey);
      const res = await fetch(`${d.login}/services/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password' });
      expect(res.status).toBe(400);
      expect(res.headers.get('x-sfjwt-trace')).toBeNull();
      expect(await res.text()).toBe('{"error":"unsupported_grant_type","error_description":"grant type not supported"}');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(existsSync(readyFile)).toBe(false);
  });
});
