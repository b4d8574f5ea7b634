/**
 * `sfjwt scenarios`: the catalogue, as a table or (with --json) an array of scenarios with id, title,
 * level, tags, the expected answer, the deciding check, confidence and what a real org needs.
 */
import { catalogue } from '../../scenarios/load.ts';
import { type CommandSpec, parse, table } from './args.ts';
import type { CommandContext } from './context.ts';
import { selectScenarios } from './select-scenarios.ts';
import { SUMMARIES } from './summaries.ts';

const scenariosSpec = {
  name: 'scenarios',
  summary: SUMMARIES.scenarios,
  usage: 'npx sfjwt scenarios [--tag T …] [--json]',
  options: { json: { type: 'boolean' }, tag: { type: 'string', multiple: true } },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

export function scenarios(ctx: CommandContext): number {
  const { values } = parse(scenariosSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(
      `${scenariosSpec.usage}\n\n${scenariosSpec.summary}.\n  --tag T   only scenarios with this tag (repeatable: with any of them)\n  --json    every scenario in full, as a JSON array\n\nnpx sfjwt explain <id> tells one scenario in full.\n\nExamples:\n  npx sfjwt scenarios\n  npx sfjwt scenarios --tag aud --json\n`,
    );
    return 0;
  }
  // The same choice as run's, so an unknown tag gets the same message (and exit code 2) from both.
  const list = selectScenarios(catalogue(), [], (values.tag as string[] | undefined) ?? []);
  if (values.json === true) {
    ctx.stdout.write(
      `${JSON.stringify(list.map((s) => ({ id: s.id, title: s.title, level: s.level, tags: s.tags, as: s.as, expect: s.expect, confidence: s.confidence, explanation: s.explanation, fix: s.fix, references: s.references, reproduces: s.reproduces, runsOn: s.runsOn, realOrg: s.realOrg })))}\n`,
    );
    return 0;
  }
  const answer = (s: (typeof list)[number]) =>
    s.expect.status === 200 ? '200 token' : `${s.expect.status} ${s.expect.error ?? ''} ${s.expect.error_description === undefined ? '' : `/ ${s.expect.error_description}`}`.trim();
  ctx.stdout.write(
    `${table(
      ['id', 'level', 'answer', 'decided by', 'title'],
      list.map((s) => [s.id, s.level, answer(s), String(s.expect.decidedBy ?? '-'), s.title]),
    )}\n\n${list.length} scenarios\n`,
  );
  return 0;
}
