/**
 * Every command given hostile input ends with exit 2 and a message that names the file and what is
 * wrong with it, never a stack trace: a world nested 100,000 levels deep (serve --world, world
 * --check), a folder, a FIFO or a device where a file is expected, a captured request that is no
 * request, and a state folder sfjwt cannot use (SFJWT_HOME a file, a folder where a key should be).
 * In this process through `main(argv, io)`, serve with an aborted signal so that it stops should it
 * start. Places under which Node's recursive mkdir spins forever (/proc/x) run as processes with a
 * time limit, so that a spin fails the test instead of hanging the suite.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW, testKeys, testStateDir } from '../../mock-server/testing/fixtures.ts';
import { main } from './main.ts';

const BIN = new URL('../../bin/sfjwt.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sfjwt-hostile-'));
const at = (name: string) => join(dir, name);
const DEEP = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
writeFileSync(at('deep-world.json'), `{"version":1,"orgs":[{"name":"acme","id":"00D5g00000ABCDEFGH","kind":"production","myDomain":"acme","sites":${DEEP}}]}`);
writeFileSync(at('deep.json'), DEEP);
writeFileSync(at('null.json'), 'null');
writeFileSync(at('notes.txt'), 'not a world\n');
writeFileSync(at('server.key'), testKeys().privateKeyPem);
mkdirSync(at('folder'));
// State folders sfjwt cannot use.
const homeIsFile = at('home-is-a-file');
writeFileSync(homeIsFile, 'x');
const keyIsFolder = testStateDir('sfjwt-hostile-key-');
const caIsFolder = testStateDir('sfjwt-hostile-ca-');
for (const [home, file] of [
  [keyIsFolder, join('keys', 'default-app.key')],
  [caIsFolder, join('tls', 'ca.key')],
] as const) {
  spawnSync('rm', ['-f', join(home, file)]);
  mkdirSync(join(home, file));
}
const good = testStateDir('sfjwt-hostile-good-');

const DEEP_WORLD = (file: string) => [
  `sfjwt: ${file} is not a valid world (1 problem):`,
  '  orgs[0].sites: nested more than 100 levels deep (lists or objects inside each other); no field of a world goes deeper than 4',
];
const DOCTOR = ['doctor', '--login', 'https://127.0.0.1:9', '--client-id', '3MVG9sfjwtHostile', '--username', 'integration@acme.com', '--key', at('server.key')];
const NOT_REGULAR = (what: string, path: string, kind = 'a directory') => [`sfjwt: cannot read the ${what} ${path}: it is ${kind}, not a regular file`];

async function run(argv: string[], home = good) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (c) => ((stdout += c), true) },
    stderr: { write: (c) => ((stderr += c), true) },
    env: { SFJWT_HOME: home, NO_COLOR: '1' },
    now: () => NOW,
    signal: AbortSignal.abort(),
  });
  return { code, stdout, stderr };
}

describe('hostile input: exit 2 with the file named, never a stack', () => {
  it.each<[string, string[], string[], string?]>([
    ['serve --world nested 100,000 deep', ['serve', '--http', '--world', at('deep-world.json')], DEEP_WORLD(at('deep-world.json'))],
    ['world --check nested 100,000 deep', ['world', '--check', at('deep-world.json')], DEEP_WORLD(at('deep-world.json'))],
    ['world --check of a bare nested list', ['world', '--check', at('deep.json')], [`sfjwt: ${at('deep.json')} is not a valid world (1 problem):`]],
    ['world --check of null', ['world', '--check', at('null.json')], [`sfjwt: ${at('null.json')} is not a valid world (1 problem):`]],
    ['serve --world a folder', ['serve', '--http', '--world', at('folder')], NOT_REGULAR('world file', at('folder'))],
    ['world --check a folder', ['world', '--check', at('folder')], NOT_REGULAR('world file', at('folder'))],
    ['serve --world /dev/zero', ['serve', '--http', '--world', '/dev/zero'], NOT_REGULAR('world file', '/dev/zero', 'a character device')],
    ['keys check --key a folder', ['keys', 'check', '--key', at('folder')], NOT_REGULAR('key file', at('folder'))],
    ['keys check --cert a folder', ['keys', 'check', '--cert', at('folder')], NOT_REGULAR('certificate file', at('folder'))],
    ['inspect --cert a folder', ['inspect', 'a.b.c', '--cert', at('folder')], NOT_REGULAR('certificate file', at('folder'))],
    ['doctor --key a folder', [...DOCTOR.slice(0, -1), at('folder')], NOT_REGULAR('key file', at('folder'))],
    ['doctor --request a folder', [...DOCTOR, '--request', at('folder')], NOT_REGULAR('request file', at('folder'))],
    ['doctor --request nested 100,000 deep', [...DOCTOR, '--request', at('deep.json')], [`sfjwt: ${at('deep.json')}: 0.0.0 is nested more than 100 levels deep`]],
    ['doctor --request of null', [...DOCTOR, '--request', at('null.json')], [`sfjwt: ${at('null.json')} holds null, not a request object`]],
    ['doctor --request of text', [...DOCTOR, '--request', at('notes.txt')], [`sfjwt: ${at('notes.txt')} is not valid JSON: Unexpected token 'o', "not a world " is not valid JSON`]],
    ['doctor --config a folder', ['doctor', '--target', 'org', '--config', at('folder')], NOT_REGULAR('config file', at('folder'))],
    ['run --config a folder', ['run', '--target', 'org', '--config', at('folder')], NOT_REGULAR('config file', at('folder'))],
    [
      'serve --ready-file a folder',
      ['serve', '--http', '--ready-file', at('folder')],
      [`sfjwt: the ready file ${at('folder')} is already there and is a directory: sfjwt writes its ready file only as a new file`],
    ],
    ['keys generate --out a file', ['keys', 'generate', '--out', at('notes.txt')], [`sfjwt: cannot create the output folder ${at('notes.txt')}: ENOTDIR`]],
    ['run --out a file', ['run', '--target', 'mock-msw', '--scenario', 'send.wrong-path', '--out', at('notes.txt')], [`sfjwt: cannot write the report under ${at('notes.txt')}: ENOTDIR`]],
    [
      'world --generate of 10,000 orgs of 1,000,000 users',
      ['world', '--generate', '--orgs', '10000', '--users', '1000000'],
      ['sfjwt: --orgs 10000 with --users 1000000 each is 10000000000 users, more than the 1000000 a generated world may have'],
    ],
    [
      'world --generate of 1,000,000 users with 1,000 apps',
      ['world', '--generate', '--users', '1000000', '--apps', '1000'],
      ['sfjwt: 1000000 users each approving 1000 apps is more than serve --world reads (500 MiB)'],
    ],
    // The state folder: SFJWT_HOME a file, or a folder where a key should be.
    ['serve with SFJWT_HOME a file', ['serve', '--http'], [`sfjwt: cannot use the state folder file ${join(homeIsFile, 'keys', 'default-app.key')}: ENOTDIR`], homeIsFile],
    ['world with SFJWT_HOME a file', ['world'], [`sfjwt: cannot use the state folder file ${join(homeIsFile, 'keys', 'default-app.key')}: ENOTDIR`], homeIsFile],
    ['world --generate with SFJWT_HOME a file', ['world', '--generate'], [`sfjwt: cannot use the state folder file ${join(homeIsFile, 'keys', 'default-app.key')}: ENOTDIR`], homeIsFile],
    [
      'run with SFJWT_HOME a file',
      ['run', '--target', 'mock-msw', '--scenario', 'send.wrong-path', '--out', at('reports-1')],
      [`sfjwt: cannot use the state folder file ${join(homeIsFile, 'keys', 'default-app.key')}: ENOTDIR`],
      homeIsFile,
    ],
    ['serve with a folder for the app key', ['serve', '--http'], [`sfjwt: cannot use the state folder file ${join(keyIsFolder, 'keys', 'default-app.key')}: it is a directory`], keyIsFolder],
    ['world with a folder for the app key', ['world'], [`sfjwt: cannot use the state folder file ${join(keyIsFolder, 'keys', 'default-app.key')}: it is a directory`], keyIsFolder],
    [
      'run with a folder for the app key',
      ['run', '--target', 'mock-msw', '--scenario', 'send.wrong-path', '--out', at('reports-2')],
      [`sfjwt: cannot use the state folder file ${join(keyIsFolder, 'keys', 'default-app.key')}: it is a directory`],
      keyIsFolder,
    ],
    ['serve (HTTPS) with a folder for the CA key', ['serve'], [`sfjwt: cannot use the state folder file ${join(caIsFolder, 'tls', 'ca.key')}: it is a directory`], caIsFolder],
  ])('%s', async (_name, argv, lines, home) => {
    const r = await run(argv, home);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').slice(0, lines.length)).toEqual(lines);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  });
});

describe.runIf(process.platform === 'linux')('places where a recursive mkdir spins forever: exit 2, as a process with a time limit', () => {
  it.each<[string, string[], Record<string, string>, string]>([
    ['world with SFJWT_HOME=/proc/x', ['world'], { SFJWT_HOME: '/proc/sfjwt-no-such-home' }, 'sfjwt: cannot create the state folder /proc/sfjwt-no-such-home/keys: ENOENT'],
    ['serve with SFJWT_HOME=/proc/x', ['serve', '--http'], { SFJWT_HOME: '/proc/sfjwt-no-such-home' }, 'sfjwt: cannot create the state folder /proc/sfjwt-no-such-home/keys: ENOENT'],
    [
      'run --out /proc/x',
      ['run', '--target', 'mock-msw', '--scenario', 'send.wrong-path', '--out', '/proc/sfjwt-no-such-reports'],
      { SFJWT_HOME: good },
      'sfjwt: cannot write the report under /proc/sfjwt-no-such-reports: ENOENT',
    ],
  ])('%s', (_name, argv, env, message) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SFJWT_')));
    const r = spawnSync(process.execPath, [BIN, ...argv], { env: { ...clean, NO_COLOR: '1', ...env }, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
  });
});
