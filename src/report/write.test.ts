/**
 * Writing reports: the formats asked for (all four by default, as before for callers that pass none)
 * land in reports/<run>/ and in a fresh reports/latest/; an unwritable folder is a ResourceError that
 * says what to do. `sfjwt run --report` takes comma-separated or repeated formats and refuses others.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mainReportFile, reportFormats } from '../cli/run.ts';
import { ResourceError, UsageError } from '../../lib/errors.ts';
import { reportFixture } from './fixtures.ts';
import { writeRunReport, type ReportFormat } from './write.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'sfjwt-write-'));

describe('writeRunReport', () => {
  it.each([
    ['no formats given (the old signature)', undefined, ['junit.xml', 'run.html', 'run.json', 'run.md']],
    ['all four', ['json', 'md', 'html', 'junit'], ['junit.xml', 'run.html', 'run.json', 'run.md']],
    ['md and junit', ['junit', 'md'], ['junit.xml', 'run.md']],
    ['json only', ['json'], ['run.json']],
  ] as [string, ReportFormat[] | undefined, string[]][])('%s', (_name, formats, expected) => {
    const dir = fresh();
    const report = reportFixture();
    const { runDir, files } = formats === undefined ? writeRunReport(report, dir) : writeRunReport(report, dir, formats);
    expect(runDir).toBe(join(dir, report.runId));
    expect(files.map((f) => f.slice(runDir.length + 1)).sort()).toEqual(expected);
    expect(readdirSync(runDir).sort()).toEqual(expected);
    expect(readdirSync(join(dir, 'latest')).sort()).toEqual(expected);
  });

  it('replaces latest/ with the newest run, leaving nothing of the one before', () => {
    const dir = fresh();
    writeRunReport(reportFixture(), dir, ['json', 'html']);
    const second = { ...reportFixture(), runId: '2026-03-02T09-00-00-000Z' };
    writeRunReport(second, dir, ['md']);
    expect(readdirSync(join(dir, 'latest'))).toEqual(['run.md']);
    expect(readFileSync(join(dir, 'latest', 'run.md'), 'utf8')).toContain(second.runId);
    expect(existsSync(join(dir, reportFixture().runId, 'run.html'))).toBe(true);
  });

  it('refuses an unwritable folder with a ResourceError and what to do', () => {
    const file = join(fresh(), 'a-file');
    writeFileSync(file, '');
    expect(() => writeRunReport(reportFixture(), file)).toThrow(ResourceError);
    expect(() => writeRunReport(reportFixture(), file)).toThrow(/cannot write the report under .*a-file: (ENOTDIR|EEXIST)/);
  });
});

describe('sfjwt run --report', () => {
  it.each([
    [undefined, ['json', 'md', 'html', 'junit']],
    [['md'], ['md']],
    [['junit,md'], ['md', 'junit']],
    [['json', 'html'], ['json', 'html']],
    [[' md , junit ', 'md'], ['md', 'junit']],
  ] as [string[] | undefined, ReportFormat[]][])('%j writes %j', (values, formats) => {
    expect(reportFormats(values)).toEqual(formats);
  });

  it.each([
    [['pdf'], 'unknown report format "pdf"'],
    [['md,xml,JSON'], 'unknown report format "xml", "JSON"'],
    [[''], '--report needs at least one format'],
    [[','], '--report needs at least one format'],
  ])('%j is a usage error: %s', (values, message) => {
    expect(() => reportFormats(values)).toThrow(UsageError);
    expect(() => reportFormats(values)).toThrow(message);
  });

  it.each([
    [['json', 'md', 'html', 'junit'], 'run.html'],
    [['md', 'junit'], 'run.md'],
    [['junit'], 'junit.xml'],
  ] as [ReportFormat[], string][])('with %j the file to open is %s', (formats, file) => {
    expect(mainReportFile('reports/x', formats)).toBe(`reports/x/${file}`);
  });
});
