/**
 * `serve`'s ports and what it says about keys, in this process through `main(argv, io)`: without
 * --port the block starts at 8443 (the same on every start), --help says how many ports the default
 * world takes and what --port N and --port 0 do, a port of the block in use is exit 2 naming it and
 * the ways out, and a block past 65535 is exit 2 rather than a RangeError. The --json line names the
 * app's certificate next to its key; with a world file, which holds certificates only, the text says
 * so instead of naming a key. Servers listen on free ports of 127.0.0.1 (--port 0) or on none.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMockOrg } from '../../mock-server/adapters/node-server.ts';
import { NOW, testStateDir } from '../../mock-server/testing/fixtures.ts';
import { main } from './main.ts';
import { DEFAULT_PORT, DEFAULT_WORLD_PORTS, serveSettings } from './serve.ts';
import { collector } from './testing/collector.ts';

const home = testStateDir('sfjwt-serve-ports-');
const env = { SFJWT_HOME: home, NO_COLOR: '1' };

async function run(argv: string[], signal = AbortSignal.abort()) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { stdout, stderr, env, now: () => NOW, signal });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Runs serve until its first output is complete, then stops it: what it printed. */
async function printed(argv: string[]): Promise<string> {
  const stop = new AbortController();
  const stdout = collector((text) => (argv.includes('--json') ? text.includes('\n') : text.includes('Ctrl-C stops it.')) && stop.abort());
  const stderr = collector();
  const code = await main(['serve', '--http', '--port', '0', ...argv], { stdout, stderr, env, now: () => NOW, signal: stop.signal });
  expect([code, stderr.text]).toEqual([0, '']);
  return stdout.text;
}

describe('serve: a stable block of ports', () => {
  it('without --port or SFJWT_PORT the block starts at 8443; --port 0 and SFJWT_PORT=0 are free ports', () => {
    expect(DEFAULT_PORT).toBe(8443);
    expect(serveSettings({}, {}).port).toBe(8443);
    expect(serveSettings({ port: '0' }, {}).port).toBe(0);
    expect(serveSettings({}, { SFJWT_PORT: '0' }).port).toBe(0);
    expect(serveSettings({ port: '9443' }, { SFJWT_PORT: '0' }).port).toBe(9443);
  });

  it('the default world takes DEFAULT_WORLD_PORTS ports, one per logical host', async () => {
    await using mock = await startMockOrg({ port: 0, tls: false, stateDir: home });
    expect(Object.keys(mock.hosts)).toHaveLength(DEFAULT_WORLD_PORTS);
    expect(DEFAULT_WORLD_PORTS).toBe(9);
  });

  it('--help says what the block is: N, N+1, … one per host, how many the default world takes, and --port 0', async () => {
    const help = (await run(['serve', '--help'])).stdout;
    expect(help).toContain('  --port N        the first of a block of consecutive ports, one per logical host: N for\n                  login.salesforce.com, N+1 for test.salesforce.com,');
    expect(help).toContain('The default world takes 9 ports: 8443 to 8451 by default, the same\n                  on every start; --port 0: free ports, other ones each start (printed) [SFJWT_PORT]');
  });

  it('a port of the block in use: exit 2, the port named, and the ways out (--port 0 or another --port)', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const busy = await run(['serve', '--http', '--port', String(port)]);
      expect(busy.code).toBe(2);
      expect(busy.stderr).toBe(
        [
          `sfjwt: port ${port} on 127.0.0.1 is already in use`,
          `  → serve listens on consecutive ports from ${port}, one per host of the world (the default world: 9, ${port} to ${port + 8}), and port ${port} is taken (by another sfjwt serve, or another program).`,
          '  → Pass --port 0 for free ports (printed once listening), or another --port N for the block from N on (SFJWT_PORT in a container).',
          '',
        ].join('\n'),
      );
    } finally {
      blocker.close();
    }
  });

  it('a block that runs past 65535: exit 2 naming the last port, not a RangeError from listen', async () => {
    const r = await run(['serve', '--http', '--port', '65530']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('sfjwt: port 65530 leaves too few ports for the 9 hosts of the world: the last would be 65538, above 65535\n  → Choose a --port of at most 65527, or 0 for free ports.\n');
  });
});

describe('serve: what it says about keys', () => {
  it('--json names the default app certificate next to its private key, at the top and for each app', async () => {
    const d = JSON.parse(await printed(['--json'])) as { privateKeyFile: string; certificateFile: string; apps: { privateKeyFile: string; certificateFile: string }[] };
    expect(d.privateKeyFile).toBe(join(home, 'keys', 'default-app.key'));
    expect(d.certificateFile).toBe(join(home, 'keys', 'default-app.crt'));
    expect(d.apps.map((a) => a.certificateFile)).toEqual(d.apps.map(() => join(home, 'keys', 'default-app.crt')));
  });

  it('the text names both files for the default world', async () => {
    const text = await printed([]);
    expect(text).toContain(`private key:      ${join(home, 'keys', 'default-app.key')}  (sign the assertion with it)\n`);
    expect(text).toContain(`certificate:      ${join(home, 'keys', 'default-app.crt')}  (the apps' certificate in the mock)\n`);
  });

  it('with --world FILE: no key is claimed, the text says the apps hold certificates only; --json has null for both files', async () => {
    const world = join(home, 'world.json');
    writeFileSync(world, (await run(['world'])).stdout);
    const text = await printed(['--world', world]);
    expect(text).not.toContain('(from the world file)');
    expect(text).toContain(
      "private key:      none here: a world file's apps hold certificates only;\n                  sign with your own key, the one of the certificate you put in the world file\n",
    );
    expect(text).not.toContain('certificate:      ');
    const d = JSON.parse(await printed(['--world', world, '--json'])) as { privateKeyFile: unknown; certificateFile: unknown; users: { password: unknown }[] };
    expect([d.privateKeyFile, d.certificateFile]).toEqual([null, null]);
    // The world file holds its users' passwords (sfjwt world prints the training ground's): a world file's are never printed.
    const passwords = (JSON.parse(readFileSync(world, 'utf8')) as { users: { password?: string }[] }).users.map((u) => u.password ?? '');
    expect(passwords.every((p) => p.length >= 8)).toBe(true);
    expect(d.users.map((u) => u.password)).toEqual(d.users.map(() => null));
    for (const p of passwords) expect(text).not.toContain(p);
  });
});
