/**
 * `serve`'s admin token, in this process through `main(argv, io)`: on by default (a random token per
 * start, printed in the --json line as adminToken and required by the admin API's state changes),
 * chosen with --admin-token or SFJWT_ADMIN_TOKEN, off with --no-admin-token; a token that cannot be
 * one, or both flags at once, is a usage error (exit 2) naming the flag or variable.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../lib/errors.ts';
import { NOW } from '../../mock-server/testing/fixtures.ts';
import { main } from './main.ts';
import { serveSettings } from './serve.ts';
import { collector } from './testing/collector.ts';

const home = mkdtempSync(join(tmpdir(), 'sfjwt-serve-token-'));
const TOKEN = 'a-token-chosen-by-the-user-0123';

/** Runs `serve --json --http …` until its line is printed, gives the line to `use`, then stops it. */
async function serving(argv: string[], env: Record<string, string>, use: (d: { admin: string; adminToken: string | null }) => Promise<void>): Promise<void> {
  const stop = new AbortController();
  let listening: (line: string) => void = () => {};
  const firstLine = new Promise<string>((resolve) => (listening = resolve));
  const stdout = collector((text) => text.includes('\n') && listening(text.slice(0, text.indexOf('\n'))));
  const stderr = collector();
  const served = main(['serve', '--json', '--http', '--port', '0', ...argv], { stdout, stderr, env: { SFJWT_HOME: home, NO_COLOR: '1', ...env }, now: () => NOW, signal: stop.signal });
  try {
    await use(JSON.parse(await Promise.race([firstLine, served.then(() => Promise.reject(new Error(stderr.text)))])) as { admin: string; adminToken: string | null });
  } finally {
    stop.abort();
  }
  expect(await served).toBe(0);
}

const reset = (admin: string, headers: Record<string, string> = {}) => fetch(`${admin}/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } });

describe('serve and the admin token', () => {
  it('by default: a random token, printed as adminToken, that state changes need', async () => {
    await serving([], {}, async ({ admin, adminToken }) => {
      expect(adminToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await reset(admin)).status).toBe(401);
      expect((await reset(admin, { Authorization: `Bearer ${adminToken ?? ''}` })).status).toBe(200);
      expect((await fetch(`${admin}/world`)).status).toBe(200);
    });
  });

  it.each([
    ['--admin-token', ['--admin-token', TOKEN], {}],
    ['SFJWT_ADMIN_TOKEN', [], { SFJWT_ADMIN_TOKEN: TOKEN }],
    ['--admin-token over SFJWT_ADMIN_TOKEN', ['--admin-token', TOKEN], { SFJWT_ADMIN_TOKEN: 'the-variable-loses-0123456789' }],
  ])('chosen with %s', async (_name, argv, env) => {
    await serving(argv, env, async ({ admin, adminToken }) => {
      expect(adminToken).toBe(TOKEN);
      expect((await reset(admin, { 'x-sfjwt-admin-token': TOKEN })).status).toBe(200);
    });
  });

  it('--no-admin-token: adminToken null, state changes without one', async () => {
    await serving(['--no-admin-token'], { SFJWT_ADMIN_TOKEN: TOKEN }, async ({ admin, adminToken }) => {
      expect(adminToken).toBeNull();
      expect((await reset(admin)).status).toBe(200);
    });
  });

  it.each([
    [{ 'admin-token': 'short' }, {}, '--admin-token must be 16 to 256 visible ASCII characters without spaces, got 5 characters'],
    [{}, { SFJWT_ADMIN_TOKEN: 'with spaces in it, 0123456789' }, 'SFJWT_ADMIN_TOKEN must be 16 to 256 visible ASCII characters without spaces, got 29 characters'],
    // A bad variable is reported even where a flag decides.
    [{ 'no-admin-token': true }, { SFJWT_ADMIN_TOKEN: 'x' }, 'SFJWT_ADMIN_TOKEN must be 16 to 256 visible ASCII characters without spaces, got 1 character'],
    [{ 'admin-token': TOKEN, 'no-admin-token': true }, {}, '--admin-token and --no-admin-token contradict each other'],
  ])('%j with %j: UsageError "%s"', (values, env, message) => {
    expect(() => serveSettings(values, env)).toThrow(UsageError);
    expect(() => serveSettings(values, env)).toThrow(message);
  });

  it('settings: absent unless given (startMockOrg then makes one); an empty variable is unset', () => {
    expect(serveSettings({}, { SFJWT_ADMIN_TOKEN: '' })).not.toHaveProperty('adminToken');
    expect(serveSettings({ 'no-admin-token': true }, {})).toMatchObject({ adminToken: false });
    expect(serveSettings({}, { SFJWT_ADMIN_TOKEN: TOKEN })).toMatchObject({ adminToken: TOKEN });
  });

  it('a bad token from the command line exits 2 without a stack', async () => {
    const stderr = collector();
    expect(await main(['serve', '--admin-token', 'short'], { stdout: collector(), stderr, env: { SFJWT_HOME: home } })).toBe(2);
    expect(stderr.text).toBe('sfjwt: --admin-token must be 16 to 256 visible ASCII characters without spaces, got 5 characters\n  → Leave it out for a random one, printed once the mock listens.\n');
  });
});
