/**
 * Writes a run's reports into reports/<run id>/ (run.json, run.md, run.html, junit.xml: whichever
 * formats are asked for) and the same files into reports/latest/, the stable path CI steps read.
 * Renderers are pure functions of the run model; this module and owned-folder.ts (which replaces a
 * folder only when sfjwt wrote it, and never deletes anything else) are the only ones that touch the
 * disk.
 */
import { join } from 'node:path';
import { ResourceError, SfjwtError } from '../../lib/errors.ts';
import { makeDirectory } from '../../lib/make-directory.ts';
import { writeOwnGitignore } from '../../lib/own-gitignore.ts';
import type { RunReport } from '../runner/run.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { publishOwnedFolder } from './owned-folder.ts';

export function renderJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export const REPORT_FORMATS = ['json', 'md', 'html', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Each format's file name in the run folder and its renderer. */
export const RENDERERS: Record<ReportFormat, { file: string; render: (report: RunReport) => string }> = {
  json: { file: 'run.json', render: renderJson },
  md: { file: 'run.md', render: renderMarkdown },
  html: { file: 'run.html', render: renderHtml },
  junit: { file: 'junit.xml', render: renderJunit },
};

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/** The only names sfjwt writes in a report folder (and so the only ones it may ever remove there). */
const REPORT_FILES: ReadonlySet<string> = new Set(Object.values(RENDERERS).map((r) => r.file));

export function writeRunReport(report: RunReport, dir = 'reports', formats: readonly ReportFormat[] = REPORT_FORMATS): { runDir: string; files: string[] } {
  const runDir = join(dir, report.runId);
  // Rendered before anything is written: a renderer's bug is a bug, not "cannot write", and leaves no half-written folder.
  const rendered = REPORT_FORMATS.filter((f) => formats.includes(f)).map((f) => ({ name: RENDERERS[f].file, text: RENDERERS[f].render(report) }));
  try {
    // Not mkdirSync's recursive mode, which spins forever under a parent such as /proc.
    if (makeDirectory(dir)) writeOwnGitignore(dir, 'the run reports sfjwt wrote');
    publishOwnedFolder(runDir, rendered, REPORT_FILES);
    publishOwnedFolder(join(dir, 'latest'), rendered, REPORT_FILES);
  } catch (cause) {
    // A folder that is not sfjwt's is refused with its own message; the rest is the file system saying no.
    if (cause instanceof SfjwtError) throw cause;
    throw new ResourceError(`cannot write the report under ${dir}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { actions: ['Choose a writable folder with --out.'], cause });
  }
  return { runDir, files: rendered.map((r) => join(runDir, r.name)) };
}
