/**
 * `sfjwt world`: prints a world as JSON (the default training ground, or a generated one) to start a
 * world file from, or checks a world file and says exactly which fields are wrong (and, on standard
 * error, what is valid but likely a mistake). A printed world's apps hold this machine's certificate,
 * which another machine does not share: the world says so in its `$comment`, and standard error
 * does as well. A generated world
 * is printed a thousand users at a time, byte for byte as JSON.stringify(world, null, 2) would print
 * it, and only once its whole size is known to fit what `serve --world` reads: one string of it all
 * would pass V8's largest string (a stack trace) long before memory runs out.
 */
import { join } from 'node:path';
import { UsageError } from '../../lib/errors.ts';
import { INPUT_LIMITS } from '../../lib/read-input-file.ts';
import { ensureKeyPair } from '../../lib/state-folder.ts';
import { generateWorld } from '../../mock-server/world/generate.ts';
import { prepareWorld } from '../../mock-server/world/prepare.ts';
import type { World } from '../../mock-server/world/schema.ts';
import { formatWorldWarnings, loadWorldFile, worldWarnings } from '../../mock-server/world/validate-world.ts';
import { WorldIndex } from '../../mock-server/world/world-index.ts';
import { type CommandSpec, intOption, parse } from './args.ts';
import { type CommandContext, inCwd, type Output, stateDir as stateDirOf } from './context.ts';
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

/** The most users a generated world may have: the size the mock is measured to serve (README, Security and limits). */
export const MAX_GENERATED_USERS = 1_000_000;
/** Users times apps (each user approves every app): past this the file is over the world file cap anyway. */
const MAX_APPROVALS = 40_000_000;

/**
 * The first field of a printed world: whose certificate its apps hold. It travels with the file,
 * to the teammate whose own machine made a different key pair.
 */
export const CERTIFICATE_COMMENT =
  "The apps' certificates are the default-app certificate of the machine that printed this world (keys/default-app.crt in its sfjwt state folder). Another machine has a key pair of its own: to log in from there, add that machine's keys/default-app.crt to the apps' certificates (an app may hold several), or print the world there with npx sfjwt world.";

/** The same on standard error, naming this machine's file: the note is seen when the world goes to a file. */
function certificateNote(ctx: CommandContext, stateDir: string): void {
  ctx.stderr.write(
    `sfjwt: note: the apps' certificates are this machine's (${join(stateDir, 'keys', 'default-app.crt')}); a teammate's machine has its own key pair, so its certificate must be added to the apps before it can log in to this world (see "$comment").\n`,
  );
}

/** JSON.stringify(world, null, 2), in pieces of a thousand users (users is the world's last field). */
function worldPieces(w: World): string[] {
  const { users, ...rest } = w;
  const head = JSON.stringify({ ...rest, users: [] }, null, 2);
  if (users.length === 0) return [head];
  const pieces = [`${head.slice(0, -'[]\n}'.length)}[\n`];
  for (let i = 0; i < users.length; i += 1000) {
    const batch = users.slice(i, i + 1000).map((u) => `    ${JSON.stringify(u, null, 2).replace(/\n/g, '\n    ')}`);
    pieces.push(`${i === 0 ? '' : ',\n'}${batch.join(',\n')}`);
  }
  pieces.push('\n  ]\n}');
  return pieces;
}

function printGenerated(out: Output, w: World): void {
  const pieces = worldPieces(w);
  const bytes = pieces.reduce((n, p) => n + Buffer.byteLength(p), 1);
  if (bytes > INPUT_LIMITS.world) {
    throw new UsageError(`the world would be ${Math.ceil(bytes / 1_048_576)} MiB, more than the ${INPUT_LIMITS.world / 1_048_576} MiB serve --world reads`, {
      actions: ['Generate fewer users or fewer apps (each user approves every app).'],
    });
  }
  for (const piece of pieces) out.write(piece);
  out.write('\n');
}

export function world(ctx: CommandContext): number {
  const { values } = parse(worldSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(
      `${worldSpec.usage}\n\n${worldSpec.summary}.\n\n  --seed N        seed of the default or generated world (default 42)\n  --generate      a bulk world: --orgs N orgs, --users N users per org, --apps N apps\n  --check FILE    validate a world file; exit code 2 and every wrong field when it is not valid;\n                  warnings (an app without a certificate, a likely typo of a profile) on stderr\n  --state-dir DIR where the default app's key pair lives, whose certificate the printed world holds\n                  (default .sfjwt)\n\nExamples:\n  npx sfjwt world > my-world.json\n  npx sfjwt world --check my-world.json\n  npx sfjwt world --generate --orgs 3 --users 1000 --apps 5 --seed 7 > big-world.json\n`,
    );
    return 0;
  }
  if (values.check !== undefined) {
    const file = inCwd(ctx, values.check as string);
    const w = loadWorldFile(file);
    new WorldIndex(w);
    for (const line of formatWorldWarnings(file, worldWarnings(w))) ctx.stderr.write(`${line}\n`);
    ctx.stdout.write(`${file}: a valid world (${w.orgs.length} orgs, ${w.apps.length} apps, ${w.users.length} users)\n`);
    return 0;
  }
  const stateDir = stateDirOf(ctx, values['state-dir'] as string | undefined);
  const seed = intOption(values.seed as string | undefined, 'seed', { min: 0, max: 2 ** 31 - 1 });
  if (values.generate === true) {
    const orgs = intOption(values.orgs as string | undefined, 'orgs', { min: 1, max: 10_000 }) ?? 1;
    const usersPerOrg = intOption(values.users as string | undefined, 'users', { min: 0, max: MAX_GENERATED_USERS }) ?? 10;
    const apps = intOption(values.apps as string | undefined, 'apps', { min: 1, max: 1_000 }) ?? 1;
    // Checked before anything is made: 10,000 orgs of a million users each would exhaust memory.
    if (orgs * usersPerOrg > MAX_GENERATED_USERS) {
      throw new UsageError(`--orgs ${orgs} with --users ${usersPerOrg} each is ${orgs * usersPerOrg} users, more than the ${MAX_GENERATED_USERS} a generated world may have`, {
        actions: ['Give fewer orgs or fewer users per org.'],
      });
    }
    if (orgs * usersPerOrg * apps > MAX_APPROVALS) {
      throw new UsageError(`${orgs * usersPerOrg} users each approving ${apps} apps is more than serve --world reads (${INPUT_LIMITS.world / 1_048_576} MiB)`, {
        actions: ['Generate fewer users or fewer apps (each user approves every app).'],
      });
    }
    const key = ensureKeyPair(join(stateDir, 'keys'), 'default-app', [{ shortName: 'CN', value: 'sfjwt default app' }]);
    printGenerated(ctx.stdout, { $comment: CERTIFICATE_COMMENT, ...generateWorld({ seed: seed ?? 42, orgs, usersPerOrg, apps, certificatePem: key.certificatePem }) });
    certificateNote(ctx, stateDir);
    return 0;
  }
  ctx.stdout.write(`${JSON.stringify({ $comment: CERTIFICATE_COMMENT, ...prepareWorld({ stateDir, seed }).world }, null, 2)}\n`);
  certificateNote(ctx, stateDir);
  return 0;
}
