/**
 * Writes a run's reports into reports/<run id>/ (run.json, run.md, run.html, junit.xml: whichever
 * formats are asked for) and copies the folder to reports/latest/, the stable path CI steps read.
 * Renderers are pure functions of the run model; this is the only module that touches the disk.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceError } from '../../lib/errors.ts';
import type { RunReport } from '../runner/run.ts';
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';

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

export function writeRunReport(report: RunReport, dir = 'reports', formats: readonly ReportFormat[] = REPORT_FORMATS): { runDir: string; files: string[] } {
  const runDir = join(dir, report.runId);
  // Rendered before anything is written: a renderer's bug is a bug, not "cannot write", and leaves no half-written folder.
  const rendered = REPORT_FORMATS.filter((f) => formats.includes(f)).map((f) => ({ path: join(runDir, RENDERERS[f].file), text: RENDERERS[f].render(report) }));
  const files: string[] = [];
  try {
    mkdirSync(runDir, { recursive: true });
    for (const { path, text } of rendered) {
      writeFileSync(path, text);
      files.push(path);
    }
    const latest = join(dir, 'latest');
    rmSync(latest, { recursive: true, force: true });
    cpSync(runDir, latest, { recursive: true });
  } catch (cause) {
    throw new ResourceError(`cannot write the report under ${dir}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { actions: ['Choose a writable folder with --out.'], cause });
  }
  return { runDir, files };
}
