/**
 * FIFOs for tests of what sfjwt reads. Reading a FIFO that nobody writes blocks the whole process,
 * where no test timeout can fire; so a FIFO test runs under a watchdog: a child process that opens
 * the FIFO for writing after a few seconds and closes it, which ends any blocked read with an empty
 * file. Code that blocks then fails its assertions instead of hanging the suite; code that never
 * opens the FIFO returns at once and the watchdog is killed.
 */
import { spawn, spawnSync } from 'node:child_process';

/** FIFOs need a POSIX system (mkfifo). */
export const HAS_FIFOS = process.platform !== 'win32';

export function makeFifo(path: string): string {
  const made = spawnSync('mkfifo', [path]);
  if (made.status !== 0) throw new Error(`mkfifo ${path} failed: ${made.stderr.toString()}`);
  return path;
}

/** Runs `fn` while a watchdog stands ready to release a read blocked on `fifo`. */
export function underWatchdog<T>(fifo: string, fn: () => T, afterMs = 3000): T {
  const watchdog = spawn('sh', ['-c', `sleep ${afterMs / 1000}; : > "$1"`, 'sh', fifo], { stdio: 'ignore' });
  try {
    return fn();
  } finally {
    watchdog.kill('SIGKILL');
  }
}
