/**
 * `npm start` / `sfjwt start`: the main job on the embedded mock. The whole scenario catalogue runs
 * against the mock org in-process (msw) and over HTTPS on loopback; a summary table goes to the
 * terminal and the run report to reports/<run>/ and reports/latest/. Exit code 1 when any scenario
 * did not get its expected answer.
 */
import { catalogue } from '../../scenarios/load.ts';
import { REPORT_FORMATS, writeRunReport } from '../report/write.ts';
import { type CommandSpec, colours, interactive, parse } from './args.ts';
import { type CommandContext, inCwd } from './context.ts';
import { executeRun, exitCode, mainReportFile, summaryTable } from './run.ts';
import { SUMMARIES } from './summaries.ts';

const startSpec = {
  name: 'start',
  summary: SUMMARIES.start,
  usage: 'npx sfjwt start [--json] [--out DIR]',
  options: { json: { type: 'boolean' }, out: { type: 'string' } },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

export async function start(ctx: CommandContext): Promise<number> {
  const { values } = parse(startSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(
      `${startSpec.usage}\n\n${startSpec.summary}.\n  --json      print the run report as JSON instead of the table\n  --out DIR   where reports go (default reports/)\n\nThe same as npx sfjwt run --target mock. To serve the mock for your own client: npx sfjwt serve.\n\nExample:\n  npx sfjwt start --out reports\n`,
    );
    return 0;
  }
  const report = await executeRun(ctx, catalogue(), ['mock'], undefined, undefined, values.json !== true && interactive(ctx.stderr, ctx.env));
  const { runDir } = writeRunReport(report, inCwd(ctx, (values.out as string | undefined) ?? 'reports'), REPORT_FORMATS);
  if (values.json === true) ctx.stdout.write(`${JSON.stringify(report)}\n`);
  else ctx.stdout.write(`${summaryTable(report, colours(ctx.stdout, ctx.env))}\nreport: ${mainReportFile(runDir, REPORT_FORMATS)}\n`);
  return exitCode(report);
}
