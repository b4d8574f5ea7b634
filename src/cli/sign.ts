/**
 * `sfjwt sign`: a JWT Bearer assertion built and signed, what jwt.io's encoder is used for, but
 * with the claims Salesforce reads (iss, sub, aud, exp in seconds), RS256 through lib/jws.ts and
 * the lint of `inspect` on standard error. Standard output gets the compact JWT and nothing else,
 * so `TOKEN=$(npx sfjwt sign …)` works. An assertion the lint finds an error in is not printed
 * (exit code 2) unless --force asks for it; the key is never printed.
 */
import { UsageError } from '../../lib/errors.ts';
import { signAssertion } from '../client/assertion.ts';
import { inspectAssertion } from '../diagnose/inspect.ts';
import { countBySeverity, renderFindings } from '../diagnose/inspect-render.ts';
import { type CommandSpec, colours, parse } from './args.ts';
import { ASSERTION_HELP, ASSERTION_OPTIONS, assertionInput } from './assertion-input.ts';
import type { CommandContext } from './context.ts';
import { SUMMARIES } from './summaries.ts';

const signSpec = {
  name: 'sign',
  summary: SUMMARIES.sign,
  usage:
    'npx sfjwt sign --iss KEY --sub USERNAME --key FILE [--host login|test|URL | --aud URL] [--lifetime 3m | --exp S] [--claim NAME=VALUE …] [--passphrase P] [--config FILE --target NAME | --from-serve FILE] [--force]',
  options: { ...ASSERTION_OPTIONS, force: { type: 'boolean' } },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

const HELP = `${signSpec.usage}

${signSpec.summary}.
${ASSERTION_HELP}
  --force              print the JWT even when the lint finds errors in it

Standard output gets the compact JWT (header.payload.signature) and nothing else, so
TOKEN=$(npx sfjwt sign …) works; the lint of npx sfjwt inspect goes to standard error. The key and
its passphrase are never printed.
Exit code 0: signed; 2: usage errors, or errors in the assertion (without --force).

Examples:
  npx sfjwt sign --iss 3MVG9… --sub integration@acme.com --key server.key --host login
  npx sfjwt sign --config sfjwt.config.json --target uat --lifetime 5m
  npx sfjwt sign --from-serve .sfjwt/ready.json --claim scope=api`;

export async function sign(ctx: CommandContext): Promise<number> {
  const { values } = parse(signSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  const input = await assertionInput(ctx, values, 'sign');
  const jwt = await signAssertion(input.claims, input.key);
  // The lint of `inspect`, on what was signed and the host it is for.
  const lint = inspectAssertion({ jwt, now: ctx.now(), host: input.lintHost });
  ctx.stderr.write(`${renderFindings(lint, colours(ctx.stderr, ctx.env))}\n`);
  const errors = countBySeverity(lint).error;
  if (errors > 0 && values.force !== true) {
    throw new UsageError(`the assertion has ${errors} error${errors === 1 ? '' : 's'} (listed above), so it is not printed`, { actions: ['Fix it, or give --force to print it anyway.'] });
  }
  ctx.stdout.write(`${jwt}\n`);
  return 0;
}
