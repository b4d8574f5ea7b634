/**
 * `world --generate` prints a world a thousand users at a time, byte for byte what
 * JSON.stringify(world, null, 2) prints (so no string of the whole world is ever made), and refuses
 * before making anything a world past the size the mock supports. In this process through `main`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW } from '../../mock-server/testing/fixtures.ts';
import { generateWorld } from '../../mock-server/world/generate.ts';
import { main } from './main.ts';
import { CERTIFICATE_COMMENT, MAX_GENERATED_USERS } from './world.ts';

const home = mkdtempSync(join(tmpdir(), 'sfjwt-world-generate-'));

async function run(argv: string[]) {
  const out: string[] = [];
  let stderr = '';
  const code = await main(argv, { stdout: { write: (c) => (out.push(c), true) }, stderr: { write: (c) => ((stderr += c), true) }, env: { SFJWT_HOME: home, NO_COLOR: '1' }, now: () => NOW });
  return { code, out, stdout: out.join(''), stderr };
}

describe('world --generate', () => {
  it.each([
    [0, 1, 1],
    [1, 1, 1],
    [2500, 2, 3],
    [1000, 3, 2],
  ])('%i users per org in %i orgs with %i apps: the same bytes as JSON.stringify(world, null, 2), in pieces', async (users, orgs, apps) => {
    const r = await run(['world', '--generate', '--seed', '7', '--users', String(users), '--orgs', String(orgs), '--apps', String(apps)]);
    expect(r.code).toBe(0);
    const certificatePem = readFileSync(join(home, 'keys', 'default-app.crt'), 'utf8');
    // The world opens with whose certificate its apps hold.
    const expected = `${JSON.stringify({ $comment: CERTIFICATE_COMMENT, ...generateWorld({ seed: 7, orgs, usersPerOrg: users, apps, certificatePem }) }, null, 2)}\n`;
    expect(r.stdout).toBe(expected);
    expect(r.stderr).toContain(`sfjwt: note: the apps' certificates are this machine's (${join(home, 'keys', 'default-app.crt')})`);
    // Written in pieces: a head, one per thousand users, the tail and the line end.
    expect(r.out).toHaveLength(users * orgs === 0 ? 2 : 3 + Math.ceil((users * orgs) / 1000));
    const file = join(home, `world-${users}-${orgs}-${apps}.json`);
    writeFileSync(file, r.stdout);
    expect((await run(['world', '--check', file])).stdout).toBe(`${file}: a valid world (${orgs} orgs, ${apps} apps, ${users * orgs} users)\n`);
  });

  it.each([
    [
      ['--orgs', '2', '--users', String(MAX_GENERATED_USERS)],
      `sfjwt: --orgs 2 with --users ${MAX_GENERATED_USERS} each is ${2 * MAX_GENERATED_USERS} users, more than the ${MAX_GENERATED_USERS} a generated world may have`,
    ],
    [['--users', String(MAX_GENERATED_USERS + 1)], `sfjwt: --users takes a whole number from 0 to ${MAX_GENERATED_USERS}, got "${MAX_GENERATED_USERS + 1}"`],
    [['--users', '100000', '--apps', '500'], 'sfjwt: 100000 users each approving 500 apps is more than serve --world reads (500 MiB)'],
  ])('%j: exit 2 before anything is made', async (args, message) => {
    const r = await run(['world', '--generate', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
    expect(r.stdout).toBe('');
  });
});
