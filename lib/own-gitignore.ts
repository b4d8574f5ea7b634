/**
 * The `.gitignore` sfjwt puts in a folder it made for itself (the state folder with its private keys
 * and local CA, a `keys generate --out` folder, the reports folder), so that nothing of it is
 * committed by a `git add .` in the user's repository. It ignores everything in its folder, itself
 * included, and says in its first line who wrote it and why. It is written only as a new file: a
 * `.gitignore` that is there (the user's, or an earlier one of sfjwt's) is never overwritten.
 */
import { join } from 'node:path';
import { PUBLIC_MODE, publishNewFile } from './write-new-file.ts';

export const GITIGNORE = '.gitignore';

/** The file's text: a comment naming sfjwt and what the folder holds, then `*`. */
export function gitignoreText(holds: string): string {
  return `# Written by sfjwt: this folder holds ${holds}; nothing in it belongs in git.\n*\n`;
}

/**
 * Writes `<dir>/.gitignore` unless something is there already. Returns its path when written,
 * undefined when one was there; any other failure (a read-only folder) is thrown as the errno error.
 */
export function writeOwnGitignore(dir: string, holds: string): string | undefined {
  const path = join(dir, GITIGNORE);
  try {
    publishNewFile(path, gitignoreText(holds), PUBLIC_MODE);
    return path;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw cause;
  }
}
