/**
 * `npx sfjwt <command>`: dispatches to one module per command. User mistakes end with a clear
 * message and exit code 2 (never a stack trace); only bugs of sfjwt print one.
 */
import { formatError, SfjwtError, UsageError } from '../../lib/errors.ts';
import { doctor, doctorSpec } from './doctor.ts';
import { explain, explainSpec } from './explain.ts';
import { inspect, inspectSpec } from './inspect.ts';
import { keys, keysSpec } from './keys.ts';
import { run, runSpec } from './run.ts';
import { scenarios, scenariosSpec } from './scenarios.ts';
import { serve, serveSpec } from './serve.ts';
import { start, startSpec } from './start.ts';
import { world, worldSpec } from './world.ts';

const COMMANDS: Record<string, { summary: string; run: (argv: string[]) => Promise<void> }> = {
  start: { summary: startSpec.summary, run: start },
  run: { summary: runSpec.summary, run },
  scenarios: { summary: scenariosSpec.summary, run: scenarios },
  serve: { summary: serveSpec.summary, run: serve },
  world: { summary: worldSpec.summary, run: world },
  keys: { summary: keysSpec.summary, run: keys },
  doctor: { summary: doctorSpec.summary, run: doctor },
  explain: { summary: explainSpec.summary, run: explain },
  inspect: { summary: inspectSpec.summary, run: inspect },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'sfjwt: conformance and diagnostics for the Salesforce OAuth 2.0 JWT Bearer flow',
    '',
    'Usage: npx sfjwt <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'npx sfjwt <command> --help shows the options of a command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(`${usage()}\n`);
      return;
    }
    const command = COMMANDS[name];
    if (command === undefined) throw new UsageError(`unknown command "${name}"`, { actions: [`Commands: ${Object.keys(COMMANDS).join(', ')}.`, 'npx sfjwt --help lists them.'] });
    await command.run(rest);
  } catch (error) {
    process.stderr.write(`${formatError(error)}\n`);
    process.exitCode = error instanceof SfjwtError ? error.exitCode : 1;
  }
}
