/**
 * `sfjwt run`: the catalogue (or part of it) against the mock and real orgs, a summary table, and the
 * run reports under reports/. Exit code 0 when every scenario got its expected answer, 1 when any did
 * not (a failure on the mock, a divergence on a real org, a real org whose baseline failed), 2 for
 * usage or config errors (an unknown target, scenario id or tag among them).
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../../lib/errors.ts';
import { catalogue } from '../../scenarios/load.ts';
import type { Scenario } from '../../scenarios/schema.ts';
import { countsLine, inReadingOrder, VERDICT_WORD } from '../report/view.ts';
import { isReportFormat, RENDERERS, REPORT_FORMATS, type ReportFormat, writeRunReport } from '../report/write.ts';
import { loadConfig, targetFromEnv } from '../runner/config.ts';
import { httpsTarget, mswTarget } from '../runner/mock-target.ts';
import { realTarget } from '../runner/real-target.ts';
import { type RunReport, runCatalogue, type ScenarioResult, type Verdict } from '../runner/run.ts';
import type { Target } from '../runner/target.ts';
import { type Colours, type CommandSpec, colours, interactive, intOption, parse, table } from './args.ts';
import { type CommandContext, inCwd, stateDir } from './context.ts';
import { selectScenarios } from './select-scenarios.ts';
import { SUMMARIES } from './summaries.ts';

const runSpec = {
  name: 'run',
  summary: SUMMARIES.run,
  usage: 'npx sfjwt run [--target mock|mock-msw|mock-https|NAME|env …] [--scenario ID …] [--tag T …] [--config FILE] [--seed N] [--out DIR] [--report json,md,html,junit] [--json]',
  options: {
    target: { type: 'string', multiple: true },
    scenario: { type: 'string', multiple: true },
    tag: { type: 'string', multiple: true },
    config: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    report: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

const HELP = `${runSpec.usage}

${runSpec.summary}.

  --target T      mock (the in-process and the HTTPS mock; the default), mock-msw, mock-https,
                  a target named in the config file, or env (SFJWT_* variables); repeatable
  --scenario ID   only these scenarios (repeatable); npx sfjwt scenarios lists them
  --tag T         only scenarios with this tag (repeatable)
  --config FILE   real-org targets (default sfjwt.config.json when it exists)
  --seed N        recorded in the report (the mock's tokens are random otherwise)
  --out DIR       where reports go (default reports/)
  --report F,…    which reports to write: json (run.json), md (run.md, for a CI step summary or a
                  pull-request comment), html (run.html, one self-contained page), junit (junit.xml);
                  comma-separated or repeated (default all four)
  --json          print the run report as JSON instead of the table

Exit code 0: every scenario got its expected answer; 1: some did not; 2: usage or config errors.

Examples:
  npx sfjwt run --target mock --report md,junit
  npx sfjwt run --config sfjwt.config.json --target uat --scenario baseline.login`;

/** `--report json,md` (repeatable, comma-separated) as formats; all of them when not given. */
export function reportFormats(values: readonly string[] | undefined): ReportFormat[] {
  if (values === undefined) return [...REPORT_FORMATS];
  const asked = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  const unknown = asked.filter((v) => !isReportFormat(v));
  if (unknown.length > 0 || asked.length === 0) {
    throw new UsageError(asked.length === 0 ? '--report needs at least one format' : `unknown report format ${unknown.map((u) => `"${u}"`).join(', ')}`, {
      actions: [`Formats: ${REPORT_FORMATS.join(', ')} (e.g. --report md,junit).`],
    });
  }
  return REPORT_FORMATS.filter((f) => asked.includes(f));
}

/** Where a person should look first: the page when it was written, else the first file. */
export function mainReportFile(runDir: string, formats: readonly ReportFormat[]): string {
  const first = formats.includes('html') ? 'html' : (formats[0] ?? 'json');
  return `${runDir}/${RENDERERS[first].file}`;
}

/** What a run takes from its command's context: the environment, the clock, the folder, where progress goes. */
export type RunContext = Pick<CommandContext, 'env' | 'now' | 'cwd' | 'stderr'>;

export async function openTargets(ctx: RunContext, names: readonly string[], configFile: string | undefined, seed?: number): Promise<Target[]> {
  const wanted = names.length === 0 ? ['mock'] : names;
  const defaultConfig = inCwd(ctx, 'sfjwt.config.json');
  const configPath = configFile === undefined ? (existsSync(defaultConfig) ? defaultConfig : undefined) : inCwd(ctx, configFile);
  const configured = configPath === undefined ? [] : loadConfig(configPath, ctx.env);
  const targets: Target[] = [];
  try {
    for (const name of wanted) {
      // A seed makes the mock's tokens and cookies replayable; it goes into the report too.
      const setup = { stateDir: stateDir(ctx), clock: { now: ctx.now }, ...(seed === undefined ? {} : { seed }) };
      if (name === 'mock' || name === 'mock-msw') targets.push(mswTarget(setup));
      if (name === 'mock' || name === 'mock-https') targets.push(await httpsTarget(setup));
      if (name.startsWith('mock')) continue;
      const config = name === 'env' ? targetFromEnv(ctx.env) : configured.find((c) => c.name === name);
      if (config === undefined) {
        const known = ['mock', 'mock-msw', 'mock-https', ...configured.map((c) => c.name), 'env'];
        throw new UsageError(`no target "${name}"${name === 'env' ? ' (SFJWT_LOGIN_URL is not set)' : configPath === undefined ? ' (no sfjwt.config.json here)' : ` in ${configPath}`}`, {
          actions: [`Targets: ${known.join(', ')}.`],
        });
      }
      targets.push(realTarget(config, { now: ctx.now }));
    }
  } catch (error) {
    await Promise.all(targets.map((t) => t.close()));
    throw error;
  }
  return targets;
}

/**
 * The terminal's summary: a row per result in the reports' reading order, each named by its verdict's
 * word (shouted where something needs attention), then any finding about a whole target with what to
 * run, then the counts line every report has.
 */
export function summaryTable(report: RunReport, c: Colours): string {
  const paint: Record<Verdict, (s: string) => string> = { pass: c.green, fail: c.red, divergence: c.yellow, inconclusive: c.yellow, skip: c.dim };
  const loud = (v: Verdict) => (v === 'fail' || v === 'divergence' ? VERDICT_WORD[v].toUpperCase() : VERDICT_WORD[v]);
  const rows = inReadingOrder(report.results).map((r: ScenarioResult) => [
    paint[r.verdict](loud(r.verdict)),
    r.target,
    r.scenario,
    r.actual === undefined ? '-' : `${r.actual.status} ${r.actual.error ?? ''}`.trim(),
    r.decidedBy === undefined ? '-' : String(r.decidedBy ?? 'all passed'),
    r.reason ?? '',
  ]);
  const findings = report.findings.flatMap((f) => [c.bold(c.red(`setup broken: ${f.message}`)), `  → ${f.command}`]);
  return [table(['', 'target', 'scenario', 'answer', 'decided by', 'note'], rows), '', ...findings, `${countsLine(report.summary)} (${report.summary.total} results)`].join('\n');
}

export async function run(ctx: CommandContext): Promise<number> {
  const { values } = parse(runSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  const seed = intOption(values.seed as string | undefined, 'seed', { min: 0, max: 2 ** 31 - 1 });
  const formats = reportFormats(values.report as string[] | undefined);
  // Every id and tag is known (or this throws), so the selection is never empty.
  const scenarios = selectScenarios(catalogue(), (values.scenario as string[] | undefined) ?? [], (values.tag as string[] | undefined) ?? []);
  const report = await executeRun(ctx, scenarios, (values.target as string[] | undefined) ?? [], values.config as string | undefined, seed, values.json !== true && interactive(ctx.stderr, ctx.env));
  const { runDir } = writeRunReport(report, inCwd(ctx, (values.out as string | undefined) ?? 'reports'), formats);
  if (values.json === true) ctx.stdout.write(`${JSON.stringify(report)}\n`);
  else ctx.stdout.write(`${summaryTable(report, colours(ctx.stdout, ctx.env))}\nreport: ${mainReportFile(runDir, formats)}\n`);
  return exitCode(report);
}

/** 0 when every scenario got its expected answer; 1 when any failed, diverged or could not be judged. */
export function exitCode(report: RunReport): number {
  return report.summary.fail + report.summary.divergence + report.summary.inconclusive > 0 ? 1 : 0;
}

export async function executeRun(
  ctx: RunContext,
  scenarios: readonly Scenario[],
  targetNames: readonly string[],
  configFile: string | undefined,
  seed: number | undefined,
  progress: boolean,
): Promise<RunReport> {
  const targets = await openTargets(ctx, targetNames, configFile, seed);
  try {
    return await runCatalogue(scenarios, targets, {
      seed: seed ?? null,
      now: () => new Date(ctx.now()),
      onResult: progress ? (r, done, total) => ctx.stderr.write(`\r${done}/${total} ${r.target}: ${r.scenario}`.padEnd(100).slice(0, 100) + (done === total ? '\n' : '')) : undefined,
    });
  } finally {
    await Promise.all(targets.map((t) => t.close()));
  }
}
