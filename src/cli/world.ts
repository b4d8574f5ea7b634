/**
 * `sfjwt world`: prints a world as JSON (the default training ground, or a generated one) to start a
 * world file from, or checks a world file and says exactly which fields are wrong.
 */
import { join } from 'node:path';
import { ensureKeyPair } from '../../lib/state-folder.ts';
import { generateWorld } from '../../mock-server/world/generate.ts';
import { prepareWorld } from '../../mock-server/world/prepare.ts';
import { loadWorldFile } from '../../mock-server/world/validate-world.ts';
import { WorldIndex } from '../../mock-server/world/world-index.ts';
import { intOption, parse, type CommandSpec } from './args.ts';
import { inCwd, stateDir as stateDirOf, type CommandContext } from './context.ts';
import { SUMMARIES } from './summaries.ts';

const worldSpec = {
  name: 'world',
  summary: SUMMARIES.world,
  usage: 'npx sfjwt world [--seed N] [--generate --orgs N --users N --apps N] | --check FILE',
  options: {
    seed: { type: 'string' },
    generate: { type: 'boolean' },
    orgs: { type: 'string' },
    users: { type: 'string' },
    apps: { type: 'string' },
    check: { type: 'string' },
    'state-dir': { type: 'string' },
  },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

export function world(ctx: CommandContext): number {
  const { values } = parse(worldSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(`${worldSpec.usage}\n\n${worldSpec.summary}.\n\n  --seed N       seed of the default or generated world (default 42)\n  --generate     a bulk world: --orgs N orgs, --users N users per org, --apps N apps\n  --check FILE   validate a world file; exit code 2 and every wrong field when it is not valid\n`);
    return 0;
  }
  if (values.check !== undefined) {
    const file = inCwd(ctx, values.check as string);
    const w = loadWorldFile(file);
    new WorldIndex(w);
    ctx.stdout.write(`${file}: a valid world (${w.orgs.length} orgs, ${w.apps.length} apps, ${w.users.length} users)\n`);
    return 0;
  }
  const stateDir = stateDirOf(ctx, values['state-dir'] as string | undefined);
  const seed = intOption(values.seed as string | undefined, 'seed', { min: 0, max: 2 ** 31 - 1 });
  if (values.generate === true) {
    const key = ensureKeyPair(join(stateDir, 'keys'), 'default-app', [{ shortName: 'CN', value: 'sfjwt default app' }]);
    const w = generateWorld({
      seed: seed ?? 42,
      orgs: intOption(values.orgs as string | undefined, 'orgs', { min: 1, max: 10_000 }) ?? 1,
      usersPerOrg: intOption(values.users as string | undefined, 'users', { min: 0, max: 1_000_000 }) ?? 10,
      apps: intOption(values.apps as string | undefined, 'apps', { min: 1, max: 1_000 }) ?? 1,
      certificatePem: key.certificatePem,
    });
    ctx.stdout.write(`${JSON.stringify(w, null, 2)}\n`);
    return 0;
  }
  ctx.stdout.write(`${JSON.stringify(prepareWorld({ stateDir, seed }).world, null, 2)}\n`);
  return 0;
}
