/**
 * Writes a run's reports: reports/<run id>/run.json and a copy of the folder at reports/latest/, the
 * stable path CI steps read. The run model is read-only here; renderers (JSON now) are pure.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceError } from '../errors.ts';
import type { RunReport } from '../runner/run.ts';

export function renderJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function writeRunReport(report: RunReport, dir = 'reports'): { runDir: string; files: string[] } {
  const runDir = join(dir, report.runId);
  const files: string[] = [];
  try {
    mkdirSync(runDir, { recursive: true });
    const file = join(runDir, 'run.json');
    writeFileSync(file, renderJson(report));
    files.push(file);
    const latest = join(dir, 'latest');
    rmSync(latest, { recursive: true, force: true });
    cpSync(runDir, latest, { recursive: true });
  } catch (cause) {
    throw new ResourceError(`cannot write the report under ${dir}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { actions: ['Choose a writable folder with --out.'], cause });
  }
  return { runDir, files };
}
