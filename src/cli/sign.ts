/**
 * `sfjwt sign`: a JWT Bearer assertion built and signed, what jwt.io's encoder is used for, but
 * with the claims Salesforce reads (iss, sub, aud, exp in seconds), RS256 through lib/jws.ts and
 * the lint of `inspect` on standard error. Standard output gets the compact JWT and nothing else,
 * so `TOKEN=$(npx sfjwt sign …)` works. An assertion the lint finds an error in is not printed
 * (exit code 2) unless --force asks for it; the key is never printed. `--scenario ID` with
 * `--from-serve` signs what that catalogue scenario sends to the served mock (src/training/scenario-request.ts),
 * which is how the field guide's reproductions get their assertion.
 */
import { UsageError } from '../../lib/errors.ts';
import { signAssertion } from '../client/assertion.ts';
import { hostName, inspectAssertion } from '../diagnose/inspect.ts';
import { countBySeverity, renderFindings } from '../diagnose/inspect-render.ts';
import { readServedMock, scenarioAssertion, scenarioById, scenarioContext } from '../training/scenario-request.ts';
import { type CommandSpec, colours, parse } from './args.ts';
import { ASSERTION_HELP, ASSERTION_OPTIONS, assertionInput } from './assertion-input.ts';
import { type CommandContext, inCwd } from './context.ts';
import { SUMMARIES } from './summaries.ts';

const signSpec = {
  name: 'sign',
  summary: SUMMARIES.sign,
  usage:
    'npx sfjwt sign --iss KEY --sub USERNAME --key FILE [--host login|test|URL | --aud URL] [--lifetime 3m | --exp S] [--claim NAME=VALUE …] [--passphrase P] [--config FILE --target NAME | --from-serve FILE [--scenario ID]] [--force]',
  options: { ...ASSERTION_OPTIONS, scenario: { type: 'string' }, force: { type: 'boolean' } },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

const HELP = `${signSpec.usage}

${signSpec.summary}.
${ASSERTION_HELP}
  --scenario ID        with --from-serve: the assertion that scenario of the catalogue sends (its user,
                       app and aud, its claim, header and signature mistakes), for the served default
                       world; the field guide's reproductions post it (npx sfjwt guide)
  --force              print the JWT even when the lint finds errors in it

Standard output gets the compact JWT (header.payload.signature) and nothing else, so
TOKEN=$(npx sfjwt sign …) works; the lint of npx sfjwt inspect goes to standard error. The key and
its passphrase are never printed.
Exit code 0: signed; 2: usage errors, or errors in the assertion (without --force).

Examples:
  npx sfjwt sign --iss 3MVG9… --sub integration@acme.com --key server.key --host login
  npx sfjwt sign --config sfjwt.config.json --target uat --lifetime 5m
  npx sfjwt sign --from-serve .sfjwt/ready.json --claim scope=api
  npx sfjwt sign --from-serve mock.json --scenario aud.test-at-login --force > bad.jwt`;

async function flagsSigned(ctx: CommandContext, values: Values): Promise<{ jwt: string; lintHost: string | undefined }> {
  const input = await assertionInput(ctx, values, 'sign');
  return { jwt: await signAssertion(input.claims, input.key), lintHost: input.lintHost };
}

/** `--scenario ID`: the scenario's own claims and mistakes, so no flag that sets a claim or a source goes with it. */
function scenarioSigned(ctx: CommandContext, values: Values, id: string): { jwt: string; lintHost: string | undefined } {
  const serveFile = values['from-serve'];
  if (typeof serveFile !== 'string')
    throw new UsageError('--scenario needs --from-serve FILE: the scenario is made against a served mock', {
      actions: ['npx sfjwt serve --detach --ready-file mock.json, then npx sfjwt sign --from-serve mock.json --scenario ID.'],
    });
  const clash = Object.keys(ASSERTION_OPTIONS).filter((name) => name !== 'from-serve' && values[name] !== undefined);
  if (clash.length > 0) throw new UsageError(`--scenario makes the claims itself: drop ${clash.map((n) => `--${n}`).join(', ')}`);
  const scenario = scenarioById(id);
  const { line, world, privateKeyPem } = readServedMock(inCwd(ctx, serveFile));
  const request = scenarioContext(scenario, line, world, privateKeyPem, ctx.now());
  return { jwt: scenarioAssertion(scenario, request), lintHost: hostName(request.realUrl(scenario.as.host) ?? '') };
}

export async function sign(ctx: CommandContext): Promise<number> {
  const { values } = parse(signSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  const { jwt, lintHost } = typeof values.scenario === 'string' ? scenarioSigned(ctx, values, values.scenario) : await flagsSigned(ctx, values);
  // The lint of `inspect`, on what was signed and the host it is for.
  const lint = inspectAssertion({ jwt, now: ctx.now(), host: lintHost });
  ctx.stderr.write(`${renderFindings(lint, colours(ctx.stderr, ctx.env))}\n`);
  const errors = countBySeverity(lint).error;
  if (errors > 0 && values.force !== true) {
    throw new UsageError(`the assertion has ${errors} error${errors === 1 ? '' : 's'} (listed above), so it is not printed`, { actions: ['Fix it, or give --force to print it anyway.'] });
  }
  ctx.stdout.write(`${jwt}\n`);
  return 0;
}
