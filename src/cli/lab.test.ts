/**
 * `sfjwt lab` as a trainee uses it: `start` brings up the lab's mock in the background (a process of
 * its own, from the built bin) and writes the lab folder; the folder's login.mjs, run with plain
 * Node, gets every lab's symptom byte for byte (so login.mjs and the console's signer send the
 * same request); `check` says not yet (exit 1) and, after the fix in request.json, solved (exit 0);
 * hints come one at a time; `reset` keeps the trainee's request.json; a wrong command, a missing lab
 * number and a check without a mock are usage errors that say what to do.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_CATALOGUE } from '../../mock-server/labs/catalogue.ts';
import { labDirName } from '../training/lab-folder.ts';
import { main } from './main.ts';
import { collector } from './testing/collector.ts';

const dir = mkdtempSync(join(tmpdir(), 'sfjwt-lab-cli-'));

async function run(...argv: string[]) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { stdout, stderr, env: { NO_COLOR: '1' }, cwd: dir, now: () => Date.now() });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function login(folder: string): { status: number; out: string } {
  try {
    return { status: 0, out: execFileSync(process.execPath, [join(dir, 'sfjwt-lab', folder, 'login.mjs')], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } }) };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { status: e.status, out: `${e.stdout}${e.stderr}` };
  }
}

beforeAll(async () => {
  const usage = await run('lab', 'check');
  expect(usage).toMatchObject({ code: 2, stdout: '' });
  expect(usage.stderr).toContain('no lab mock is running');
  expect(usage.stderr).toContain('npx sfjwt lab start 1');
});

afterAll(async () => {
  const stopped = await run('lab', 'stop');
  expect(stopped.code).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});

describe('sfjwt lab', () => {
  it('starts each lab, and its login.mjs gets the symptom byte for byte; check says not yet', async () => {
    for (const lab of LAB_CATALOGUE) {
      const started = await run('lab', 'start', String(lab.number));
      expect(started.code, started.stderr).toBe(0);
      expect(started.stdout).toContain(`Lab ${lab.number}: ${lab.title}\n\n${lab.story}\n`);
      expect(started.stdout).toContain(`  HTTP ${lab.symptom.status} ${lab.symptom.body}\n`);
      // The story and the symptom only: no hint is told.
      for (const hint of lab.hints) expect(started.stdout).not.toContain(hint);
      const sent = login(labDirName(lab));
      expect(sent, lab.id).toEqual({ status: 1, out: `HTTP ${lab.symptom.status}\n${lab.symptom.body}\n` });
      const check = await run('lab', 'check');
      expect(check.code).toBe(1);
      expect(check.stdout).toMatch(/^Not yet: HTTP 400 /);
    }
  });

  it('solves a lab once request.json is fixed, keeps the fix over a start and saves it over a reset', async () => {
    const folder = join(dir, 'sfjwt-lab', '03-iss-capitalised');
    await run('lab', 'start', 'iss-capitalised');
    const hint = await run('lab', 'hint');
    expect(hint.stdout).toBe(`Hint 1 of 3: ${LAB_CATALOGUE[2]?.hints[0]}\n`);
    const file = join(folder, 'request.json');
    // Salesforce's URL, as the integration's would be; login.mjs finds the mock's port in the ready file.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ url: 'https://login.salesforce.com/services/oauth2/token', key: '../../.sfjwt/keys/default-app.key' });
    writeFileSync(file, readFileSync(file, 'utf8').replace('"Iss"', '"iss"'));
    expect(login('03-iss-capitalised').status).toBe(0);
    const solved = await run('lab', 'check');
    expect(solved.code).toBe(0);
    expect(solved.stdout).toBe(`Solved: integration@acme.com logged in with Acme Integration.\n  What it teaches: ${LAB_CATALOGUE[2]?.teaches}\n`);
    const again = await run('lab', 'start', '3');
    expect(again.stdout).toContain('(yours, kept from before)');
    expect(readFileSync(file, 'utf8')).toContain('"iss"');
    const reset = await run('lab', 'reset');
    expect(reset.stdout).toContain('(yours is kept as sfjwt-lab/03-iss-capitalised/request.json.bak)');
    expect(readFileSync(`${file}.bak`, 'utf8')).toContain('"iss"');
    expect(readFileSync(file, 'utf8')).toContain('"Iss"');
    const list = await run('lab', 'list');
    expect(list.stdout).toContain('>  3  solved       The client Salesforce does not know  (iss-capitalised)\n');
    // Progress is the mock's state folder's.
    expect(existsSync(join(dir, '.sfjwt', 'labs', 'progress.json'))).toBe(true);
  });

  it.each([
    [['lab', 'start'], 'lab start needs the lab: a number or an id'],
    [['lab', 'begin', '1'], 'unknown lab command "begin"'],
    [['lab', 'start', '99'], 'no lab "99"'],
    [['lab', 'check', 'extra'], 'unexpected argument "extra"'],
    [['lab', 'check', '--from-serve', 'missing.json'], `${join(dir, 'missing.json')} is not the ready file of a running npx sfjwt serve`],
  ])('%j is a usage error', async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
