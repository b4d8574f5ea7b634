/**
 * `serve --detach` and `sfjwt stop`: the mock in the background, for a shell script or a README
 * that starts it, uses it and stops it again. `--detach` starts the same `serve` as a process of its
 * own (its own session, so closing the terminal or stopping `npx` leaves it alone; its output in a
 * log file of the state folder), waits until that process has written its ready file, prints the
 * ready line (`--json`) or a few lines saying where it runs and how to stop it, and exits 0; if the
 * mock cannot start it exits with the mock's own code and message. `stop` reads the ready file,
 * checks that its `pid` is a running sfjwt, sends SIGTERM and waits until it has gone (the mock
 * removes its ready file as it stops). Nothing else is ever signalled: a pid that is not sfjwt's
 * serve (reused since) is left alone and said so.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ResourceError, UsageError } from '../../lib/errors.ts';
import { stateSubfolder } from '../../lib/state-folder.ts';
import type { CommandContext } from './context.ts';
import { readReadyLine } from './ready-file.ts';

/** Where a detached serve writes its ready line when no --ready-file is given. */
export const DEFAULT_READY_FILE = 'serve.json';

/** How long --detach waits for the mock to listen, and stop for it to go. */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** The package's bin/sfjwt.js, found from this module whether it runs from src/ or dist/src/. */
function sfjwtBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i += 1) {
    const candidate = join(dir, 'bin', 'sfjwt.js');
    if (existsSync(candidate) && existsSync(join(dir, 'package.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new ResourceError('cannot find bin/sfjwt.js of the sfjwt package to start serve in the background', { actions: ['Run serve in the foreground instead (without --detach).'] });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `pid` runs sfjwt's serve (where /proc says; elsewhere the ready file is taken at its word). */
function isSfjwtServe(pid: number): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.some((a) => /sfjwt/.test(a)) && argv.includes('serve');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' || !existsSync('/proc/self');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The last lines of the detached serve's log, to show why it did not start. */
function logTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}

/** The ready line of a background serve that still runs from `readyFile`, or undefined (none, or it stopped). */
export function runningServe(readyFile: string): Record<string, unknown> | undefined {
  const line = existsSync(readyFile) ? readReadyLine(readyFile) : undefined;
  return line !== undefined && typeof line['pid'] === 'number' && alive(line['pid']) && isSfjwtServe(line['pid']) ? line : undefined;
}

/**
 * Starts `serve` with `argv` (without --detach) in the background, writing its ready line to
 * `readyFile`, and returns once it listens.
 */
export async function detachServe(ctx: CommandContext, argv: readonly string[], readyFile: string, stateDir: string, json: boolean): Promise<number> {
  const running = existsSync(readyFile) ? readReadyLine(readyFile) : undefined;
  if (running !== undefined && typeof running.pid === 'number' && alive(running.pid) && isSfjwtServe(running.pid)) {
    throw new UsageError(`a mock is already running from ${readyFile} (pid ${running.pid}, ${String(running.login)})`, {
      actions: [`Use it, or stop it first: npx sfjwt stop --ready-file ${readyFile}`],
    });
  }
  const logs = stateSubfolder(stateDir, 'logs');
  const log = join(logs, `serve-${new Date(ctx.now()).toISOString().replace(/[:.]/g, '-')}-${process.pid}.log`);
  const fd = openSync(log, 'a', 0o600);
  const args = [sfjwtBin(), 'serve', ...argv, '--ready-file', readyFile, '--state-dir', stateDir];
  const child = spawn(process.execPath, args, { cwd: ctx.cwd ?? process.cwd(), env: { ...ctx.env } as NodeJS.ProcessEnv, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  child.once('error', () => {
    exited = 2;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited !== undefined) {
      ctx.stderr.write(`${logTail(log)}\n`);
      return exited === 0 || exited === null ? 2 : exited;
    }
    const line = existsSync(readyFile) ? readReadyLine(readyFile) : undefined;
    if (line !== undefined && line.pid === child.pid) {
      child.unref();
      if (json) ctx.stdout.write(`${readFileSync(readyFile, 'utf8').trimEnd()}\n`);
      else
        ctx.stdout.write(
          `sfjwt serve runs in the background (pid ${child.pid}): login ${String(line.login)}, admin ${String(line.admin)}${typeof line.ca === 'string' ? `, CA ${line.ca}` : ''}\n` +
            `  its line is in ${readyFile}, its output in ${log}\n  stop it with: npx sfjwt stop --ready-file ${readyFile}\n`,
        );
      return 0;
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new ResourceError(`serve did not listen within ${START_TIMEOUT_MS / 1000} s; its output is in ${log}`, { actions: ['Read the log, or run serve in the foreground to see what it says.'] });
    }
    await sleep(25);
  }
}

/** `sfjwt stop`: stops the background serve whose ready file is `readyFile`. */
export async function stopServe(ctx: CommandContext, readyFile: string): Promise<number> {
  if (!existsSync(readyFile)) {
    ctx.stdout.write(`no mock to stop: ${readyFile} is not there (a mock removes it as it stops)\n`);
    return 0;
  }
  const line = readReadyLine(readyFile);
  if (line === undefined || typeof line.pid !== 'number') {
    throw new UsageError(`${readyFile} is not the ready file of a background serve (it names no pid)`, {
      actions: ['Give the --ready-file that serve --detach wrote; a serve in the foreground stops with Ctrl-C.'],
    });
  }
  const pid = line.pid;
  if (!alive(pid)) {
    ctx.stdout.write(`no mock to stop: pid ${pid} of ${readyFile} is gone (it was killed before it could remove the file, which the next serve replaces)\n`);
    return 0;
  }
  if (!isSfjwtServe(pid)) {
    throw new ResourceError(`pid ${pid} of ${readyFile} is not an sfjwt serve (the mock is gone and its pid was reused): nothing was stopped`, {
      actions: [`Remove ${readyFile}; the next serve --ready-file would replace it anyway.`],
    });
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new ResourceError(`the mock (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM`, { actions: [`kill -9 ${pid}`] });
    await sleep(25);
  }
  ctx.stdout.write(`stopped the mock (pid ${pid}, ${String(line.login)})\n`);
  return 0;
}
