/**
 * `sfjwt stop`: stops a mock that `serve --detach` started, found by its ready file (the one given
 * to serve, or the state folder's serve.json). See background.ts for what is and is not signalled.
 */
import { join } from 'node:path';
import { type CommandSpec, parse } from './args.ts';
import { DEFAULT_READY_FILE, stopServe } from './background.ts';
import { type CommandContext, inCwd, stateDir } from './context.ts';
import { SUMMARIES } from './summaries.ts';

const stopSpec = {
  name: 'stop',
  summary: SUMMARIES.stop,
  usage: 'npx sfjwt stop [--ready-file FILE] [--state-dir DIR]',
  options: { 'ready-file': { type: 'string' }, 'state-dir': { type: 'string' } },
} satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

const HELP = `${stopSpec.usage}

${stopSpec.summary}.
  --ready-file FILE   the ready file serve --detach wrote (default: <state dir>/serve.json)
  --state-dir DIR     the state folder serve used (default .sfjwt) [SFJWT_HOME]

It sends SIGTERM to the pid the ready file names, only if that process is an sfjwt serve, and waits
until it has stopped (the mock removes its ready file as it goes). Exit code 0: stopped, or nothing
was running; 2: the file is not a background serve's, or its pid is another program now.

Examples:
  npx sfjwt stop --ready-file mock.json      the mock of serve --detach --ready-file mock.json
  npx sfjwt stop                             the one started with serve --detach alone`;

export async function stop(ctx: CommandContext): Promise<number> {
  const { values } = parse(stopSpec, ctx.argv);
  if (values.help === true) {
    ctx.stdout.write(`${HELP}\n`);
    return 0;
  }
  const given = values['ready-file'] as string | undefined;
  const ready = inCwd(ctx, given ?? join(stateDir(ctx, values['state-dir'] as string | undefined), DEFAULT_READY_FILE));
  return stopServe(ctx, ready);
}
