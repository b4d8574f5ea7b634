/**
 * `npx sfjwt <command>`: finds the command in the registry, loads its module (only that one) and
 * runs it with a context made of what the caller gave and, for the rest, the process. Returns the
 * exit code and leaves it to the caller (bin/sfjwt.js) to set. User mistakes end with a clear
 * message and exit code 2 (never a stack trace); only bugs of sfjwt print one.
 */
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
    'npx sfjwt <command> --help shows the options of a command.',
  ].join('\n');
}

export async function main(argv: string[], io: Partial<CommandIo> = {}): Promise<number> {
  const ctx = withProcess(io);
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      ctx.stdout.write(`${usage()}\n`);
      return 0;
    }
    const command = findCommand(name);
    if (command === undefined) {
      const meant = closestCommand(name);
      throw new UsageError(`unknown command "${name}"`, {
        actions: [...(meant === undefined ? [] : [`Did you mean npx sfjwt ${meant}?`]), `Commands: ${COMMANDS.map((c) => c.name).join(', ')}.`, 'npx sfjwt --help lists them.'],
      });
    }
    const run = await command.load();
    return await run({ ...ctx, argv: rest });
  } catch (error) {
    ctx.stderr.write(`${formatError(error)}\n`);
    return error instanceof SfjwtError ? error.exitCode : 1;
  }
}
