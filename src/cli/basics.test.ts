/**
 * What a new user tries first, in this process through `main(argv, io)`: `--version` prints the
 * version of package.json, `help <command>` and `<command> --help` print the same help, which lists
 * the command's flags and ends with an example, and a bare `sfjwt` prints the command list to
 * standard error with exit code 2 (it did nothing that was asked). One real `node bin/sfjwt.js
 * --version` checks that the compiled CLI finds the package's own package.json.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { COMMANDS } from './registry.ts';
import { collector } from './testing/collector.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const BIN = new URL('../../bin/sfjwt.js', import.meta.url).pathname;

async function run(argv: string[]) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { stdout, stderr, env: { NO_COLOR: '1' } });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/**
 * Commands whose help does not carry an example yet; each leaves this list once its help gains one
 * (the test below fails for a command listed here that has one, so the list cannot go stale).
 */
const WITHOUT_EXAMPLE = new Set<string>([]);

describe('sfjwt --version', () => {
  it('prints the version of package.json, alone, exit 0', async () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('the compiled CLI (bin/sfjwt.js → dist/) prints the same version', () => {
    const r = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', timeout: 30_000 });
    expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
});

describe('help', () => {
  it('bare sfjwt: the command list on standard error, exit 2', async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: npx sfjwt <command> [options]\n');
    expect(r.stderr).toMatch(/^ {2}sign +Sign a JWT Bearer assertion/m);
    expect(r.stderr).toMatch(/^ {2}token +Get an access token/m);
  });

  it('--help and help: the command list on standard output, exit 0, with --version and help <command>', async () => {
    for (const argv of [['--help'], ['help'], ['-h']]) {
      const r = await run(argv);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toContain('npx sfjwt help <command> (or npx sfjwt <command> --help) shows the options of a command and an example.\n');
      expect(r.stdout).toContain('npx sfjwt --version prints the version.');
    }
  });

  it.each(COMMANDS.map((c) => [c.name]))('help %s is the same as its --help', async (name) => {
    const viaHelp = await run(['help', name]);
    const viaFlag = await run([name, '--help']);
    expect(viaHelp).toMatchObject({ code: 0, stderr: '' });
    expect(viaHelp).toEqual(viaFlag);
  });

  it.each(COMMANDS.filter((c) => !WITHOUT_EXAMPLE.has(c.name)).map((c) => [c.name]))('%s --help lists its flags and ends with an example', async (name) => {
    const { stdout } = await run([name, '--help']);
    expect(stdout.startsWith(`npx sfjwt ${name}`)).toBe(true);
    // An example is a whole command line, under a heading of its own.
    expect(stdout).toMatch(new RegExp(`\\nExamples?:\\n(  npx sfjwt ${name}\\b.*\\n)+$`));
  });

  it.each([...WITHOUT_EXAMPLE].map((n) => [n]))('%s is still listed as having no example', async (name) => {
    expect((await run([name, '--help'])).stdout).not.toMatch(/\nExamples?:\n/);
  });

  it.each([
    [['help', 'bogus'], 'sfjwt: unknown command "bogus"'],
    [['help', 'serv'], 'sfjwt: unknown command "serv"'],
    [['help', 'sign', 'token'], 'sfjwt: help takes one command, got 2: sign token'],
  ])('%j: exit 2, a clear message', async (argv, first) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(first);
  });
});
