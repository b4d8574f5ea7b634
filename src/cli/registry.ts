/**
 * Every command by name: its summary and a loader that imports its module only when it runs. The
 * command list and `--help` read this and nothing else, so they load no command (nor msw, jose,
 * node-forge, zod or the mock); src/cli/lazy-help.test.ts watches the module graph to keep it so.
 */
import { editDistance } from '../../lib/edit-distance.ts';
import type { Command } from './context.ts';
import { type CommandName, SUMMARIES } from './summaries.ts';

export interface CommandEntry {
  name: CommandName;
  summary: string;
  load: () => Promise<Command>;
}

// One loader per summary: a command without one (or a loader without a summary) does not compile.
const LOADERS: Record<CommandName, () => Promise<Command>> = {
  start: async () => (await import('./start.ts')).start,
  run: async () => (await import('./run.ts')).run,
  scenarios: async () => (await import('./scenarios.ts')).scenarios,
  serve: async () => (await import('./serve.ts')).serve,
  stop: async () => (await import('./stop.ts')).stop,
  exec: async () => (await import('./exec.ts')).exec,
  world: async () => (await import('./world.ts')).world,
  keys: async () => (await import('./keys.ts')).keys,
  sign: async () => (await import('./sign.ts')).sign,
  token: async () => (await import('./token.ts')).token,
  doctor: async () => (await import('./doctor.ts')).doctor,
  explain: async () => (await import('./explain.ts')).explain,
  inspect: async () => (await import('./inspect.ts')).inspect,
  postman: async () => (await import('./postman.ts')).postman,
  guide: async () => (await import('./guide.ts')).guide,
  lab: async () => (await import('./lab.ts')).lab,
};

export const COMMANDS: readonly CommandEntry[] = (Object.keys(SUMMARIES) as CommandName[]).map((name) => ({ name, summary: SUMMARIES[name], load: LOADERS[name] }));

/** The command of that exact name (a list search: a name such as "toString" is no command, whatever objects have). */
export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}

/** The command a near miss meant (`serv`, `Serve`, `doctr`): at most two edits away, the closest first; else undefined. */
export function closestCommand(name: string): CommandName | undefined {
  const typed = name.toLowerCase().slice(0, 40);
  if (typed === '') return undefined;
  const [best] = COMMANDS.map((c) => ({ name: c.name, d: editDistance(typed, c.name) }))
    .filter((c) => c.d <= Math.min(2, c.name.length - 1))
    .sort((a, b) => a.d - b.d);
  return best?.name;
}
