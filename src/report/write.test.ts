/**
 * Writing reports: the formats asked for (all four by default, as before for callers that pass none)
 * land in reports/<run>/ and in a fresh reports/latest/, each with sfjwt's marker; a latest/ (or a
 * run folder) that sfjwt did not write is refused and nothing in it is deleted; an unwritable folder
 * is a ResourceError that says what to do. `sfjwt run --report` takes comma-separated or repeated
 * formats and refuses others.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResourceError, UsageError } from '../../lib/errors.ts';
import { mainReportFile, reportFormats } from '../cli/run.ts';
import { reportFixture } from './fixtures.ts';
import { OWNED_MARKER } from './owned-folder.ts';
import { type ReportFormat, writeRunReport } from './write.ts';

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
    expect(readdirSync(runDir).sort()).toEqual([OWNED_MARKER, ...expected]);
    expect(readdirSync(join(dir, 'latest')).sort()).toEqual([OWNED_MARKER, ...expected]);
    const marker = JSON.parse(readFileSync(join(dir, 'latest', OWNED_MARKER), 'utf8')) as { writtenBy: string; files: string[] };
    expect(marker.writtenBy).toBe('sfjwt');
    expect(marker.files.sort()).toEqual(expected);
  });

  it('a reports folder it makes gets a .gitignore of its own; a folder that was there keeps what it had', () => {
    const made = join(fresh(), 'reports');
    writeRunReport(reportFixture(), made);
    expect(readFileSync(join(made, '.gitignore'), 'utf8')).toBe('# Written by sfjwt: this folder holds the run reports sfjwt wrote; nothing in it belongs in git.\n*\n');
    const yours = fresh();
    writeRunReport(reportFixture(), yours);
    expect(existsSync(join(yours, '.gitignore'))).toBe(false);
    const withOwn = join(fresh(), 'reports');
    mkdirSync(withOwn);
    writeFileSync(join(withOwn, '.gitignore'), 'mine\n');
    writeRunReport(reportFixture(), withOwn);
    expect(readFileSync(join(withOwn, '.gitignore'), 'utf8')).toBe('mine\n');
  });

  it('replaces latest/ with the newest run, leaving nothing of the one before', () => {
    const dir = fresh();
    writeRunReport(reportFixture(), dir, ['json', 'html']);
    const second = { ...reportFixture(), runId: '2026-03-02T09-00-00-000Z' };
    writeRunReport(second, dir, ['md']);
    expect(readdirSync(join(dir, 'latest')).sort()).toEqual([OWNED_MARKER, 'run.md']);
    expect(readFileSync(join(dir, 'latest', 'run.md'), 'utf8')).toContain(second.runId);
    expect(existsSync(join(dir, reportFixture().runId, 'run.html'))).toBe(true);
    // No temporary folder is left behind.
    expect(readdirSync(dir).sort()).toEqual([reportFixture().runId, second.runId, 'latest'].sort());
  });

  const notReplacing = (folder: string, why: string) => `not replacing ${folder}: ${why}, and sfjwt replaces only report folders it wrote itself`;
  const refusedWith = (dir: string, message: string, folder = join(dir, 'latest')) => {
    let thrown: unknown;
    try {
      writeRunReport({ ...reportFixture(), runId: '2026-03-02T09-00-00-000Z' }, dir, ['md']);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ResourceError);
    expect((thrown as ResourceError).message).toBe(message);
    expect((thrown as ResourceError).actions).toEqual([`Move or delete ${folder}, or choose another folder with --out.`]);
  };

  it('refuses to replace a latest/ it did not write, and deletes nothing in it', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'latest'));
    writeFileSync(join(dir, 'latest', 'thesis.tex'), 'four years of work');
    refusedWith(dir, notReplacing(join(dir, 'latest'), `it has no readable ${OWNED_MARKER} (ENOENT)`));
    expect(readdirSync(join(dir, 'latest'))).toEqual(['thesis.tex']);
    expect(readFileSync(join(dir, 'latest', 'thesis.tex'), 'utf8')).toBe('four years of work');
  });

  it('refuses to replace its own latest/ once someone added a file to it, keeping both', () => {
    const dir = fresh();
    writeRunReport(reportFixture(), dir, ['json']);
    writeFileSync(join(dir, 'latest', 'notes.txt'), 'mine');
    refusedWith(dir, notReplacing(join(dir, 'latest'), 'it holds notes.txt, which sfjwt did not write'));
    expect(readdirSync(join(dir, 'latest')).sort()).toEqual([OWNED_MARKER, 'notes.txt', 'run.json']);
  });

  it('refuses a latest that is a link, leaving the link and what it points at', () => {
    const dir = fresh();
    const elsewhere = fresh();
    writeFileSync(join(elsewhere, 'keep.txt'), 'keep');
    symlinkSync(elsewhere, join(dir, 'latest'));
    refusedWith(dir, notReplacing(join(dir, 'latest'), 'it is a symbolic link'));
    expect(readdirSync(join(dir, 'latest'))).toEqual(['keep.txt']);
  });

  it('a marker someone wrote cannot make it delete anything else', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'victim.txt'), 'keep');
    mkdirSync(join(dir, 'latest'));
    writeFileSync(join(dir, 'latest', OWNED_MARKER), JSON.stringify({ writtenBy: 'sfjwt', files: ['../victim.txt'] }));
    refusedWith(dir, notReplacing(join(dir, 'latest'), `its ${OWNED_MARKER} is not sfjwt's`));
    expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('keep');
  });

  it('does not write into a folder named like the run that it did not make', () => {
    const dir = fresh();
    const runDir = join(dir, '2026-03-02T09-00-00-000Z');
    mkdirSync(runDir);
    writeFileSync(join(runDir, 'run.md'), 'not a report');
    refusedWith(dir, notReplacing(runDir, `it has no readable ${OWNED_MARKER} (ENOENT)`), runDir);
    expect(readFileSync(join(runDir, 'run.md'), 'utf8')).toBe('not a report');
    expect(existsSync(join(dir, 'latest'))).toBe(false);
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
    [
      ['json', 'html'],
      ['json', 'html'],
    ],
    [
      [' md , junit ', 'md'],
      ['md', 'junit'],
    ],
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
