/**
 * `sfjwt explain`: what a Salesforce answer means and every known cause of it, how to tell the
 * causes apart and fix them; or one scenario or one check in full. A query nobody knows is a usage
 * error (exit code 2) that lists what is close and the kinds of things explain knows.
 */

import { UsageError } from '../../lib/errors.ts';
import { explainable, explain as explainQuery, explainSuggestions } from '../diagnose/explain.ts';
import { renderExplanation } from '../diagnose/explain-render.ts';
import { type CommandSpec, colours, parse } from './args.ts';
import type { CommandContext } from './context.ts';
import { SUMMARIES } from './summaries.ts';

const explainSpec = {
  name: 'explain',
  summary: SUMMARIES.explain,
  usage: 'npx sfjwt explain <error code | error_description | JSON body | scenario id | check id> [--json]',
  options: { json: { type: 'boolean' } },
  allowPositionals: true,
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

function knows(): string {
  const k = explainable();
  return `explain knows error codes (${k.errors.join(', ')}), error_description texts (such as "audience is invalid"), a whole response body, check ids (${k.checks.join(', ')}) and scenario ids (npx sfjwt scenarios lists them).`;
}

const HELP = `${explainSpec.usage}

${explainSpec.summary}.
  invalid_grant                              every answer with this error code
  "user hasn't approved this consumer"       an error_description, whole or in part, any case
  '{"error":"invalid_grant","error_description":"audience is invalid"}'   the body as received
  claims.iss-capitalised                     a scenario: its mistakes, answer, deciding check, fix
  audience                                   a check: what it checks, its answers, its scenarios
  --json                                     the structured explanation

Exit code 0: explained; 2: nothing known by that name (close matches are listed).`;

export function explain(ctx: CommandContext): number {
  const { values, positionals } = parse(explainSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  const query = positionals.join(' ').trim();
  if (query === '') throw new UsageError('explain needs something to explain', { actions: [`Usage: ${explainSpec.usage}`, knows()] });
  const explanation = explainQuery(query);
  if (explanation === undefined) {
    const close = explainSuggestions(query);
    const shown = query.length > 80 ? `${query.slice(0, 79)}…` : query;
    throw new UsageError(`explain does not know "${shown}"`, { actions: [...(close.length === 0 ? [] : [`Close matches: ${close.join(', ')}.`]), knows()] });
  }
  ctx.stdout.write(values.json === true ? `${JSON.stringify(explanation)}\n` : `${renderExplanation(explanation, colours(ctx.stdout, ctx.env))}\n`);
  return 0;
}
