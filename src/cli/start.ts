/**
 * `npm start` / `sfjwt start`: the main job on the embedded mock. The whole scenario catalogue runs
 * against the mock org in-process (msw) and over HTTPS on loopback; a summary table goes to the
 * terminal and the run report to reports/<run>/ and reports/latest/. Exit code 1 when any scenario
 * did not get its expected answer.
 */
import { catalogue } from '../../scenarios/load.ts';
import { REPORT_FORMATS, writeRunReport } from '../report/write.ts';
import { interactive, parse, type CommandSpec } from './args.ts';
import { executeRun, mainReportFile, summaryTable } from './run.ts';

export const startSpec = {
  name: 'start',
  summary: 'The main job: the whole catalogue against the embedded mock (in-process and HTTPS), with a report',
  usage: 'npx sfjwt start [--json] [--out DIR]',
  options: { json: { type: 'boolean' }, out: { type: 'string' } },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

export async function start(argv: string[]): Promise<void> {
  const { values } = parse(startSpec, argv);
  if (values.help === true) {
    process.stdout.write(`${startSpec.usage}\n\n${startSpec.summary}.\nThe same as npx sfjwt run --target mock. To serve the mock for your own client: npx sfjwt serve.\n`);
    return;
  }
  const report = await executeRun(catalogue(), ['mock'], undefined, undefined, values.json !== true && interactive(process.stderr));
  const { runDir } = writeRunReport(report, (values.out as string | undefined) ?? 'reports', REPORT_FORMATS);
  if (values.json === true) process.stdout.write(`${JSON.stringify(report)}\n`);
  else process.stdout.write(`${summaryTable(report)}\nreport: ${mainReportFile(runDir, REPORT_FORMATS)}\n`);
  if (report.summary.fail + report.summary.divergence > 0) process.exitCode = 1;
}
