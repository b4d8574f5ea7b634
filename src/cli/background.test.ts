/**
 * `serve --detach` and `stop`, as a script uses them: detach returns once the mock listens (its
 * ready file names the pid, and the mock answers), a second detach on the same ready file is refused,
 * stop ends the process and the ready file goes with it, and stop is quiet when nothing runs. A ready
 * file whose pid is not an sfjwt serve is never signalled. The commands run in-process; the mock they
 * start is a process of its own (from the built bin), which is what is tested.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { collector } from './testing/collector.ts';

async function run(argv: string[], cwd: string) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { stdout, stderr, env: { NO_COLOR: '1' }, cwd, now: () => Date.UTC(2026, 11, 1) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('serve --detach and stop', () => {
  it('starts the mock in the background, refuses a second one on its ready file, and stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfjwt-detach-'));
    const started = await run(['serve', '--detach', '--http', '--port', '0', '--ready-file', 'mock.json', '--json'], dir);
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    const line = JSON.parse(started.stdout) as { pid: number; login: string };
    expect(JSON.parse(readFileSync(join(dir, 'mock.json'), 'utf8'))).toEqual(line);
    try {
      expect(alive(line.pid)).toBe(true);
      expect((await fetch(`${line.login}/__sfjwt/health`)).status).toBe(200);
      // Its output goes to a log in the state folder, which carries its own .gitignore.
      expect(existsSync(join(dir, '.sfjwt', 'logs'))).toBe(true);
      expect(readFileSync(join(dir, '.sfjwt', '.gitignore'), 'utf8')).toMatch(/^# Written by sfjwt/);

      const again = await run(['serve', '--detach', '--http', '--port', '0', '--ready-file', 'mock.json'], dir);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain(`a mock is already running from ${join(dir, 'mock.json')} (pid ${line.pid}`);
    } finally {
      const stopped = await run(['stop', '--ready-file', 'mock.json'], dir);
      expect(stopped.stdout).toBe(`stopped the mock (pid ${line.pid}, ${line.login})\n`);
      expect(stopped.code).toBe(0);
    }
    expect(alive(line.pid)).toBe(false);
    expect(existsSync(join(dir, 'mock.json'))).toBe(false);
    const nothing = await run(['stop', '--ready-file', 'mock.json'], dir);
    expect(nothing).toEqual({ code: 0, stdout: `no mock to stop: ${join(dir, 'mock.json')} is not there (a mock removes it as it stops)\n`, stderr: '' });
  }, 60_000);

  it('tells why a detached serve could not start, with its exit code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfjwt-detach-'));
    const r = await run(['serve', '--detach', '--http', '--port', '0', '--world', 'missing.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing.json');
    expect(existsSync(join(dir, '.sfjwt', 'serve.json'))).toBe(false);
  }, 60_000);

  it('never signals a pid that is not an sfjwt serve', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfjwt-stop-'));
    // This test's own process: alive, and not a serve.
    writeFileSync(join(dir, 'mock.json'), JSON.stringify({ login: 'http://127.0.0.1:1', admin: 'http://127.0.0.1:1/__sfjwt', hosts: {}, pid: process.pid }));
    const r = await run(['stop', '--ready-file', 'mock.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`pid ${process.pid} of ${join(dir, 'mock.json')} is not an sfjwt serve`);
    expect(alive(process.pid)).toBe(true);
  });
});
