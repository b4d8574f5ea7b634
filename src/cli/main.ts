/**
 * `npx sfjwt <command>`: finds the command in the registry, loads its module (only that one) and
 * runs it with a context made of what the caller gave and, for the rest, the process. Returns the
 * exit code and leaves it to the caller (bin/sfjwt.js) to set. User mistakes end with a clear
 * message and exit code 2 (never a stack trace); only bugs of sfjwt print one. `--version` and the
 * command list load no command; `help <command>` is that command's --help; a bare `sfjwt` prints
 * the list to standard error with exit code 2, as it did nothing it was asked.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatError, SfjwtError, UsageError } from '../../lib/errors.ts';
import { type CommandIo, withProcess } from './context.ts';
import { COMMANDS, closestCommand, findCommand } from './registry.ts';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'sfjwt: conformance and diagnostics for the Salesforce OAuth 2.0 JWT Bearer flow',
    '',
    'Usage: npx sfjwt <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'npx sfjwt help <command> (or npx sfjwt <command> --help) shows the options of a command and an example.',
    'npx sfjwt --version prints the version.',
  ].join('\n');
}

/**
 * The version in sfjwt's own package.json, read when asked (not imported, so nothing else loads):
 * the nearest package.json above this module named sfjwt, which is two folders up in a checkout
 * (src/cli/) and three in the compiled package (dist/src/cli/), installed or not.
 */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'sfjwt' && typeof pkg.version === 'string') return pkg.version;
    }
    const up = dirname(dir);
    // A bug guard: this module always ships inside the sfjwt package.
    if (up === dir) throw new Error('sfjwt cannot find its own package.json');
    dir = up;
  }
}

function unknownCommand(name: string): UsageError {
  const meant = closestCommand(name);
  return new UsageError(`unknown command "${name}"`, {
    actions: [...(meant === undefined ? [] : [`Did you mean npx sfjwt ${meant}?`]), `Commands: ${COMMANDS.map((c) => c.name).join(', ')}.`, 'npx sfjwt --help lists them.'],
  });
}

export async function main(argv: string[], io: Partial<CommandIo> = {}): Promise<number> {
  const ctx = withProcess(io);
  const [name, ...rest] = argv;
  try {
    // Nothing asked: the list goes to standard error and the exit code says nothing was done.
    if (name === undefined) {
      ctx.stderr.write(`${usage()}\n`);
      return 2;
    }
    if (name === '--version') {
      ctx.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    if ((name === 'help' && rest.length === 0) || name === '--help' || name === '-h') {
      ctx.stdout.write(`${usage()}\n`);
      return 0;
    }
    if (name === 'help' && rest.length > 1) throw new UsageError(`help takes one command, got ${rest.length}: ${rest.join(' ')}`, { actions: ['For example npx sfjwt help sign.'] });
    // `help <command>` is `<command> --help`: the command's own help, from its own module.
    const [commandName, args] = name === 'help' ? [rest[0] ?? '', ['--help']] : [name, rest];
    const command = findCommand(commandName);
    if (command === undefined) throw unknownCommand(commandName);
    const run = await command.load();
    return await run({ ...ctx, argv: args });
  } catch (error) {
    ctx.stderr.write(`${formatError(error)}\n`);
    return error instanceof SfjwtError ? error.exitCode : 1;
  }
}
