/**
 * Writes the field guide into its folder: index.html (the self-contained page) and guide.md. Both
 * are rendered before anything is written, and the folder is replaced only when sfjwt wrote it
 * (src/report/owned-folder.ts, as run reports are): a folder of the same name that is someone
 * else's is refused, and nothing in it is touched.
 */
import { dirname } from 'node:path';
import { ResourceError, SfjwtError } from '../../lib/errors.ts';
import { makeDirectory } from '../../lib/make-directory.ts';
import { publishOwnedFolder } from '../report/owned-folder.ts';
import { renderGuideHtml } from './guide-html.ts';
import { renderGuideMarkdown } from './guide-markdown.ts';
import type { GuideModel } from './guide-model.ts';

export const GUIDE_FILES = { html: 'index.html', markdown: 'guide.md' } as const;

/** The only names sfjwt writes in a guide folder (and so the only ones it may ever remove there). */
const ALLOWED: ReadonlySet<string> = new Set(Object.values(GUIDE_FILES));

/** Writes the guide into `dir`; answers the names of the files written there. */
export function writeGuide(model: GuideModel, dir: string): string[] {
  const files = [
    { name: GUIDE_FILES.html, text: renderGuideHtml(model) },
    { name: GUIDE_FILES.markdown, text: renderGuideMarkdown(model) },
  ];
  try {
    // Its parents first (--out docs/field-guide); not mkdirSync's recursive mode, which spins forever under a parent such as /proc.
    makeDirectory(dirname(dir));
    publishOwnedFolder(dir, files, ALLOWED);
  } catch (cause) {
    // A folder that is not sfjwt's is refused with its own message; the rest is the file system saying no.
    if (cause instanceof SfjwtError) throw cause;
    throw new ResourceError(`cannot write the guide into ${dir}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { actions: ['Choose a writable folder with --out.'], cause });
  }
  return files.map((f) => f.name);
}
