/**
 * `sfjwt scenarios`: the catalogue, as a table or (with --json) an array of scenarios with id, title,
 * level, tags, the expected answer, the deciding check, confidence and what a real org needs.
 */
import { catalogue } from '../../scenarios/load.ts';
import { type CommandSpec, parse, table } from './args.ts';
import type { CommandContext } from './context.ts';
import { SUMMARIES } from './summaries.ts';

const scenariosSpec = {
  name: 'scenarios',
  summary: SUMMARIES.scenarios,
  usage: 'npx sfjwt scenarios [--tag T] [--json]',
  options: { json: { type: 'boolean' }, tag: { type: 'string' } },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

export function scenarios(ctx: CommandContext): number {
  const { values } = parse(scenariosSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(`${scenariosSpec.usage}\n\n${scenariosSpec.summary}.\n`);
    return 0;
  }
  const tag = values.tag as string | undefined;
  const list = catalogue().filter((s) => tag === undefined || s.tags.includes(tag));
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
