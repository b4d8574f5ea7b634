/**
 * `sfjwt postman`: the catalogue (or part of it) as a Postman collection and environment, for the
 * readers who test with Postman. The default target is the mock that `serve` serves (its ready
 * file); `--target NAME` takes a real org of sfjwt.config.json, and then only what `run --target
 * NAME` would send it is exported. It writes two files and sends nothing; what it prints says what
 * was left out and why, until when the signed assertions keep their answers, and how to run it.
 * Exit code 0: written; 2: usage errors (an unknown target, scenario or tag; nothing to export).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../lib/errors.ts';
import { DEFAULT_KNOBS } from '../../mock-server/core/knobs.ts';
import { catalogue } from '../../scenarios/load.ts';
import { loadConfig, type ResolvedTargetConfig, targetFromEnv } from '../runner/config.ts';
import { postmanCollection } from '../training/postman-collection.ts';
import { assertionValidity, postmanEnvironment } from '../training/postman-environment.ts';
import { planExport } from '../training/postman-requests.ts';
import { type ExportTarget, realOrgTarget, servedMockTarget } from '../training/postman-targets.ts';
import { COLLECTION_FILE, ENVIRONMENT_FILE, writeExport } from '../training/postman-write.ts';
import { readServedMock } from '../training/scenario-request.ts';
import { type CommandSpec, parse } from './args.ts';
import { DEFAULT_READY_FILE } from './background.ts';
import { type CommandContext, inCwd, stateDir } from './context.ts';
import { selectScenarios } from './select-scenarios.ts';
import { SUMMARIES } from './summaries.ts';

const postmanSpec = {
  name: 'postman',
  summary: SUMMARIES.postman,
  usage: 'npx sfjwt postman [--from-serve FILE | --target NAME|env [--config FILE]] [--scenario ID …] [--tag T …] [--out DIR]',
  options: {
    'from-serve': { type: 'string' },
    target: { type: 'string' },
    config: { type: 'string' },
    scenario: { type: 'string', multiple: true },
    tag: { type: 'string', multiple: true },
    out: { type: 'string' },
  },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>>;

const HELP = `${postmanSpec.usage}

${postmanSpec.summary}.

  --from-serve FILE  the served mock to make it for: the ready file of npx sfjwt serve --ready-file
                     FILE (or its --json line saved to FILE); the default target, and by default the
                     ready file of serve --detach in the state folder
  --target NAME      a real org of the config file instead (env: the SFJWT_* variables); only what
                     npx sfjwt run --target NAME would send it is exported, within its budget
  --config FILE      the config file of --target (default sfjwt.config.json)
  --scenario ID      only these scenarios (repeatable); npx sfjwt scenarios lists them
  --tag T            only scenarios with this tag (repeatable)
  --out DIR          where the two files go (default postman/; a folder it makes gets a .gitignore)

Writes DIR/${COLLECTION_FILE} (a request per scenario, with a test of Salesforce's answer) and
DIR/${ENVIRONMENT_FILE} (the host URLs and each signed assertion, secret-typed; for the
mock, its admin token too). Postman cannot sign RS256: the assertions are valid for minutes, and
running the export again re-signs them. Nothing is sent.
Exit code 0: written; 2: usage errors.

Examples:
  npx sfjwt postman --from-serve mock.json --out postman
  npx sfjwt postman --config sfjwt.config.json --target uat --tag baseline`;

/** A real org of the config, found as run finds it (or env: the SFJWT_* variables). */
function configTarget(ctx: CommandContext, name: string, configFile: string | undefined): ResolvedTargetConfig {
  if (name === 'env') {
    const env = targetFromEnv(ctx.env);
    if (env === undefined) throw new UsageError('no target "env" (SFJWT_LOGIN_URL is not set)', { actions: ['Set SFJWT_LOGIN_URL, SFJWT_CLIENT_ID, SFJWT_USERNAME and SFJWT_KEY_FILE.'] });
    return env;
  }
  const path = inCwd(ctx, configFile ?? 'sfjwt.config.json');
  if (configFile === undefined && !existsSync(path))
    throw new UsageError(`no target "${name}" (no sfjwt.config.json here)`, { actions: ['Give --config FILE, or --from-serve FILE for the served mock.'] });
  const targets = loadConfig(path, ctx.env);
  const found = targets.find((t) => t.name === name);
  if (found === undefined) throw new UsageError(`no target "${name}" in ${path}`, { actions: [`Targets: ${[...targets.map((t) => t.name), 'env'].join(', ')}.`] });
  return found;
}

/** The served mock of the ready file: its line, world and key, and the CA and admin token its line gives. */
function servedTarget(ctx: CommandContext, file: string): { target: ExportTarget; admin: { url: string; token: string | null }; ca: string | undefined } {
  const { line, world, privateKeyPem } = readServedMock(file);
  return { target: servedMockTarget(line, world, privateKeyPem, ctx.now()), admin: { url: line.admin, token: line.adminToken ?? null }, ca: line.ca ?? undefined };
}

const when = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

export async function postman(ctx: CommandContext): Promise<number> {
  const { values } = parse(postmanSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  const targetName = values.target as string | undefined;
  const serveFlag = values['from-serve'] as string | undefined;
  if (targetName?.startsWith('mock') === true && targetName !== 'mock') {
    throw new UsageError(`the export is made for a served mock or a real org, not for --target ${targetName}`, { actions: ['Give --from-serve FILE (npx sfjwt serve --detach --ready-file FILE).'] });
  }
  const real = targetName !== undefined && targetName !== 'mock';
  if (real && serveFlag !== undefined) throw new UsageError('--from-serve and --target are two targets: give one of them');
  if (!real && values.config !== undefined) throw new UsageError('--config goes with --target NAME (a real org of the config)');
  const scenarios = selectScenarios(catalogue(), (values.scenario as string[] | undefined) ?? [], (values.tag as string[] | undefined) ?? []);
  const now = ctx.now();
  const readyFile = inCwd(ctx, serveFlag ?? join(stateDir(ctx), DEFAULT_READY_FILE));
  const served = real ? undefined : servedTarget(ctx, readyFile);
  const config = real ? configTarget(ctx, targetName, values.config as string | undefined) : undefined;
  const target = served?.target ?? realOrgTarget(config as ResolvedTargetConfig, now);

  const plan = await planExport(scenarios, target.planner);
  const leftOut = plan.leftOut.map((l) => `  ${l.id}: ${l.reason}`);
  if (plan.requests.length === 0)
    throw new UsageError(`nothing to export: every scenario chosen is left out\n${leftOut.join('\n')}`, { actions: ['Choose other scenarios (--scenario, --tag), or another target.'] });
  const name = served === undefined ? `sfjwt: ${config?.name ?? ''}` : 'sfjwt: the served mock';
  const collection = postmanCollection({ name, kind: served === undefined ? 'real' : 'mock', plan, hosts: target.hosts, notes: target.notes });
  const environment = postmanEnvironment({ name, plan, hosts: target.hosts, signedAt: now, ...(served === undefined ? {} : { admin: served.admin }) });
  const out = inCwd(ctx, (values.out as string | undefined) ?? 'postman');
  const written = writeExport(out, collection, environment);

  const leeway = DEFAULT_KNOBS.expLeewaySeconds;
  const validity = assertionValidity(plan, leeway);
  const signed = environment.values.filter((v) => v.key.startsWith('assertion_') && !v.key.endsWith('_exp')).length;
  const ca = served?.ca === undefined ? '' : ` --ssl-extra-ca-certs ${served.ca}`;
  const delay = config === undefined ? '' : ` --delay-request ${config.delayMs}`;
  ctx.stdout.write(
    `${[
      `Wrote ${written.collection} (${plan.requests.length} requests in ${collection.item.length} folders, each with a test of the answer)`,
      `and ${written.environment} (the host URLs and ${signed} signed assertions, secret-typed${served === undefined ? '' : ", and the mock's admin token"}).`,
      ...(written.unguarded ? [`${out} is not a folder sfjwt made: keep ${ENVIRONMENT_FILE} out of git (it holds credentials for minutes).`] : []),
      ...(leftOut.length === 0 ? [] : [`Left out (${leftOut.length}):`, ...leftOut]),
      validity.until === undefined
        ? `The assertions were signed at ${when(now)}.`
        : `The assertions were signed at ${when(now)} and get their expected answers until ${when(validity.until)} (${Math.round((validity.until - now) / 1000)} s: ${validity.first ?? ''} is the first past exp plus Salesforce's ${leeway} s leeway); each one's exp is in the environment.`,
      'Running the export again re-signs them.',
      `Run it: npx newman run ${written.collection} -e ${written.environment}${ca}${delay}`,
    ].join('\n')}\n`,
  );
  return 0;
}
