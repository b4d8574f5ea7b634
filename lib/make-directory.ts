/**
 * `mkdir -p` that ends. Node 20's `mkdirSync(path, { recursive: true })` walks back to the parent on
 * ENOENT and forward again once the parent exists, so a parent that exists but cannot hold children
 * (`/proc/x`: procfs answers ENOENT to every mkdir) makes it spin at 100% CPU forever. Here the path is
 * walked up once to the deepest folder that exists, and each missing folder below it is made once:
 * any failure (ENOENT under an existing parent, ENOTDIR, EACCES, EROFS) is thrown at once, as the
 * errno error of that folder. It says whether it made `path` itself, so that a caller can mark a
 * folder it made as its own (a `.gitignore` in it) and leave a user's folder alone.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

function errno(code: string, path: string, what: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${what}, mkdir '${path}'`), { code, path, syscall: 'mkdir' });
}

/**
 * Makes `path` and its missing parents (mode as for mkdir, before the umask); a folder already there
 * is fine. True when this call made `path`, false when a folder was there (or another process made it meanwhile).
 */
export function makeDirectory(path: string, mode = 0o777): boolean {
  const missing: string[] = [];
  let at = resolve(path);
  for (;;) {
    try {
      if (!statSync(at).isDirectory()) throw errno('ENOTDIR', at, 'not a directory');
      break;
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw cause;
      const parent = dirname(at);
      // The root itself missing: nothing to make it in.
      if (parent === at) throw cause;
      missing.push(at);
      at = parent;
    }
  }
  let made = false;
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir, { mode });
      made = true;
    } catch (cause) {
      // Made meanwhile by someone else: fine if it is a folder (a dangling link is not, and throws).
      if ((cause as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw cause;
      made = false;
    }
  }
  return made;
}
