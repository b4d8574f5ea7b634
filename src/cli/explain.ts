/**
 * `sfjwt explain`: what a Salesforce answer means and every known cause of it, how to tell the
 * causes apart and fix them; or one scenario or one check in full. The words given are one query;
 * words that name nothing as typed are tried as one name (`invalid grant` → invalid_grant), and the
 * output says what was looked up. A query nobody knows is a usage error (exit code 2) that lists
 * what was tried, what is close and the kinds of things explain knows.
 */

import { UsageError } from '../../lib/errors.ts';
import { explainable, explainSuggestions, lookUp, lookUpForms } from '../diagnose/explain.ts';
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
  return `explain knows error codes (${k.errors.join(', ')}), error_description texts (such as "audience is invalid"), a whole response body or HTML page, what the REST API and identity service answer a token (${k.apiAnswers.join(', ')}), what a request that got no answer reports (${k.networkAnswers.join(', ')}), check ids (${k.checks.join(', ')}) and scenario ids (npx sfjwt scenarios lists them).`;
}

const HELP = `${explainSpec.usage}

${explainSpec.summary}.
  invalid_grant                              every answer with this error code (invalid grant too)
  "user hasn't approved this consumer"       an error_description, whole or in part, any case
  '{"error":"invalid_grant","error_description":"audience is invalid"}'   the body as received
  INVALID_SESSION_ID, Bad_OAuth_Token        what the REST API and identity service answer a token
  ECONNREFUSED, "unable to verify the first certificate"   no answer at all: what fetch reported
  "URL No Longer Exists"                     an HTML page, by its title or whole
  claims.iss-capitalised                     a scenario: its mistakes, answer, deciding check, fix
  audience                                   a check: what it checks, its answers, its scenarios
  --json                                     the structured explanation

The words given are one query; words that name nothing as typed are also tried as one name
(invalid grant → invalid_grant, user state → user-state), and the output says so.
Exit code 0: explained; 2: nothing known by that name (close matches are listed).

Examples:
  npx sfjwt explain "user hasn't approved this consumer"
  npx sfjwt explain '{"error":"invalid_grant","error_description":"audience is invalid"}'
  npx sfjwt explain INVALID_SESSION_ID`;

export function explain(ctx: CommandContext): number {
  const { values, positionals } = parse(explainSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  const query = positionals.join(' ').trim();
  if (query === '') throw new UsageError('explain needs something to explain', { actions: [`Usage: ${explainSpec.usage}`, knows()] });
  const found = lookUp(query);
  if (found === undefined) {
    const close = explainSuggestions(query);
    const shown = query.length > 80 ? `${query.slice(0, 79)}…` : query;
    const [typed, ...joined] = lookUpForms(query);
    const tried = joined.length === 0 ? [] : [`Looked up "${typed ?? ''}", ${joined.slice(0, -1).join(', ')} and ${joined.at(-1) ?? ''}.`];
    throw new UsageError(`explain does not know "${shown}"`, { actions: [...tried, ...(close.length === 0 ? [] : [`Close matches: ${close.join(', ')}.`]), knows()] });
  }
  const { lookedUp, explanation } = found;
  if (values.json === true) {
    ctx.stdout.write(`${JSON.stringify(explanation)}\n`);
    return 0;
  }
  const c = colours(ctx.stdout, ctx.env);
  // Words read as one name: say so, so that what is explained is never a surprise.
  const note = lookedUp === query.replace(/\s+/g, ' ') ? '' : `${c.dim(`Read "${query.replace(/\s+/g, ' ')}" as ${lookedUp}.`)}\n\n`;
  ctx.stdout.write(`${note}${renderExplanation(explanation, c)}\n`);
  return 0;
}
